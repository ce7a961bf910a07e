import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { BuildingEntity } from '../buildings/building.entity';
import { FieldError } from '../common/errors/error-code';
import { runSql, sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { insertRows, updateRows } from '../database/bulk';
import { misfitsOfBuilding } from './premises-checks';
import { premisesNumberKey, premisesNumberSort } from './premises-number';
import { PremisesEntity } from './premises.entity';
import { PremisesType } from './premises-type';

/**
 * The Excel import's access to premises: set-based loads and writes inside the caller's transaction, and
 * new records built in memory (the batch plan runs without the database: these use no dependency).
 */
@Injectable()
export class PremisesImportWriter {
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
    return misfitsOfBuilding(building, entrance, floor, area);
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
