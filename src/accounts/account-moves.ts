import { EntityManager } from 'typeorm';
import { ClientsMerged } from '../kernel/events';

/** Joining duplicate premises (wiring/building-merge.ts): the accounts of `fromPremises` are `intoPremises`' now. */
export async function moveAccountsToPremises(tx: EntityManager, organizationId: string, fromPremises: string, intoPremises: string): Promise<void> {
  await tx.query(`UPDATE account SET premises_id = $3, updated_at = now() WHERE organization_id = $1 AND premises_id = $2`, [organizationId, fromPremises, intoPremises]);
}

/** ClientsMerged: the source's accounts are the target's. */
export async function moveAccountsToMergedClient({ tx, actor, sourceId, targetId }: ClientsMerged): Promise<void> {
  await tx.query(`UPDATE account SET owner_client_id = $3, updated_at = now() WHERE organization_id = $1 AND owner_client_id = $2`, [actor.organizationId, sourceId, targetId]);
}
