import { insertRows } from '../database/bulk';
import { raw, sql, Sql } from '../common/sql/sql';
import { randomUUID } from 'node:crypto';
import { escapeLike } from '../common/sql/escape-like';
import { Injectable } from '@nestjs/common';
import { updatedSinceSql } from '../common/sql/updated-since';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BadInputException, ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { addressKey, searchText, AddressParts, streetHouseKeyVariants } from './address';
import { BuildingEntity, EntranceRecord } from './building.entity';
import {
  BuildingFilter,
  CreateBuildingInput,
  EntranceInput,
  UpdateBuildingInput,
  UpdateReferenceSheetInput,
} from './dto/building.input';
import { sanitizeReferenceSheet } from './reference-sheet.sanitizer';
import { readEntitiesByKeys } from '../database/entity-reads';
import { JsonPart, jsonRowsPart } from '../database/json-reads';

export const BUILDING = { ru: 'Дом', en: 'Building' };

const normalizedStreet = (street: string) => addressKey({ city: '', street, house: '' }).split('|')[1];

function entrancesOf(input: EntranceInput[] | undefined, path: string): EntranceRecord[] {
  const entrances = (input ?? [])
    .map((e) => ({ number: e.number, floors: e.floors }))
    .sort((a, b) => a.number - b.number);
  const duplicate = entrances.find((e, i) => i > 0 && entrances[i - 1].number === e.number);
  if (duplicate)
    throw BadInputException.field(
      path,
      `подъезд ${duplicate.number} указан дважды`,
      `entrance ${duplicate.number} is listed twice`,
    );
  return entrances;
}

/** The address key without its city: what ix_building_street_house indexes. */
const STREET_HOUSE_KEY_SQL = "substr(b.address_key, strpos(b.address_key, '|') + 1)";

@Injectable()
export class BuildingsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `INNER JOIN` of the building (under `alias`) whose organization and id are `organization` and `id`, expressions of the caller's row. */
  joinSql(alias: string, organization: Sql, id: Sql): Sql {
    const b = raw(alias);
    return sql`INNER JOIN building ${b} ON ${b}.organization_id = ${organization} AND ${b}.id = ${id}`;
  }

  /** SQL true when the address of the building `alias` contains `word` (a search word, lower case, ё as е). */
  addressContainsSql(alias: string, word: string): Sql {
    return sql`${raw(alias)}.search_text LIKE ${`%${escapeLike(word)}%`}`;
  }

  /** The buildings updated at or after `since`, as `(entity_id, changed_at)` rows: the integration change feed's part. */
  changedSinceSql(organizationId: string, since: string): Sql {
    return updatedSinceSql('building', organizationId, since);
  }

  async get(manager: EntityManager, organizationId: string, id: string): Promise<BuildingEntity> {
    requireOrganization(organizationId);
    const building = isUuid(id) ? await manager.getRepository(BuildingEntity).findOneBy({ organizationId, id }) : null;
    if (!building) throw new NotFoundException(BUILDING, id);
    return building;
  }

  /** The buildings whose ids `ids` (a parenthesized subquery) yields, for a statement that reads them with other things. */
  buildingsPart(organizationId: string, ids: Sql): JsonPart<BuildingEntity> {
    return jsonRowsPart(
      this.dataSource.getMetadata(BuildingEntity),
      'b',
      sql`b.organization_id = ${organizationId} AND b.id IN ${ids}`,
    );
  }

  /** Batch for loaders: one statement, rows keyed by id. */

  async getMany(organizationId: string, ids: readonly string[]): Promise<Map<string, BuildingEntity>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(this.dataSource, BuildingEntity, organizationId, 'id', ids.filter(isUuid));
    return new Map(rows.map((b) => [b.id, b]));
  }

  async list(
    organizationId: string,
    filter: BuildingFilter | undefined,
    page: PageArgs,
    withTotal: boolean,
  ): Promise<ConnectionShape<BuildingEntity>> {
    requireOrganization(organizationId);
    const where = [sql`b.organization_id = ${organizationId}`];
    for (const word of (filter?.search ?? '')
      .toLowerCase()
      .replace(/ё/g, 'е')
      .split(/[\s,]+/)
      .filter(Boolean))
      where.push(this.addressContainsSql('b', word));
    if (filter?.city?.trim()) where.push(sql`lower(b.city) = lower(${filter.city.trim()})`);
    return paginate(
      this.dataSource,
      { entity: BuildingEntity, alias: 'b', where },
      page,
      [
        { sql: 'b.search_text', kind: 'text', value: (b) => b.searchText },
        { sql: 'b.id', kind: 'uuid', value: (b) => b.id },
      ],
      withTotal,
    );
  }

  async create(organizationId: string, actorId: string, input: CreateBuildingInput): Promise<BuildingEntity> {
    requireOrganization(organizationId);
    // Two clerks saving the same address at once: the loser's unique violation is answered by
    // database-errors.ts (uq_building_address → CONFLICT on input.street).
    return this.insert(organizationId, actorId, input);
  }

  private async insert(organizationId: string, actorId: string, input: CreateBuildingInput): Promise<BuildingEntity> {
    const address: AddressParts = {
      city: input.city.trim(),
      street: input.street.trim(),
      house: input.house.trim(),
      block: input.block?.trim() || null,
    };
    return this.dataSource.transaction(async (tx) => {
      await this.assertAddressFree(tx, organizationId, address);
      const sheet = input.referenceSheet ? sanitizeReferenceSheet(input.referenceSheet) : '';
      return tx.getRepository(BuildingEntity).save({
        organizationId,
        ...address,
        postalIndex: input.postalIndex ?? null,
        addressKey: addressKey(address),
        searchText: searchText(address),
        entrances: entrancesOf(input.entrances, 'input.entrances'),
        referenceSheetHtml: sheet,
        referenceSheetUpdatedAt: sheet ? new Date() : null,
        referenceSheetUpdatedBy: sheet ? actorId : null,
      });
    });
  }

  /** The building at this address (any writing of it), for integrations that match by natural key. */
  async findByAddress(
    manager: EntityManager,
    organizationId: string,
    address: AddressParts,
  ): Promise<BuildingEntity | null> {
    requireOrganization(organizationId);
    return manager.getRepository(BuildingEntity).findOneBy({ organizationId, addressKey: addressKey(address) });
  }

  /**
   * Buildings at a street and house typed by a person — with or without the street's type word, in
   * any city unless one is given. Without an organization: in every organization (a resident's
   * address finds who serves it); with one: only its buildings, and when a type word was typed and
   * exactly one building has it, that one. Backed by ix_building_street_house.
   */
  async findByStreetAndHouse(
    manager: EntityManager,
    address: { city?: string | null; street: string; house: string; block?: string | null },
    organizationId?: string,
  ): Promise<BuildingEntity[]> {
    const [city] = addressKey({
      city: address.city ?? '',
      street: address.street,
      house: address.house,
      block: address.block,
    }).split('|');
    const query = manager
      .getRepository(BuildingEntity)
      .createQueryBuilder('b')
      .where(`${STREET_HOUSE_KEY_SQL} IN (:...streetHouse)`, { streetHouse: streetHouseKeyVariants(address) });
    if (organizationId !== undefined) {
      requireOrganization(organizationId);
      query.andWhere('b.organization_id = :organizationId', { organizationId });
    }
    if (city) query.andWhere(`split_part(b.address_key, '|', 1) = :city`, { city });
    const found = await query
      .orderBy('b.organization_id')
      .addOrderBy('b.search_text')
      .addOrderBy('b.id')
      .limit(50)
      .getMany();
    if (organizationId === undefined) return found;
    const exact = found.filter((b) => normalizedStreet(b.street) === normalizedStreet(address.street));
    return exact.length === 1 ? exact : found;
  }

  /** Creates or overwrites a building from an integration item; `changed` is false when nothing differed. */
  async saveFromIntegration(
    tx: EntityManager,
    organizationId: string,
    existing: BuildingEntity | null,
    item: {
      city: string;
      street: string;
      house: string;
      block?: string | null;
      postalIndex?: string | null;
      entrances?: EntranceInput[];
    },
  ): Promise<{ building: BuildingEntity; changed: boolean }> {
    const address: AddressParts = {
      city: item.city.trim(),
      street: item.street.trim(),
      house: item.house.trim(),
      block: item.block?.trim() || null,
    };
    const next = {
      ...address,
      postalIndex: item.postalIndex === undefined ? (existing?.postalIndex ?? null) : item.postalIndex,
      addressKey: addressKey(address),
      searchText: searchText(address),
      entrances: item.entrances ? entrancesOf(item.entrances, 'entrances') : (existing?.entrances ?? []),
    };
    if (existing) {
      // jsonb stores object keys in its own order, so entrances are compared by value, not as text.
      const same = (Object.keys(next) as (keyof typeof next)[]).every((k) =>
        k === 'entrances'
          ? JSON.stringify(existing.entrances.map((e) => [e.number, e.floors])) ===
            JSON.stringify(next.entrances.map((e) => [e.number, e.floors]))
          : (existing[k] ?? null) === (next[k] ?? null),
      );
      if (same) return { building: existing, changed: false };
      if (next.addressKey !== existing.addressKey) await this.assertAddressFree(tx, organizationId, address);
      return { building: await tx.getRepository(BuildingEntity).save(Object.assign(existing, next)), changed: true };
    }
    await this.assertAddressFree(tx, organizationId, address);
    const building = await tx.getRepository(BuildingEntity).save({
      organizationId,
      ...next,
      referenceSheetHtml: '',
      referenceSheetUpdatedAt: null,
      referenceSheetUpdatedBy: null,
    });
    return { building, changed: true };
  }

  async update(organizationId: string, input: UpdateBuildingInput): Promise<BuildingEntity> {
    requireOrganization(organizationId);
    return this.dataSource.transaction(async (tx) => {
      const building = await this.get(tx, organizationId, input.id);
      const address: AddressParts = {
        city: input.city?.trim() ?? building.city,
        street: input.street?.trim() ?? building.street,
        house: input.house?.trim() ?? building.house,
        block: input.block === undefined ? building.block : input.block?.trim() || null,
      };
      if (addressKey(address) !== building.addressKey) await this.assertAddressFree(tx, organizationId, address);
      Object.assign(building, address, { addressKey: addressKey(address), searchText: searchText(address) });
      if (input.postalIndex !== undefined) building.postalIndex = input.postalIndex;
      if (input.entrances) building.entrances = entrancesOf(input.entrances, 'input.entrances');
      return tx.getRepository(BuildingEntity).save(building);
    });
  }

  async updateReferenceSheet(
    organizationId: string,
    actorId: string,
    input: UpdateReferenceSheetInput,
  ): Promise<BuildingEntity> {
    requireOrganization(organizationId);
    return this.dataSource.transaction(async (tx) => {
      const building = isUuid(input.buildingId)
        ? await tx
            .getRepository(BuildingEntity)
            .findOne({ where: { organizationId, id: input.buildingId }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!building) throw new NotFoundException(BUILDING, input.buildingId);
      if (
        input.expectedUpdatedAt &&
        building.referenceSheetUpdatedAt?.toISOString() !== new Date(input.expectedUpdatedAt).toISOString()
      ) {
        throw new ConflictException({
          ru: 'Справку по объекту уже изменил другой сотрудник. Обновите страницу и внесите правку заново.',
          en: 'The reference sheet was changed by someone else since you opened it. Reload and apply your edit again.',
        });
      }
      building.referenceSheetHtml = sanitizeReferenceSheet(input.html);
      building.referenceSheetUpdatedAt = new Date();
      building.referenceSheetUpdatedBy = actorId;
      return tx.getRepository(BuildingEntity).save(building);
    });
  }

  private async assertAddressFree(tx: EntityManager, organizationId: string, address: AddressParts): Promise<void> {
    const existing = await tx
      .getRepository(BuildingEntity)
      .findOneBy({ organizationId, addressKey: addressKey(address) });
    if (existing) {
      throw new ConflictException(
        {
          ru: `Дом с таким адресом уже есть (id ${existing.id})`,
          en: `A building with this address already exists (id ${existing.id})`,
        },
        [{ path: 'input.street', message: 'адрес уже занят', messageEn: 'address already exists' }],
      );
    }
  }

  // ---- bulk (the Excel import): loads and set-based writes inside the caller's transaction ----

  async findByAddressKeys(
    manager: EntityManager,
    organizationId: string,
    keys: readonly string[],
  ): Promise<BuildingEntity[]> {
    requireOrganization(organizationId);
    if (!keys.length) return [];
    return manager
      .getRepository(BuildingEntity)
      .createQueryBuilder('b')
      .where('b.organization_id = :organizationId AND b.address_key = ANY(:keys)', { organizationId, keys: [...keys] })
      .getMany();
  }

  /** Buildings by id, in the caller's transaction. */
  async findByIdsIn(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<BuildingEntity[]> {
    requireOrganization(organizationId);
    if (!ids.length) return [];
    return manager
      .getRepository(BuildingEntity)
      .createQueryBuilder('b')
      .where('b.organization_id = :organizationId AND b.id = ANY(:ids)', { organizationId, ids: [...ids] })
      .getMany();
  }

  /** A new building for an address, not yet saved (the import writes a batch of them at once). */
  newAtAddress(organizationId: string, address: AddressParts): BuildingEntity {
    const clean: AddressParts = {
      city: address.city.trim(),
      street: address.street.trim(),
      house: address.house.trim(),
      block: address.block?.trim() || null,
    };
    return Object.assign(new BuildingEntity(), {
      organizationId,
      id: randomUUID(),
      ...clean,
      postalIndex: null,
      addressKey: addressKey(clean),
      searchText: searchText(clean),
      entrances: [],
      referenceSheetHtml: '',
      referenceSheetUpdatedAt: null,
      referenceSheetUpdatedBy: null,
    });
  }

  async insertMany(manager: EntityManager, buildings: readonly BuildingEntity[]): Promise<void> {
    await insertRows(
      manager,
      BuildingEntity,
      [
        'organizationId',
        'id',
        'city',
        'street',
        'house',
        'block',
        'postalIndex',
        'addressKey',
        'searchText',
        'entrances',
        'referenceSheetHtml',
      ],
      buildings,
    );
  }
}
