import { insertRows, updateRows } from '../database/bulk';
import { andWhereSql, join, joinOrEmpty, runSql, Sql, sql } from '../common/sql/sql';
import { randomUUID } from 'node:crypto';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { ExternalIdsService } from '../external-ids/external-ids.service';
import { escapeLike } from '../common/sql/escape-like';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { BadInputException, ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { FieldError } from '../common/errors/error-code';
import { isForeignKeyViolation, isUniqueViolation } from '../common/errors/database-errors';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { BuildingEntity } from '../buildings/building.entity';
import { BuildingsService } from '../buildings/buildings.service';
import { CreatePremisesInput, PremisesFilter, UpdatePremisesInput } from './dto/premises.input';
import { premisesNumberKey, premisesNumberSort } from './premises-number';
import { PremisesEntity } from './premises.entity';
import { PremisesType } from './premises-type';
import { readEntitiesByKeys, readEntitiesWithParents } from '../database/entity-reads';
import { JsonPart, jsonRowsPart } from '../database/json-reads';

export const PREMISES = { ru: 'Помещение', en: 'Premises' };
/** Words people put between address and number when searching ("Ленина 5 кв 12"). */
const SEARCH_NOISE = new Set(['кв', 'квартира', 'д', 'дом', 'ул', 'улица', 'пом', 'помещение', 'г']);

const TYPE_NAMES: Record<PremisesType, string> = {
  [PremisesType.FLAT]: 'квартира',
  [PremisesType.NON_RESIDENTIAL]: 'нежилое помещение',
  [PremisesType.PARKING]: 'машино-место',
  [PremisesType.STORAGE]: 'кладовая',
  [PremisesType.COMMERCIAL]: 'коммерческое помещение',
};

function duplicateNumber(number: string, type: PremisesType): ConflictException {
  return new ConflictException(
    {
      ru: `В этом доме уже есть ${TYPE_NAMES[type]} № ${number}`,
      en: `This building already has ${type} premises number ${number}`,
    },
    [{ path: 'input.number', message: 'номер уже занят', messageEn: 'number already taken' }],
  );
}

/**
 * SQL true when the premises row `premises` (an alias) matches the search text by data another module
 * owns (an account number): the module owning it writes the condition, the caller of list passes it
 * (RequestLoaders.premisesSearchAlternatives).
 */
export type PremisesSearchAlternative = (premises: string, search: string) => Sql;

@Injectable()
export class PremisesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly buildings: BuildingsService,
    private readonly externalIds: ExternalIdsService,
    private readonly audit: AuditService,
  ) {}

  /** Holds the premises row until the transaction ends: who is attached to it is decided one request at a time. */
  async lock(tx: EntityManager, organizationId: string, id: string): Promise<void> {
    await runSql(
      tx,
      sql`SELECT 1 FROM premises WHERE organization_id = ${requireOrganization(organizationId)} AND id = ${id} FOR UPDATE`,
    );
  }

  async get(manager: EntityManager, organizationId: string, id: string): Promise<PremisesEntity> {
    requireOrganization(organizationId);
    const premises = isUuid(id) ? await manager.getRepository(PremisesEntity).findOneBy({ organizationId, id }) : null;
    if (!premises) throw new NotFoundException(PREMISES, id);
    return premises;
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

  /** The premises with the building each is in, in one statement (a card's addresses need both at once). */

  async getManyWithBuildings(
    organizationId: string,
    ids: readonly string[],
  ): Promise<Map<string, { premises: PremisesEntity; building: BuildingEntity }>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesWithParents(
      this.dataSource,
      PremisesEntity,
      organizationId,
      'id',
      ids.filter(isUuid),
      { target: BuildingEntity, via: 'buildingId' },
    );
    return new Map(rows.map(([premises, building]) => [premises.id, { premises, building }]));
  }

  /** `alternatives`: what else the search text may match, written by the modules owning that data (account numbers). */
  async list(
    organizationId: string,
    filter: PremisesFilter | undefined,
    page: PageArgs,
    withTotal: boolean,
    alternatives: readonly PremisesSearchAlternative[] = [],
  ): Promise<ConnectionShape<PremisesEntity>> {
    requireOrganization(organizationId);
    const query = this.dataSource
      .getRepository(PremisesEntity)
      .createQueryBuilder('p')
      .where('p.organization_id = :organizationId', { organizationId });
    if (filter?.buildingId !== undefined) {
      if (!isUuid(filter.buildingId))
        return {
          edges: [],
          pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
          totalCount: 0,
        };
      query.andWhere('p.building_id = :buildingId', { buildingId: filter.buildingId });
    }
    if (filter?.type) query.andWhere('p.type = :type', { type: filter.type });
    const words = (filter?.search ?? '')
      .toLowerCase()
      .replace(/ё/g, 'е')
      .split(/[\s,]+/)
      .map((w) => w.replace(/\.$/, ''))
      .filter((w) => w && !SEARCH_NOISE.has(w));
    if (words.length) {
      // Each word must match the premises number (exactly or as a prefix) or a part of the building's
      // address; or the whole text is the beginning of one of the premises' account numbers.
      query.innerJoin(BuildingEntity, 'b', 'b.organization_id = p.organization_id AND b.id = p.building_id');
      const byAddress = join(
        words.map(
          (word) =>
            sql`(p.number_key LIKE ${`${escapeLike(premisesNumberKey(word))}%`} OR b.search_text LIKE ${`%${escapeLike(word)}%`})`,
        ),
        ' AND ',
      );
      const orElse = alternatives.map((alternative) => sql` OR ${alternative('p', filter!.search!.trim())}`);
      andWhereSql(query, sql`((${byAddress})${joinOrEmpty(orElse, '')})`);
    }
    const ordering = filter?.buildingId
      ? [{ sql: 'p.number_sort', kind: 'text' as const, value: (p: PremisesEntity) => p.numberSort }]
      : [
          { sql: 'p.building_id', kind: 'uuid' as const, value: (p: PremisesEntity) => p.buildingId },
          { sql: 'p.number_sort', kind: 'text' as const, value: (p: PremisesEntity) => p.numberSort },
        ];
    return paginate(
      query,
      page,
      [
        ...ordering,
        { sql: 'p.type', kind: 'text', value: (p) => p.type },
        { sql: 'p.id', kind: 'uuid', value: (p) => p.id },
      ],
      withTotal,
    );
  }

  /** Inside `manager`'s transaction when given (a caller creating premises as one step of its own change). */
  async create(organizationId: string, input: CreatePremisesInput): Promise<PremisesEntity> {
    return this.dataSource.transaction((tx) => this.createIn(tx, organizationId, input));
  }

  /** create, in the caller's transaction. */
  async createIn(manager: EntityManager, organizationId: string, input: CreatePremisesInput): Promise<PremisesEntity> {
    requireOrganization(organizationId);
    const inTransaction = <T>(work: (tx: EntityManager) => Promise<T>) => work(manager);
    return this.translateRaces(input.number, input.type, () =>
      inTransaction(async (tx) => {
        const building = await this.buildingFor(tx, organizationId, input.buildingId);
        this.assertFits(building, input.entrance ?? null, input.floor ?? null, input.area ?? null);
        await this.assertNumberFree(tx, organizationId, building.id, input.type, input.number);
        return tx.getRepository(PremisesEntity).save({
          organizationId,
          buildingId: building.id,
          type: input.type,
          number: input.number.trim(),
          numberKey: premisesNumberKey(input.number),
          numberSort: premisesNumberSort(input.number),
          entrance: input.entrance ?? null,
          floor: input.floor ?? null,
          area: input.area ?? null,
          rooms: input.rooms ?? null,
          cadastralNumber: input.cadastralNumber ?? null,
        });
      }),
    );
  }

  async update(organizationId: string, input: UpdatePremisesInput): Promise<PremisesEntity> {
    requireOrganization(organizationId);
    return this.translateRaces(input.number ?? '', input.type ?? PremisesType.FLAT, () =>
      this.dataSource.transaction(async (tx) => {
        const premises = await this.get(tx, organizationId, input.id);
        const building = await this.buildings.get(tx, organizationId, premises.buildingId);
        const next = {
          type: input.type ?? premises.type,
          number: input.number?.trim() ?? premises.number,
          entrance: input.entrance === undefined ? premises.entrance : input.entrance,
          floor: input.floor === undefined ? premises.floor : input.floor,
          area: input.area === undefined ? premises.area : input.area,
          rooms: input.rooms === undefined ? premises.rooms : input.rooms,
          cadastralNumber: input.cadastralNumber === undefined ? premises.cadastralNumber : input.cadastralNumber,
        };
        this.assertFits(building, next.entrance, next.floor, next.area);
        if (premisesNumberKey(next.number) !== premises.numberKey || next.type !== premises.type) {
          await this.assertNumberFree(tx, organizationId, building.id, next.type, next.number);
        }
        Object.assign(premises, next, {
          numberKey: premisesNumberKey(next.number),
          numberSort: premisesNumberSort(next.number),
        });
        return tx.getRepository(PremisesEntity).save(premises);
      }),
    );
  }

  async findByNumber(
    manager: EntityManager,
    organizationId: string,
    buildingId: string,
    type: PremisesType,
    number: string,
  ): Promise<PremisesEntity | null> {
    requireOrganization(organizationId);
    return manager
      .getRepository(PremisesEntity)
      .findOneBy({ organizationId, buildingId, type, numberKey: premisesNumberKey(number) });
  }

  /** Premises with this number (any type) in these buildings: one means the address identifies them. */
  async findByNumberInBuildings(
    manager: EntityManager,
    organizationId: string,
    buildingIds: string[],
    number: string,
  ): Promise<PremisesEntity[]> {
    requireOrganization(organizationId);
    if (buildingIds.length === 0) return [];
    return manager
      .getRepository(PremisesEntity)
      .findBy({ organizationId, buildingId: In(buildingIds), numberKey: premisesNumberKey(number) });
  }

  /** Creates or overwrites premises from an integration item; `changed` is false when nothing differed. */
  async saveFromIntegration(
    tx: EntityManager,
    organizationId: string,
    existing: PremisesEntity | null,
    item: {
      buildingId: string;
      type: PremisesType;
      number: string;
      entrance?: number | null;
      floor?: number | null;
      area?: string | null;
      rooms?: number | null;
      cadastralNumber?: string | null;
    },
  ): Promise<{ premises: PremisesEntity; changed: boolean }> {
    const building = await this.buildings.get(tx, organizationId, item.buildingId);
    const keep = <K extends keyof PremisesEntity>(key: K, value: PremisesEntity[K] | undefined) =>
      value === undefined ? (existing?.[key] ?? null) : value;
    const next = {
      buildingId: building.id,
      type: item.type,
      number: item.number.trim(),
      numberKey: premisesNumberKey(item.number),
      numberSort: premisesNumberSort(item.number),
      entrance: keep('entrance', item.entrance),
      floor: keep('floor', item.floor),
      area: keep('area', item.area === undefined || item.area === null ? item.area : Number(item.area).toFixed(2)),
      rooms: keep('rooms', item.rooms),
      cadastralNumber: keep('cadastralNumber', item.cadastralNumber),
    };
    this.assertFits(building, next.entrance as number | null, next.floor as number | null, next.area as string | null);
    if (existing) {
      const same = (Object.keys(next) as (keyof typeof next)[]).every(
        (k) => String(existing[k] ?? '') === String(next[k] ?? ''),
      );
      if (same) return { premises: existing, changed: false };
      if (
        existing.numberKey !== next.numberKey ||
        existing.type !== next.type ||
        existing.buildingId !== next.buildingId
      ) {
        await this.assertNumberFree(tx, organizationId, next.buildingId, next.type, next.number);
      }
      return { premises: await tx.getRepository(PremisesEntity).save(Object.assign(existing, next)), changed: true };
    }
    await this.assertNumberFree(tx, organizationId, next.buildingId, next.type, next.number);
    return {
      premises: await tx.getRepository(PremisesEntity).save({ organizationId, ...next } as PremisesEntity),
      changed: true,
    };
  }

  /** Its external identifiers go with it, and the deletion is logged (the integrations' change feed reads it). */
  async delete(actor: Actor, id: string): Promise<string> {
    const organizationId = actor.organizationId;
    requireOrganization(organizationId);
    const premises = await this.get(this.dataSource.manager, organizationId, id);
    try {
      await this.dataSource.transaction(async (tx) => {
        await tx.getRepository(PremisesEntity).delete({ organizationId, id: premises.id });
        await this.externalIds.deleteAllOf(tx, organizationId, ExternalEntityType.PREMISES, [premises.id]);
        await this.audit.record(tx, actor, [
          {
            entityType: AuditEntityType.PREMISES,
            entityId: premises.id,
            action: 'deleted',
            before: { buildingId: premises.buildingId, type: premises.type, number: premises.number },
          },
        ]);
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new ConflictException({
          ru: 'Помещение нельзя удалить: к нему привязаны лицевые счета, клиенты или заявки',
          en: 'The premises cannot be deleted: accounts, clients or tickets refer to it',
        });
      }
      throw error;
    }
    return premises.id;
  }

  /** An unknown (or another organization's) building answers NOT_FOUND on `input.buildingId`. */
  private async buildingFor(tx: EntityManager, organizationId: string, buildingId: string): Promise<BuildingEntity> {
    try {
      return await this.buildings.get(tx, organizationId, buildingId);
    } catch (error) {
      if (error instanceof NotFoundException)
        throw new NotFoundException({ ru: 'Дом', en: 'Building' }, buildingId, 'input.buildingId');
      throw error;
    }
  }

  private assertFits(
    building: BuildingEntity,
    entrance: number | null,
    floor: number | null,
    area: string | null,
  ): void {
    const errors: FieldError[] = [];
    if (area !== null && Number(area) <= 0)
      errors.push({
        path: 'input.area',
        message: 'площадь должна быть больше нуля',
        messageEn: 'area must be positive',
      });
    if (entrance !== null && building.entrances.length > 0) {
      const known = building.entrances.find((e) => e.number === entrance);
      if (!known) {
        errors.push({
          path: 'input.entrance',
          message: `в доме нет подъезда ${entrance} (есть: ${building.entrances.map((e) => e.number).join(', ')})`,
          messageEn: `the building has no entrance ${entrance} (it has ${building.entrances.map((e) => e.number).join(', ')})`,
        });
      } else if (floor !== null && floor > known.floors) {
        errors.push({
          path: 'input.floor',
          message: `в подъезде ${entrance} всего ${known.floors} этажей`,
          messageEn: `entrance ${entrance} has only ${known.floors} floors`,
        });
      }
    }
    if (errors.length) throw new BadInputException(errors);
  }

  private async assertNumberFree(
    tx: EntityManager,
    organizationId: string,
    buildingId: string,
    type: PremisesType,
    number: string,
  ): Promise<void> {
    const taken = await tx
      .getRepository(PremisesEntity)
      .existsBy({ organizationId, buildingId, type, numberKey: premisesNumberKey(number) });
    if (taken) throw duplicateNumber(number.trim(), type);
  }

  private async translateRaces<T>(number: string, type: PremisesType, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, 'uq_premises_number')) throw duplicateNumber(number.trim(), type);
      throw error;
    }
  }

  // ---- bulk (the Excel import): loads and set-based writes inside the caller's transaction ----

  /** Premises by their natural key (building, type, normalized number). */
  async findByNaturalKeys(
    manager: EntityManager,
    organizationId: string,
    keys: readonly { buildingId: string; type: PremisesType; numberKey: string }[],
  ): Promise<PremisesEntity[]> {
    requireOrganization(organizationId);
    if (!keys.length) return [];
    return runSql(
      manager,
      sql`SELECT p.organization_id AS "organizationId", p.id, p.building_id AS "buildingId", p.type, p.number, p.number_key AS "numberKey",
              p.number_sort AS "numberSort", p.entrance, p.floor, p.area::text AS area, p.rooms, p.cadastral_number AS "cadastralNumber"
         FROM jsonb_to_recordset(${JSON.stringify(keys.map((k) => ({ building_id: k.buildingId, type: k.type, number_key: k.numberKey })))}::jsonb) AS k(building_id uuid, type text, number_key text)
         -- One unique-index probe per key (LATERAL with LIMIT cannot be flattened into a join that scans the table).
         CROSS JOIN LATERAL (
           SELECT * FROM premises x WHERE x.organization_id = ${organizationId} AND x.building_id = k.building_id AND x.type = k.type AND x.number_key = k.number_key LIMIT 1
         ) p`,
    );
  }

  /** Premises by id, in the caller's transaction (the import names the premises an account is on). */
  async findByIdsIn(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<PremisesEntity[]> {
    requireOrganization(organizationId);
    if (!ids.length) return [];
    return manager
      .getRepository(PremisesEntity)
      .createQueryBuilder('p')
      .where('p.organization_id = :organizationId AND p.id = ANY(:ids)', { organizationId, ids: [...ids] })
      .getMany();
  }

  /** A new premises, not yet saved. */
  newInBuilding(organizationId: string, buildingId: string, type: PremisesType, number: string): PremisesEntity {
    return Object.assign(new PremisesEntity(), {
      organizationId,
      id: randomUUID(),
      buildingId,
      type,
      number: number.trim(),
      numberKey: premisesNumberKey(number),
      numberSort: premisesNumberSort(number),
      entrance: null,
      floor: null,
      area: null,
      rooms: null,
      cadastralNumber: null,
    });
  }

  /** What would make the values not fit the building (entrances and floors it has, a positive area); empty when they fit. */
  misfits(building: BuildingEntity, entrance: number | null, floor: number | null, area: string | null): FieldError[] {
    try {
      this.assertFits(building, entrance, floor, area);
      return [];
    } catch (error) {
      if (error instanceof BadInputException) return error.fields ?? [];
      throw error;
    }
  }

  async insertMany(manager: EntityManager, rows: readonly PremisesEntity[]): Promise<void> {
    await insertRows(
      manager,
      PremisesEntity,
      [
        'organizationId',
        'id',
        'buildingId',
        'type',
        'number',
        'numberKey',
        'numberSort',
        'entrance',
        'floor',
        'area',
        'rooms',
        'cadastralNumber',
      ],
      rows,
    );
  }

  async updateMany(manager: EntityManager, rows: readonly PremisesEntity[]): Promise<void> {
    await updateRows(manager, PremisesEntity, ['organizationId', 'id'], ['entrance', 'floor', 'area'], rows);
  }
}
