import { Injectable } from '@nestjs/common';
import { updatedSinceSql } from '../common/sql/updated-since';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Sql, sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { readEntitiesByKeys } from '../database/entity-reads';
import { JsonPart, jsonRowsPart } from '../database/json-reads';
import { PremisesEntity } from './premises.entity';

/** Premises read in batches: the request's loaders, other modules' reads, and the card's parts over the premises table. */
@Injectable()
export class PremisesReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The premises updated at or after `since`, as `(entity_id, changed_at)` rows: the integration change feed's part. */
  changedSinceSql(organizationId: string, since: string): Sql {
    return updatedSinceSql('premises', organizationId, since);
  }

  async getMany(organizationId: string, ids: readonly string[]): Promise<Map<string, PremisesEntity>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(this.dataSource, PremisesEntity, organizationId, 'id', ids.filter(isUuid));
    return new Map(rows.map((p) => [p.id, p]));
  }

  /** The premises whose ids `ids` (a parenthesized subquery) yields, for a statement that reads them with other things. */
  premisesPart(organizationId: string, ids: Sql): JsonPart<PremisesEntity> {
    return jsonRowsPart(
      this.dataSource.getMetadata(PremisesEntity),
      'p',
      sql`p.organization_id = ${organizationId} AND p.id IN ${ids}`,
    );
  }

  /** The ids of the buildings of the premises whose ids `ids` yields, as a parenthesized subquery. */
  buildingIdsSql(organizationId: string, ids: Sql): Sql {
    return sql`(SELECT p.building_id FROM premises p WHERE p.organization_id = ${organizationId} AND p.id IN ${ids})`;
  }
}
