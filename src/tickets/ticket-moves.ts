import { EntityManager } from 'typeorm';
import { ClientsMerged } from '../kernel/events';

/*
 * Tickets follow what they point at when it is joined to another: a merged client's card, a duplicate
 * building and its premises (wiring/building-merge.ts runs that merge). Statements over the tickets
 * module's own table, inside the merge's transaction; a ticket's place (building or premises) follows too.
 */

/** ClientsMerged: the source's tickets now belong to the target. */
export async function moveTicketsToMergedClient({ tx, actor, sourceId, targetId }: ClientsMerged): Promise<void> {
  await tx.query(`UPDATE ticket SET client_id = $3, updated_at = now() WHERE organization_id = $1 AND client_id = $2`, [actor.organizationId, sourceId, targetId]);
}

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
