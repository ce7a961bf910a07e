import { DataSource, EntityManager } from 'typeorm';
import { runSql, sql } from '../common/sql/sql';
import { Actor, AuditChannel } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { requireOrganization } from '../common/tenancy/require-organization';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { CrmSpace } from '../kernel/crm-space';
import { ExternalIdsService } from '../external-ids/external-ids.service';
import { moveAccountsToPremises } from '../accounts/account-moves';
import { displayAddress } from '../buildings/address';
import { applyKeyChanges, duplicateGroups, keyChanges, StoredBuilding } from '../buildings/building-keys';
import { absorbBuilding, storedBuildings } from '../buildings/building-moves';
import { moveListedToPremises } from '../imports/write/import-listing';
import { moveOccupancyToPremises } from '../occupancy/occupancy-moves';
import {
  absorbPremises,
  movePremisesToBuilding,
  PremisesCollision,
  premisesCollisions,
} from '../premises/premises-moves';
import { moveRequestsToBuilding, moveRequestsToPremises } from '../registration/registration-moves';
import { moveTicketsToBuilding, moveTicketsToPremises } from '../tickets/ticket-moves';

export interface MergedBuilding {
  id: string;
  address: string;
  /** Premises of the duplicate that another premises of the kept building already had (type and number): joined into it. */
  joinedPremises: PremisesCollision[];
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
  'premises.building_id',
  'ticket.building_id',
  'ticket.premises_id',
  'ticket.place_id',
  'registration_request.building_id',
  'registration_request.premises_id',
  'account.premises_id',
  'occupancy.premises_id',
  'import_listed.premises_id',
  'external_id.entity_id',
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
 * Each module moves its own rows (`*-moves.ts` beside its service); this file only composes them.
 */
export async function mergeDuplicateBuildings(
  dataSource: DataSource,
  options: { dryRun: boolean; organizationId?: string },
): Promise<BuildingMergeReport> {
  const organizations = options.organizationId
    ? [options.organizationId]
    : (
        await runSql<{ organization_id: string }>(
          dataSource,
          sql`SELECT DISTINCT organization_id FROM building ORDER BY organization_id`,
        )
      ).map((r) => r.organization_id);
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
      ...m.joinedPremises.map(
        (p) => `    premises ${p.type} ${p.number}: ${p.from} ${report.dryRun ? 'would join' : 'joined'} ${p.into}`,
      ),
    ]),
  ]);
  const merged = report.groups.reduce((n, g) => n + g.merged.length, 0);
  lines.push(
    `${report.dryRun ? 'dry run: would join' : 'joined'} ${merged} building(s) into ${report.groups.length}; ${report.rekeyed} other key(s) ${report.dryRun ? 'to recompute' : 'recomputed'}`,
  );
  return lines.join('\n');
}

class BuildingMerger {
  constructor(
    private readonly audit: AuditService,
    private readonly externalIds: ExternalIdsService,
  ) {}

  async mergeOrganization(
    tx: EntityManager,
    organizationId: string,
    dryRun: boolean,
  ): Promise<{ groups: BuildingMergeGroup[]; rekeyed: number }> {
    const rows = await storedBuildings(tx, organizationId, dryRun);
    const actor: Actor = {
      organizationId,
      employeeId: null,
      channel: AuditChannel.CRM,
      channelRef: MERGE_CHANNEL_REF,
      space: CrmSpace.OPERATION,
    };
    const groups: BuildingMergeGroup[] = [];
    for (const [keep, ...duplicates] of duplicateGroups(rows)) {
      const merged: MergedBuilding[] = [];
      for (const duplicate of duplicates) {
        const joinedPremises = await premisesCollisions(tx, organizationId, duplicate.id, keep.id);
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

  private async mergeBuilding(
    tx: EntityManager,
    actor: Actor,
    duplicate: StoredBuilding,
    keep: StoredBuilding,
    joined: MergedBuilding['joinedPremises'],
  ): Promise<void> {
    const org = actor.organizationId;
    for (const pair of joined) await this.joinPremises(tx, actor, pair.from, pair.into);
    const premisesMoved = await movePremisesToBuilding(tx, org, duplicate.id, keep.id);
    const ticketsMoved = await moveTicketsToBuilding(tx, org, duplicate.id, keep.id);
    await moveRequestsToBuilding(tx, org, duplicate.id, keep.id);
    await this.externalIds.moveAll(tx, org, ExternalEntityType.BUILDING, duplicate.id, keep.id);
    await absorbBuilding(tx, org, duplicate.id, keep.id);
    const snapshot = {
      city: duplicate.city,
      street: duplicate.street,
      house: duplicate.house,
      block: duplicate.block,
      addressKey: duplicate.address_key,
    };
    await this.audit.record(tx, actor, [
      {
        entityType: AuditEntityType.BUILDING,
        entityId: keep.id,
        action: 'merged',
        after: { mergedBuildingId: duplicate.id, premisesMoved, premisesJoined: joined.length, ticketsMoved },
      },
      {
        entityType: AuditEntityType.BUILDING,
        entityId: duplicate.id,
        action: 'merged_into',
        before: snapshot,
        after: { mergedIntoBuildingId: keep.id },
      },
    ]);
  }

  /** Two premises of one type and number, one in each building: everything attached to `from` moves to `into`, then `from` goes. */
  private async joinPremises(tx: EntityManager, actor: Actor, from: string, into: string): Promise<void> {
    const org = actor.organizationId;
    await moveAccountsToPremises(tx, org, from, into);
    await moveOccupancyToPremises(tx, org, from, into);
    await moveTicketsToPremises(tx, org, from, into);
    await moveRequestsToPremises(tx, org, from, into);
    await moveListedToPremises(tx, org, from, into);
    await this.externalIds.moveAll(tx, org, ExternalEntityType.PREMISES, from, into);
    const gone = await absorbPremises(tx, org, from, into);
    await this.audit.record(tx, actor, [
      { entityType: AuditEntityType.PREMISES, entityId: into, action: 'merged', after: { mergedPremisesId: from } },
      {
        entityType: AuditEntityType.PREMISES,
        entityId: from,
        action: 'merged_into',
        before: gone,
        after: { mergedIntoPremisesId: into },
      },
    ]);
  }
}
