import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BuildingsService } from '../buildings/buildings.service';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { escapeLike } from '../common/sql/escape-like';
import { join, joinOrEmpty, Sql, sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { PremisesFilter } from './dto/premises.input';
import { premisesNumberKey } from './premises-number';
import { PremisesEntity } from './premises.entity';

/** Words people put between address and number when searching ("Ленина 5 кв 12"). */
const SEARCH_NOISE = new Set(['кв', 'квартира', 'д', 'дом', 'ул', 'улица', 'пом', 'помещение', 'г']);

/**
 * SQL true when the premises row `premises` (an alias) matches the search text by data another module
 * owns (an account number): the module owning it writes the condition, the caller of list passes it
 * (RequestLoaders.premisesSearchAlternatives).
 */
export type PremisesSearchAlternative = (premises: string, search: string) => Sql;

/** The premises list: a building's premises in number order, or a search by address words and number. */
@Injectable()
export class PremisesSearch {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly buildings: BuildingsService,
  ) {}

  /** `alternatives`: what else the search text may match, written by the modules owning that data (account numbers). */
  async list(
    organizationId: string,
    filter: PremisesFilter | undefined,
    page: PageArgs,
    withTotal: boolean,
    alternatives: readonly PremisesSearchAlternative[] = [],
  ): Promise<ConnectionShape<PremisesEntity>> {
    requireOrganization(organizationId);
    const where = [sql`p.organization_id = ${organizationId}`];
    let joins: Sql | undefined;
    if (filter?.buildingId !== undefined) {
      if (!isUuid(filter.buildingId))
        return {
          edges: [],
          pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
          totalCount: 0,
        };
      where.push(sql`p.building_id = ${filter.buildingId}`);
    }
    if (filter?.type) where.push(sql`p.type = ${filter.type}`);
    const words = (filter?.search ?? '')
      .toLowerCase()
      .replace(/ё/g, 'е')
      .split(/[\s,]+/)
      .map((w) => w.replace(/\.$/, ''))
      .filter((w) => w && !SEARCH_NOISE.has(w));
    if (words.length) {
      // Each word must match the premises number (exactly or as a prefix) or a part of the building's
      // address; or the whole text is the beginning of one of the premises' account numbers.
      joins = this.buildings.joinSql('b', sql`p.organization_id`, sql`p.building_id`);
      const byAddress = join(
        words.map(
          (word) =>
            sql`(p.number_key LIKE ${`${escapeLike(premisesNumberKey(word))}%`} OR ${this.buildings.addressContainsSql('b', word)})`,
        ),
        ' AND ',
      );
      const orElse = alternatives.map((alternative) => sql` OR ${alternative('p', filter!.search!.trim())}`);
      where.push(sql`((${byAddress})${joinOrEmpty(orElse, '')})`);
    }
    const ordering = filter?.buildingId
      ? [{ sql: 'p.number_sort', kind: 'text' as const, value: (p: PremisesEntity) => p.numberSort }]
      : [
          { sql: 'p.building_id', kind: 'uuid' as const, value: (p: PremisesEntity) => p.buildingId },
          { sql: 'p.number_sort', kind: 'text' as const, value: (p: PremisesEntity) => p.numberSort },
        ];
    return paginate(
      this.dataSource,
      { entity: PremisesEntity, alias: 'p', joins, where },
      page,
      [
        ...ordering,
        { sql: 'p.type', kind: 'text', value: (p) => p.type },
        { sql: 'p.id', kind: 'uuid', value: (p) => p.id },
      ],
      withTotal,
    );
  }
}
