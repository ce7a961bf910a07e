import { EntityManager } from 'typeorm';
import { runSql, sql } from '../../common/sql/sql';

/** Of one premises a sync import listed: the clients its rows named there. */
export interface ListedPremises {
  premisesId: string;
  clientIds: string[];
}

/**
 * What a sync job's rows listed (import_listed), for its sync step: each premises with the clients named
 * there. A premises one of whose rows failed (keep_all: its resident is in the file but unknown) is left
 * out, so the sync step leaves it alone.
 */
export async function listedBySyncJob(
  manager: EntityManager,
  organizationId: string,
  jobId: string,
): Promise<ListedPremises[]> {
  return runSql<ListedPremises>(
    manager,
    sql`SELECT premises_id AS "premisesId", COALESCE(array_agg(client_id) FILTER (WHERE client_id IS NOT NULL), '{}') AS "clientIds"
       FROM import_listed WHERE organization_id = ${organizationId} AND job_id = ${jobId}
      GROUP BY premises_id HAVING NOT bool_or(keep_all)`,
  );
}

/** Joining duplicate premises (wiring/building-merge.ts): what running jobs listed for `fromPremises` is `intoPremises`' now. */
export async function moveListedToPremises(
  tx: EntityManager,
  organizationId: string,
  fromPremises: string,
  intoPremises: string,
): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE import_listed SET premises_id = ${intoPremises} WHERE organization_id = ${organizationId} AND premises_id = ${fromPremises}`,
  );
}
