import { Injectable } from '@nestjs/common';
import { updatedSinceSql } from '../common/sql/updated-since';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundException } from '../common/errors/domain.exception';
import { sql, Sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { readEntitiesByKeys } from '../database/entity-reads';
import { JsonPart, jsonRowsPart } from '../database/json-reads';
import { accountNumberKey } from './account-number';
import { AccountEntity } from './account.entity';

export const ACCOUNT = { ru: 'Лицевой счёт', en: 'Account' };

/** The personal accounts' read model: one account, by number, the loaders' batches and the card's part. */
@Injectable()
export class AccountReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The accounts updated at or after `since`, as `(entity_id, changed_at)` rows: the integration change feed's part. */
  changedSinceSql(organizationId: string, since: string): Sql {
    return updatedSinceSql('account', organizationId, since);
  }

  async get(manager: EntityManager, organizationId: string, id: string, path?: string): Promise<AccountEntity> {
    requireOrganization(organizationId);
    const account = isUuid(id) ? await manager.getRepository(AccountEntity).findOneBy({ organizationId, id }) : null;
    if (!account) throw new NotFoundException(ACCOUNT, id, path);
    return account;
  }

  async getMany(organizationId: string, ids: readonly string[]): Promise<Map<string, AccountEntity>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(this.dataSource, AccountEntity, organizationId, 'id', ids.filter(isUuid));
    return new Map(rows.map((a) => [a.id, a]));
  }

  /** The accounts of the premises whose ids `premisesIds` (a parenthesized subquery) yields, in ofPremises' order, for a statement that reads them with other things. */
  ofPremisesPart(organizationId: string, premisesIds: Sql): JsonPart<AccountEntity> {
    return jsonRowsPart(
      this.dataSource.getMetadata(AccountEntity),
      'a',
      sql`a.organization_id = ${organizationId} AND a.premises_id IN ${premisesIds}`,
      { orderBy: ['numberKey'] },
    );
  }

  async ofPremises(organizationId: string, premisesIds: readonly string[]): Promise<Map<string, AccountEntity[]>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(
      this.dataSource,
      AccountEntity,
      organizationId,
      'premisesId',
      premisesIds.filter(isUuid),
      ['numberKey'],
    );
    const map = new Map<string, AccountEntity[]>();
    for (const row of rows) map.set(row.premisesId, [...(map.get(row.premisesId) ?? []), row]);
    return map;
  }

  async findByNumber(manager: EntityManager, organizationId: string, number: string): Promise<AccountEntity | null> {
    requireOrganization(organizationId);
    return manager.getRepository(AccountEntity).findOneBy({ organizationId, numberKey: accountNumberKey(number) });
  }
}
