import { EntityManager } from 'typeorm';
import { runSql, runSqlCount, sql } from '../common/sql/sql';
import { ClientsMerged } from '../kernel/events';

/*
 * Tickets follow what they point at when it is joined to another: a merged client's card, a duplicate
 * building and its premises (wiring/building-merge.ts runs that merge). Statements over the tickets
 * module's own table, inside the merge's transaction; a ticket's place (building or premises) follows too.
 */

/** ClientsMerged: the source's tickets now belong to the target. */
export async function moveTicketsToMergedClient({ tx, actor, sourceId, targetId }: ClientsMerged): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE ticket SET client_id = ${targetId}, updated_at = now() WHERE organization_id = ${actor.organizationId} AND client_id = ${sourceId}`,
  );
}

/** Returns how many tickets moved. */
export async function moveTicketsToBuilding(
  tx: EntityManager,
  organizationId: string,
  fromBuilding: string,
  intoBuilding: string,
): Promise<number> {
  return runSqlCount(
    tx,
    sql`UPDATE ticket SET building_id = ${intoBuilding}, place_id = CASE WHEN place_id = ${fromBuilding} THEN ${intoBuilding} ELSE place_id END, updated_at = now() WHERE organization_id = ${organizationId} AND building_id = ${fromBuilding}`,
  );
}

export async function moveTicketsToPremises(
  tx: EntityManager,
  organizationId: string,
  fromPremises: string,
  intoPremises: string,
): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE ticket SET premises_id = ${intoPremises}, place_id = CASE WHEN place_id = ${fromPremises} THEN ${intoPremises} ELSE place_id END, updated_at = now() WHERE organization_id = ${organizationId} AND premises_id = ${fromPremises}`,
  );
}
