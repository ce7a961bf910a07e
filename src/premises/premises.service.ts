import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { BuildingEntity } from '../buildings/building.entity';
import { BuildingsService } from '../buildings/buildings.service';
import { isForeignKeyViolation } from '../common/errors/database-errors';
import { ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { runSql, sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { ExternalIdsService } from '../external-ids/external-ids.service';
import { Actor } from '../kernel/actor';
import { CreatePremisesInput, UpdatePremisesInput } from './dto/premises.input';
import { assertFitsBuilding, assertNumberFree, translateNumberRaces } from './premises-checks';
import { premisesNumberKey, premisesNumberSort } from './premises-number';
import { PremisesEntity } from './premises.entity';
import { PremisesType } from './premises-type';

export const PREMISES = { ru: 'Помещение', en: 'Premises' };

/**
 * A premises' own lifecycle (create, edit, delete, an integration's upsert) and single reads by id or
 * number. Lists are PremisesSearch, batched reads and the card's parts PremisesReads, the import's
 * loads and writes PremisesImportWriter; what premises must satisfy is premises-checks.ts.
 */
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

  /** Inside `manager`'s transaction when given (a caller creating premises as one step of its own change). */
  async create(organizationId: string, input: CreatePremisesInput): Promise<PremisesEntity> {
    return this.dataSource.transaction((tx) => this.createIn(tx, organizationId, input));
  }

  /** create, in the caller's transaction. */
  async createIn(manager: EntityManager, organizationId: string, input: CreatePremisesInput): Promise<PremisesEntity> {
    requireOrganization(organizationId);
    const inTransaction = <T>(work: (tx: EntityManager) => Promise<T>) => work(manager);
    return translateNumberRaces(input.number, input.type, () =>
      inTransaction(async (tx) => {
        const building = await this.buildingFor(tx, organizationId, input.buildingId);
        assertFitsBuilding(building, input.entrance ?? null, input.floor ?? null, input.area ?? null);
        await assertNumberFree(tx, organizationId, building.id, input.type, input.number);
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
    return translateNumberRaces(input.number ?? '', input.type ?? PremisesType.FLAT, () =>
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
        assertFitsBuilding(building, next.entrance, next.floor, next.area);
        if (premisesNumberKey(next.number) !== premises.numberKey || next.type !== premises.type) {
          await assertNumberFree(tx, organizationId, building.id, next.type, next.number);
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
    assertFitsBuilding(
      building,
      next.entrance as number | null,
      next.floor as number | null,
      next.area as string | null,
    );
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
        await assertNumberFree(tx, organizationId, next.buildingId, next.type, next.number);
      }
      return { premises: await tx.getRepository(PremisesEntity).save(Object.assign(existing, next)), changed: true };
    }
    await assertNumberFree(tx, organizationId, next.buildingId, next.type, next.number);
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
}
