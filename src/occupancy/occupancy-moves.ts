import { EntityManager } from 'typeorm';
import { runSql, sql } from '../common/sql/sql';
import { ClientsMerged } from '../kernel/events';

/**
 * Joining duplicate premises (wiring/building-merge.ts): the attachments of `fromPremises` move to
 * `intoPremises`; a client attached to both keeps the kept premises' attachment (its role).
 */
export async function moveOccupancyToPremises(
  tx: EntityManager,
  organizationId: string,
  fromPremises: string,
  intoPremises: string,
): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE occupancy o SET premises_id = ${intoPremises}, updated_at = now()
      WHERE o.organization_id = ${organizationId} AND o.premises_id = ${fromPremises}
        AND NOT EXISTS (SELECT 1 FROM occupancy k WHERE k.organization_id = ${organizationId} AND k.premises_id = ${intoPremises} AND k.client_id = o.client_id)`,
  );
  // Left: the same client attached to both.
  await runSql(
    tx,
    sql`DELETE FROM occupancy WHERE organization_id = ${organizationId} AND premises_id = ${fromPremises}`,
  );
}

/**
 * ClientsMerged: the source's attachments move to the target. Where both were attached, the target's
 * attachment (and role) stays, keeping a keep-on-sync flag either had.
 */
export async function moveOccupancyToMergedClient({ tx, actor, sourceId, targetId }: ClientsMerged): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE occupancy t SET keep_on_sync = true, updated_at = now() FROM occupancy s
      WHERE t.organization_id = ${actor.organizationId} AND t.client_id = ${targetId} AND s.organization_id = t.organization_id AND s.client_id = ${sourceId}
        AND s.premises_id = t.premises_id AND s.keep_on_sync AND NOT t.keep_on_sync`,
  );
  await runSql(
    tx,
    sql`DELETE FROM occupancy s USING occupancy t
      WHERE s.organization_id = ${actor.organizationId} AND s.client_id = ${sourceId} AND t.organization_id = s.organization_id AND t.client_id = ${targetId} AND t.premises_id = s.premises_id`,
  );
  await runSql(
    tx,
    sql`UPDATE occupancy SET client_id = ${targetId}, updated_at = now() WHERE organization_id = ${actor.organizationId} AND client_id = ${sourceId}`,
  );
}
