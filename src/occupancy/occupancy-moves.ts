import { EntityManager } from 'typeorm';

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
