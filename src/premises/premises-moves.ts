import { EntityManager } from 'typeorm';
import { runSql, runSqlCount, sql } from '../common/sql/sql';

/*
 * The premises' part of joining duplicate buildings (wiring/building-merge.ts runs the whole merge):
 * statements over the premises module's own table, inside the merge's transaction.
 */

export interface PremisesCollision {
  type: string;
  number: string;
  /** The duplicate building's premises that joins `into`. */
  from: string;
  into: string;
}

/** Premises of `fromBuilding` that `intoBuilding` already has (same type and number). */
export function premisesCollisions(
  tx: EntityManager,
  organizationId: string,
  fromBuilding: string,
  intoBuilding: string,
): Promise<PremisesCollision[]> {
  return runSql(
    tx,
    sql`SELECT d.type, d.number, d.id AS "from", k.id AS "into"
       FROM premises d
       JOIN premises k ON k.organization_id = d.organization_id AND k.building_id = ${intoBuilding} AND k.type = d.type AND k.number_key = d.number_key
      WHERE d.organization_id = ${organizationId} AND d.building_id = ${fromBuilding}
      ORDER BY d.number_sort, d.id`,
  );
}

/** The rest of the duplicate building's premises move to the kept building; returns how many. */
export async function movePremisesToBuilding(
  tx: EntityManager,
  organizationId: string,
  fromBuilding: string,
  intoBuilding: string,
): Promise<number> {
  return runSqlCount(
    tx,
    sql`UPDATE premises SET building_id = ${intoBuilding}, updated_at = now() WHERE organization_id = ${organizationId} AND building_id = ${fromBuilding}`,
  );
}

/** `into` keeps its own data and takes what it lacks from `from`, which then goes; returns what `from` was (for the audit). */
export async function absorbPremises(
  tx: EntityManager,
  organizationId: string,
  from: string,
  into: string,
): Promise<Record<string, unknown> | null> {
  await runSql(
    tx,
    sql`UPDATE premises k SET entrance = COALESCE(k.entrance, d.entrance), floor = COALESCE(k.floor, d.floor), area = COALESCE(k.area, d.area),
            rooms = COALESCE(k.rooms, d.rooms), cadastral_number = COALESCE(k.cadastral_number, d.cadastral_number), updated_at = now()
       FROM premises d WHERE k.organization_id = ${organizationId} AND k.id = ${into} AND d.organization_id = ${organizationId} AND d.id = ${from}`,
  );
  const [gone] = await runSql<Record<string, unknown>>(
    tx,
    sql`DELETE FROM premises WHERE organization_id = ${organizationId} AND id = ${from} RETURNING type, number, building_id`,
  );
  return gone ?? null;
}
