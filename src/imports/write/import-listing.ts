import { EntityManager } from 'typeorm';

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
  return manager.query(
    `SELECT premises_id AS "premisesId", COALESCE(array_agg(client_id) FILTER (WHERE client_id IS NOT NULL), '{}') AS "clientIds"
       FROM import_listed WHERE organization_id = $1 AND job_id = $2
      GROUP BY premises_id HAVING NOT bool_or(keep_all)`,
    [organizationId, jobId],
  );
}

/** Joining duplicate premises (wiring/building-merge.ts): what running jobs listed for `fromPremises` is `intoPremises`' now. */
export async function moveListedToPremises(
  tx: EntityManager,
  organizationId: string,
  fromPremises: string,
  intoPremises: string,
): Promise<void> {
  await tx.query(`UPDATE import_listed SET premises_id = $3 WHERE organization_id = $1 AND premises_id = $2`, [
    organizationId,
    fromPremises,
    intoPremises,
  ]);
}
