import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../audit/actor';
import { AuditChannel, AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { requireOrganization } from '../common/tenancy/require-organization';
import { CrmSpace, ExternalEntityType } from '../external-ids/external-id-enums';
import { ExternalIdsService } from '../external-ids/external-ids.service';
import { displayAddress } from './address';
import { applyKeyChanges, duplicateGroups, keyChanges, STORED_BUILDING_COLUMNS, StoredBuilding } from './building-keys';

export interface MergedBuilding {
  id: string;
  address: string;
  /** Premises of the duplicate that another premises of the kept building already had (type and number): joined into it. */
  joinedPremises: { type: string; number: string; from: string; into: string }[];
}

export interface BuildingMergeGroup {
  organizationId: string;
  keep: { id: string; address: string };
  merged: MergedBuilding[];
}

export interface BuildingMergeReport {
  dryRun: boolean;
  groups: BuildingMergeGroup[];
  /** Buildings whose stored key was only recomputed (no duplicate). */
  rekeyed: number;
}

/**
 * Every uuid column that may hold a building's or a premises' id, and what the merge does with it.
 * test/building-merge.e2e.ts reads the schema and fails when a column appears that neither list
 * names: a new reference must be moved here (or knowingly left) before it can be forgotten.
 */
export const MERGE_MOVES = [
  'premises.building_id', 'ticket.building_id', 'ticket.premises_id', 'ticket.place_id', 'registration_request.building_id', 'registration_request.premises_id',
  'account.premises_id', 'occupancy.premises_id', 'import_listed.premises_id', 'external_id.entity_id',
];
/** The history stays on the ids it was written with; the 'merged_into' entry links old and new. */
export const MERGE_LEAVES = ['audit_entry.entity_id'];

/** The audit's channel reference for everything this command writes. */
export const MERGE_CHANNEL_REF = 'buildings:merge-duplicates';

const address = (b: StoredBuilding) => displayAddress(b);

/**
 * Joins buildings the current address rule makes one (src/buildings/address.ts), per organization
 * in one transaction each: the oldest building stays (its id is what users, links and integrations
 * know); premises, tickets, registration requests and external ids of the younger ones move to it.
 * A premises of the same type and number in both (two flats «12») is joined too: its accounts,
 * occupancy, tickets, requests, import marks and external ids move to the kept building's
 * premises, and a client attached to both keeps the kept premises' attachment. Every joined
 * building and premises is audited ('merged' on the kept one, 'merged_into' on the gone one, which
 * the integration change feed reports as a deletion). `dryRun` reads and lists, writes nothing.
 */
export async function mergeDuplicateBuildings(dataSource: DataSource, options: { dryRun: boolean; organizationId?: string }): Promise<BuildingMergeReport> {
  const organizations = options.organizationId
    ? [options.organizationId]
    : (await dataSource.query<{ organization_id: string }[]>('SELECT DISTINCT organization_id FROM building ORDER BY organization_id')).map((r) => r.organization_id);
  const report: BuildingMergeReport = { dryRun: options.dryRun, groups: [], rekeyed: 0 };
  const merger = new BuildingMerger(new AuditService(dataSource), new ExternalIdsService(dataSource));
  for (const organizationId of organizations) {
    requireOrganization(organizationId);
    await dataSource.transaction(async (tx) => {
      const { groups, rekeyed } = await merger.mergeOrganization(tx, organizationId, options.dryRun);
      report.groups.push(...groups);
      report.rekeyed += rekeyed;
    });
  }
  return report;
}

/** What a clerk or an admin reads: each kept building, what joins it, and which premises join. */
export function describeMergeReport(report: BuildingMergeReport): string {
  const lines = report.groups.flatMap((group) => [
    `${report.dryRun ? 'would keep' : 'kept'} ${group.keep.id} ${group.keep.address} (organization ${group.organizationId})`,
    ...group.merged.flatMap((m) => [
      `  ${report.dryRun ? 'would join' : 'joined'} ${m.id} ${m.address}`,
      ...m.joinedPremises.map((p) => `    premises ${p.type} ${p.number}: ${p.from} ${report.dryRun ? 'would join' : 'joined'} ${p.into}`),
    ]),
  ]);
  const merged = report.groups.reduce((n, g) => n + g.merged.length, 0);
  lines.push(`${report.dryRun ? 'dry run: would join' : 'joined'} ${merged} building(s) into ${report.groups.length}; ${report.rekeyed} other key(s) ${report.dryRun ? 'to recompute' : 'recomputed'}`);
  return lines.join('\n');
}

class BuildingMerger {
  constructor(
    private readonly audit: AuditService,
    private readonly externalIds: ExternalIdsService,
  ) {}

  async mergeOrganization(tx: EntityManager, organizationId: string, dryRun: boolean): Promise<{ groups: BuildingMergeGroup[]; rekeyed: number }> {
    // FOR UPDATE also holds off premises and tickets being added to a building while it goes.
    const rows: StoredBuilding[] = await tx.query(
      `SELECT ${STORED_BUILDING_COLUMNS} FROM building WHERE organization_id = $1 ORDER BY id ${dryRun ? '' : 'FOR UPDATE'}`,
      [organizationId],
    );
    const actor: Actor = { organizationId, employeeId: null, channel: AuditChannel.CRM, channelRef: MERGE_CHANNEL_REF, space: CrmSpace.OPERATION };
    const groups: BuildingMergeGroup[] = [];
    for (const [keep, ...duplicates] of duplicateGroups(rows)) {
      const merged: MergedBuilding[] = [];
      for (const duplicate of duplicates) {
        const joinedPremises = await this.premisesCollisions(tx, organizationId, duplicate.id, keep.id);
        if (!dryRun) await this.mergeBuilding(tx, actor, duplicate, keep, joinedPremises);
        merged.push({ id: duplicate.id, address: address(duplicate), joinedPremises });
      }
      groups.push({ organizationId, keep: { id: keep.id, address: address(keep) }, merged });
    }
    const kept = new Set(groups.map((g) => g.keep.id));
    const gone = new Set(groups.flatMap((g) => g.merged.map((m) => m.id)));
    const changes = keyChanges(dryRun ? rows : rows.filter((row) => !gone.has(row.id)));
    if (!dryRun) await applyKeyChanges(tx, changes);
    return { groups, rekeyed: changes.filter((change) => !kept.has(change.id)).length };
  }

  private premisesCollisions(tx: EntityManager, organizationId: string, fromBuilding: string, intoBuilding: string): Promise<MergedBuilding['joinedPremises']> {
    return tx.query(
      `SELECT d.type, d.number, d.id AS "from", k.id AS "into"
         FROM premises d
         JOIN premises k ON k.organization_id = d.organization_id AND k.building_id = $3 AND k.type = d.type AND k.number_key = d.number_key
        WHERE d.organization_id = $1 AND d.building_id = $2
        ORDER BY d.number_sort, d.id`,
      [organizationId, fromBuilding, intoBuilding],
    );
  }

  private async mergeBuilding(tx: EntityManager, actor: Actor, duplicate: StoredBuilding, keep: StoredBuilding, joined: MergedBuilding['joinedPremises']): Promise<void> {
    const org = actor.organizationId;
    for (const pair of joined) await this.joinPremises(tx, actor, pair.from, pair.into);
    const [, premisesMoved] = await tx.query(`UPDATE premises SET building_id = $3, updated_at = now() WHERE organization_id = $1 AND building_id = $2`, [org, duplicate.id, keep.id]);
    const [, ticketsMoved] = await tx.query(
      `UPDATE ticket SET building_id = $3, place_id = CASE WHEN place_id = $2 THEN $3 ELSE place_id END, updated_at = now() WHERE organization_id = $1 AND building_id = $2`,
      [org, duplicate.id, keep.id],
    );
    await tx.query(`UPDATE registration_request SET building_id = $3, updated_at = now() WHERE organization_id = $1 AND building_id = $2`, [org, duplicate.id, keep.id]);
    await this.externalIds.moveAll(tx, org, ExternalEntityType.BUILDING, duplicate.id, keep.id);
    // The kept building's own data wins; what it lacks (index, entrances, reference sheet) comes from the duplicate.
    await tx.query(
      `UPDATE building k SET
          postal_index = COALESCE(k.postal_index, d.postal_index),
          entrances = CASE WHEN jsonb_array_length(k.entrances) = 0 THEN d.entrances ELSE k.entrances END,
          reference_sheet_html = CASE WHEN k.reference_sheet_html = '' THEN d.reference_sheet_html ELSE k.reference_sheet_html END,
          reference_sheet_updated_at = CASE WHEN k.reference_sheet_html = '' THEN d.reference_sheet_updated_at ELSE k.reference_sheet_updated_at END,
          reference_sheet_updated_by = CASE WHEN k.reference_sheet_html = '' THEN d.reference_sheet_updated_by ELSE k.reference_sheet_updated_by END,
          updated_at = now()
        FROM building d
       WHERE k.organization_id = $1 AND k.id = $3 AND d.organization_id = $1 AND d.id = $2`,
      [org, duplicate.id, keep.id],
    );
    await tx.query(`DELETE FROM building WHERE organization_id = $1 AND id = $2`, [org, duplicate.id]);
    const snapshot = { city: duplicate.city, street: duplicate.street, house: duplicate.house, block: duplicate.block, addressKey: duplicate.address_key };
    await this.audit.record(tx, actor, [
      { entityType: AuditEntityType.BUILDING, entityId: keep.id, action: 'merged', after: { mergedBuildingId: duplicate.id, premisesMoved, premisesJoined: joined.length, ticketsMoved } },
      { entityType: AuditEntityType.BUILDING, entityId: duplicate.id, action: 'merged_into', before: snapshot, after: { mergedIntoBuildingId: keep.id } },
    ]);
  }

  /** Two premises of one type and number, one in each building: everything attached to `from` moves to `into`, then `from` goes. */
  private async joinPremises(tx: EntityManager, actor: Actor, from: string, into: string): Promise<void> {
    const org = actor.organizationId;
    const params = [org, from, into];
    await tx.query(`UPDATE account SET premises_id = $3, updated_at = now() WHERE organization_id = $1 AND premises_id = $2`, params);
    await tx.query(
      `UPDATE occupancy o SET premises_id = $3, updated_at = now()
        WHERE o.organization_id = $1 AND o.premises_id = $2
          AND NOT EXISTS (SELECT 1 FROM occupancy k WHERE k.organization_id = $1 AND k.premises_id = $3 AND k.client_id = o.client_id)`,
      params,
    );
    // Left: the same client attached to both; the kept premises' attachment (its role) stays.
    await tx.query(`DELETE FROM occupancy WHERE organization_id = $1 AND premises_id = $2`, [org, from]);
    await tx.query(
      `UPDATE ticket SET premises_id = $3, place_id = CASE WHEN place_id = $2 THEN $3 ELSE place_id END, updated_at = now() WHERE organization_id = $1 AND premises_id = $2`,
      params,
    );
    await tx.query(`UPDATE registration_request SET premises_id = $3, updated_at = now() WHERE organization_id = $1 AND premises_id = $2`, params);
    await tx.query(`UPDATE import_listed SET premises_id = $3 WHERE premises_id = $2 AND job_id IN (SELECT id FROM import_job WHERE organization_id = $1)`, params);
    await this.externalIds.moveAll(tx, org, ExternalEntityType.PREMISES, from, into);
    await tx.query(
      `UPDATE premises k SET entrance = COALESCE(k.entrance, d.entrance), floor = COALESCE(k.floor, d.floor), area = COALESCE(k.area, d.area),
              rooms = COALESCE(k.rooms, d.rooms), cadastral_number = COALESCE(k.cadastral_number, d.cadastral_number), updated_at = now()
         FROM premises d WHERE k.organization_id = $1 AND k.id = $3 AND d.organization_id = $1 AND d.id = $2`,
      params,
    );
    const [gone] = await tx.query(`DELETE FROM premises WHERE organization_id = $1 AND id = $2 RETURNING type, number, building_id`, [org, from]);
    await this.audit.record(tx, actor, [
      { entityType: AuditEntityType.PREMISES, entityId: into, action: 'merged', after: { mergedPremisesId: from } },
      { entityType: AuditEntityType.PREMISES, entityId: from, action: 'merged_into', before: gone?.[0] ?? null, after: { mergedIntoPremisesId: into } },
    ]);
  }
}
