import { EntityManager } from 'typeorm';
import { raw, runSql, sql } from '../common/sql/sql';
import { STORED_BUILDING_COLUMNS, StoredBuilding } from './building-keys';

/*
 * The building rows' part of joining duplicate buildings (wiring/building-merge.ts runs the whole merge):
 * statements over the buildings module's own table, inside the merge's transaction.
 */

/** The organization's buildings, locked FOR UPDATE unless `dryRun` (which also holds off premises and tickets being added to a building while it goes). */
export function storedBuildings(tx: EntityManager, organizationId: string, dryRun: boolean): Promise<StoredBuilding[]> {
  return runSql(
    tx,
    sql`SELECT ${raw(STORED_BUILDING_COLUMNS)} FROM building WHERE organization_id = ${organizationId} ORDER BY id ${raw(dryRun ? '' : 'FOR UPDATE')}`,
  );
}

/** The kept building's own data wins; what it lacks (index, entrances, reference sheet) comes from the duplicate, which then goes. */
export async function absorbBuilding(
  tx: EntityManager,
  organizationId: string,
  duplicateId: string,
  keepId: string,
): Promise<void> {
  await runSql(
    tx,
    sql`UPDATE building k SET
        postal_index = COALESCE(k.postal_index, d.postal_index),
        entrances = CASE WHEN jsonb_array_length(k.entrances) = 0 THEN d.entrances ELSE k.entrances END,
        reference_sheet_html = CASE WHEN k.reference_sheet_html = '' THEN d.reference_sheet_html ELSE k.reference_sheet_html END,
        reference_sheet_updated_at = CASE WHEN k.reference_sheet_html = '' THEN d.reference_sheet_updated_at ELSE k.reference_sheet_updated_at END,
        reference_sheet_updated_by = CASE WHEN k.reference_sheet_html = '' THEN d.reference_sheet_updated_by ELSE k.reference_sheet_updated_by END,
        updated_at = now()
      FROM building d
     WHERE k.organization_id = ${organizationId} AND k.id = ${keepId} AND d.organization_id = ${organizationId} AND d.id = ${duplicateId}`,
  );
  await runSql(tx, sql`DELETE FROM building WHERE organization_id = ${organizationId} AND id = ${duplicateId}`);
}
