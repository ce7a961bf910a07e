import { EntityManager } from 'typeorm';

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
export function premisesCollisions(tx: EntityManager, organizationId: string, fromBuilding: string, intoBuilding: string): Promise<PremisesCollision[]> {
  return tx.query(
    `SELECT d.type, d.number, d.id AS "from", k.id AS "into"
       FROM premises d
       JOIN premises k ON k.organization_id = d.organization_id AND k.building_id = $3 AND k.type = d.type AND k.number_key = d.number_key
      WHERE d.organization_id = $1 AND d.building_id = $2
      ORDER BY d.number_sort, d.id`,
    [organizationId, fromBuilding, intoBuilding],
  );
}

/** The rest of the duplicate building's premises move to the kept building; returns how many. */
export async function movePremisesToBuilding(tx: EntityManager, organizationId: string, fromBuilding: string, intoBuilding: string): Promise<number> {
  const [, moved] = await tx.query(`UPDATE premises SET building_id = $3, updated_at = now() WHERE organization_id = $1 AND building_id = $2`, [organizationId, fromBuilding, intoBuilding]);
  return moved;
}

/** `into` keeps its own data and takes what it lacks from `from`, which then goes; returns what `from` was (for the audit). */
export async function absorbPremises(tx: EntityManager, organizationId: string, from: string, into: string): Promise<Record<string, unknown> | null> {
  await tx.query(
    `UPDATE premises k SET entrance = COALESCE(k.entrance, d.entrance), floor = COALESCE(k.floor, d.floor), area = COALESCE(k.area, d.area),
            rooms = COALESCE(k.rooms, d.rooms), cadastral_number = COALESCE(k.cadastral_number, d.cadastral_number), updated_at = now()
       FROM premises d WHERE k.organization_id = $1 AND k.id = $3 AND d.organization_id = $1 AND d.id = $2`,
    [organizationId, from, into],
  );
  const [gone] = await tx.query(`DELETE FROM premises WHERE organization_id = $1 AND id = $2 RETURNING type, number, building_id`, [organizationId, from]);
  return gone?.[0] ?? null;
}
