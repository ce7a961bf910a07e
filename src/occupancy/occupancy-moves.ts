import { EntityManager } from 'typeorm';
import { ClientsMerged } from '../kernel/events';

/**
 * Joining duplicate premises (wiring/building-merge.ts): the attachments of `fromPremises` move to
 * `intoPremises`; a client attached to both keeps the kept premises' attachment (its role).
 */
export async function moveOccupancyToPremises(tx: EntityManager, organizationId: string, fromPremises: string, intoPremises: string): Promise<void> {
  await tx.query(
    `UPDATE occupancy o SET premises_id = $3, updated_at = now()
      WHERE o.organization_id = $1 AND o.premises_id = $2
        AND NOT EXISTS (SELECT 1 FROM occupancy k WHERE k.organization_id = $1 AND k.premises_id = $3 AND k.client_id = o.client_id)`,
    [organizationId, fromPremises, intoPremises],
  );
  // Left: the same client attached to both.
  await tx.query(`DELETE FROM occupancy WHERE organization_id = $1 AND premises_id = $2`, [organizationId, fromPremises]);
}

/**
 * ClientsMerged: the source's attachments move to the target. Where both were attached, the target's
 * attachment (and role) stays, keeping a keep-on-sync flag either had.
 */
export async function moveOccupancyToMergedClient({ tx, actor, sourceId, targetId }: ClientsMerged): Promise<void> {
  await tx.query(
    `UPDATE occupancy t SET keep_on_sync = true, updated_at = now() FROM occupancy s
      WHERE t.organization_id = $1 AND t.client_id = $3 AND s.organization_id = t.organization_id AND s.client_id = $2
        AND s.premises_id = t.premises_id AND s.keep_on_sync AND NOT t.keep_on_sync`,
    [actor.organizationId, sourceId, targetId],
  );
  await tx.query(
    `DELETE FROM occupancy s USING occupancy t
      WHERE s.organization_id = $1 AND s.client_id = $2 AND t.organization_id = s.organization_id AND t.client_id = $3 AND t.premises_id = s.premises_id`,
    [actor.organizationId, sourceId, targetId],
  );
  await tx.query(`UPDATE occupancy SET client_id = $3, updated_at = now() WHERE organization_id = $1 AND client_id = $2`, [actor.organizationId, sourceId, targetId]);
}
