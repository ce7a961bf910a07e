import { EntityManager } from 'typeorm';

/*
 * The tickets' part of joining duplicate buildings and their premises (wiring/building-merge.ts runs the
 * whole merge): statements over the tickets module's own table, inside the merge's transaction. A
 * ticket's place (building or premises) follows too.
 */

/** Returns how many tickets moved. */
export async function moveTicketsToBuilding(tx: EntityManager, organizationId: string, fromBuilding: string, intoBuilding: string): Promise<number> {
  const [, moved] = await tx.query(
    `UPDATE ticket SET building_id = $3, place_id = CASE WHEN place_id = $2 THEN $3 ELSE place_id END, updated_at = now() WHERE organization_id = $1 AND building_id = $2`,
    [organizationId, fromBuilding, intoBuilding],
  );
  return moved;
}

export async function moveTicketsToPremises(tx: EntityManager, organizationId: string, fromPremises: string, intoPremises: string): Promise<void> {
  await tx.query(
    `UPDATE ticket SET premises_id = $3, place_id = CASE WHEN place_id = $2 THEN $3 ELSE place_id END, updated_at = now() WHERE organization_id = $1 AND premises_id = $2`,
    [organizationId, fromPremises, intoPremises],
  );
}
