import { EntityManager } from 'typeorm';

/*
 * The registration requests' part of joining duplicate buildings and their premises
 * (wiring/building-merge.ts runs the whole merge), inside the merge's transaction.
 */

export async function moveRequestsToBuilding(tx: EntityManager, organizationId: string, fromBuilding: string, intoBuilding: string): Promise<void> {
  await tx.query(`UPDATE registration_request SET building_id = $3, updated_at = now() WHERE organization_id = $1 AND building_id = $2`, [organizationId, fromBuilding, intoBuilding]);
}

export async function moveRequestsToPremises(tx: EntityManager, organizationId: string, fromPremises: string, intoPremises: string): Promise<void> {
  await tx.query(`UPDATE registration_request SET premises_id = $3, updated_at = now() WHERE organization_id = $1 AND premises_id = $2`, [organizationId, fromPremises, intoPremises]);
}
