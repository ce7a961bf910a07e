import { EntityManager } from 'typeorm';
import { runSql, sql } from '../common/sql/sql';
import { ClientsMerged } from '../kernel/events';

/** Joining duplicate premises (wiring/building-merge.ts): the accounts of `fromPremises` are `intoPremises`' now. */
export async function moveAccountsToPremises(
  tx: EntityManager,
  organizationId: string,
  fromPremises: string,
  intoPremises: string,
): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE account SET premises_id = ${intoPremises}, updated_at = now() WHERE organization_id = ${organizationId} AND premises_id = ${fromPremises}`,
  );
}

/** ClientsMerged: the source's accounts are the target's. */
export async function moveAccountsToMergedClient({ tx, actor, sourceId, targetId }: ClientsMerged): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE account SET owner_client_id = ${targetId}, updated_at = now() WHERE organization_id = ${actor.organizationId} AND owner_client_id = ${sourceId}`,
  );
}
