import { EntityManager } from 'typeorm';
import { runSql, sql } from '../common/sql/sql';

/*
 * The registration requests' part of joining duplicate buildings and their premises
 * (wiring/building-merge.ts runs the whole merge), inside the merge's transaction.
 */

export async function moveRequestsToBuilding(
  tx: EntityManager,
  organizationId: string,
  fromBuilding: string,
  intoBuilding: string,
): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE registration_request SET building_id = ${intoBuilding}, updated_at = now() WHERE organization_id = ${organizationId} AND building_id = ${fromBuilding}`,
  );
}

export async function moveRequestsToPremises(
  tx: EntityManager,
  organizationId: string,
  fromPremises: string,
  intoPremises: string,
): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE registration_request SET premises_id = ${intoPremises}, updated_at = now() WHERE organization_id = ${organizationId} AND premises_id = ${fromPremises}`,
  );
}
