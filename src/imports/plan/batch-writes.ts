import type { AuditChange } from '../../audit/audit.service';
import { AuditEntityType } from '../../audit/audit-enums';
import type { ClientEntity } from '../../clients/client.entity';
import type { OccupancyEntity } from '../../occupancy/occupancy.entity';
import type { BatchState, BatchWrites } from './batch-state';
import { fieldsDiff, withoutNulls } from './record-copies';

/** Which records a batch made and which it changed, with each existing record's state before it. */
export interface BatchChanges {
  newIds: ReadonlySet<string>;
  originals: ReadonlyMap<string, Record<string, unknown>>;
}

type Original = Record<string, unknown> | undefined;

const PREMISES_FIELDS = ['number', 'type', 'entrance', 'floor', 'area'];
const ACCOUNT_FIELDS = ['number', 'premisesId', 'hiddenFromResident', 'paymentsEnabled'];

/**
 * The batch's writes: final states of new records, and of existing ones that differ from what was
 * loaded, each with its audit entry (created, or the changed fields before and after).
 */
export function finishWrites(
  state: BatchState,
  w: BatchWrites,
  changes: BatchChanges,
  clientSnapshot: (card: ClientEntity) => Record<string, unknown>,
): BatchWrites {
  splitChanged(changes, w, state.premises.values(), w.premises, (p, original) =>
    recordAudit(
      AuditEntityType.PREMISES,
      p.id,
      p as unknown as Record<string, unknown>,
      original,
      PREMISES_FIELDS,
      true,
    ),
  );
  splitChanged(changes, w, state.accounts.values(), w.accounts, (a, original) =>
    recordAudit(
      AuditEntityType.ACCOUNT,
      a.id,
      a as unknown as Record<string, unknown>,
      original,
      ACCOUNT_FIELDS,
      false,
    ),
  );
  splitChanged(changes, w, state.clients.values(), w.clients, (c, original) =>
    clientAudit(c, original, clientSnapshot),
  );
  splitChanged(changes, w, state.occupancies.values(), w.occupancies, (o, original) => occupancyAudit(w, o, original));
  auditCreatedBuildingsAndTags(w);
  return w;
}

/** New records into `target.inserted`, changed ones into `target.updated`, each with its audit entry; the rest left out. */
function splitChanged<T extends { id: string }>(
  changes: BatchChanges,
  w: BatchWrites,
  values: Iterable<T>,
  target: { inserted: T[]; updated: T[] },
  audit: (row: T, original: Original) => AuditChange | null,
): void {
  for (const row of values) {
    const original = changes.originals.get(row.id);
    if (changes.newIds.has(row.id)) target.inserted.push(row);
    else if (original) target.updated.push(row);
    else continue;
    const change = audit(row, original);
    if (change) w.audit.push(change);
  }
}

/** A card's audit entry: created with its snapshot, or updated with the fields that changed. */
function clientAudit(
  c: ClientEntity,
  original: Original,
  clientSnapshot: (card: ClientEntity) => Record<string, unknown>,
): AuditChange | null {
  const after = clientSnapshot(c);
  if (!original)
    return { entityType: AuditEntityType.CLIENT, entityId: c.id, action: 'created', after: withoutNulls(after) };
  const diff = fieldsDiff(after, clientSnapshot(original as unknown as ClientEntity), Object.keys(after));
  return diff && { entityType: AuditEntityType.CLIENT, entityId: c.id, action: 'updated', ...diff };
}

/** An attachment's audit entry; a new one also goes into the client's history (pushed first, as the client's). */
function occupancyAudit(w: BatchWrites, o: OccupancyEntity, original: Original): AuditChange | null {
  if (!original) {
    w.audit.push({
      entityType: AuditEntityType.CLIENT,
      entityId: o.clientId,
      action: 'premises_attached',
      after: { premisesId: o.premisesId, role: o.role },
    });
    return {
      entityType: AuditEntityType.OCCUPANCY,
      entityId: o.id,
      action: 'attached',
      after: {
        clientId: o.clientId,
        premisesId: o.premisesId,
        role: o.role,
        keepOnSync: o.keepOnSync,
        source: o.source,
      },
    };
  }
  const diff = fieldsDiff(o as unknown as Record<string, unknown>, original, ['role', 'keepOnSync']);
  return diff && { entityType: AuditEntityType.OCCUPANCY, entityId: o.id, action: 'updated', ...diff };
}

/** Buildings the batch created, and the tags it added to or took off cards. */
function auditCreatedBuildingsAndTags(w: BatchWrites): void {
  for (const b of w.buildings)
    w.audit.push({
      entityType: AuditEntityType.BUILDING,
      entityId: b.id,
      action: 'created',
      after: { city: b.city, street: b.street, house: b.house, block: b.block },
    });
  for (const link of w.tagLinks)
    w.audit.push({
      entityType: AuditEntityType.CLIENT,
      entityId: link.clientId,
      action: 'tag_added',
      after: { tag: link.name },
    });
  for (const unlink of w.tagUnlinks)
    w.audit.push({
      entityType: AuditEntityType.CLIENT,
      entityId: unlink.clientId,
      action: 'tag_removed',
      before: { tagId: unlink.tagId },
    });
}

/** `created` with the fields (nulls left out when `dropNulls`), or `updated` with the changed ones. */
function recordAudit(
  entityType: AuditEntityType,
  entityId: string,
  row: Record<string, unknown>,
  original: Original,
  fields: readonly string[],
  dropNulls: boolean,
): AuditChange | null {
  if (!original) {
    const after = Object.fromEntries(fields.map((f) => [f, row[f]]));
    return { entityType, entityId, action: 'created', after: dropNulls ? withoutNulls(after) : after };
  }
  const diff = fieldsDiff(row, original, fields);
  return diff && { entityType, entityId, action: 'updated', ...diff };
}
