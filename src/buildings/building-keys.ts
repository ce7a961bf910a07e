import { EntityManager } from 'typeorm';
import { raw, runSql, sql } from '../common/sql/sql';
import { addressKey } from './address';

/** A building row as stored, with the key an older rule may have computed. */
export interface StoredBuilding {
  organization_id: string;
  id: string;
  city: string;
  street: string;
  house: string;
  block: string | null;
  address_key: string;
  created_at: Date;
}

export const STORED_BUILDING_COLUMNS = 'organization_id, id, city, street, house, block, address_key, created_at';

export interface KeyChange {
  organizationId: string;
  id: string;
  to: string;
}

const currentKey = (b: StoredBuilding) =>
  addressKey({ city: b.city, street: b.street, house: b.house, block: b.block });
const scoped = (organizationId: string, key: string) => `${organizationId}\u0000${key}`;

/**
 * Buildings the current address rule makes one, per organization and key: groups of two or more,
 * oldest first (the one a merge keeps), ordered by the kept building's creation.
 */
export function duplicateGroups(rows: readonly StoredBuilding[]): StoredBuilding[][] {
  const groups = new Map<string, StoredBuilding[]>();
  for (const row of rows) {
    const key = scoped(row.organization_id, currentKey(row));
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const oldestFirst = (a: StoredBuilding, b: StoredBuilding) =>
    a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1);
  return [...groups.values()]
    .filter((group) => group.length > 1)
    .map((group) => group.sort(oldestFirst))
    .sort((a, b) => oldestFirst(a[0], b[0]));
}

/**
 * The stored keys that can take the current rule's value without breaking uq_building_address:
 * every stale key except those of the younger buildings of a duplicate group (the oldest, which a
 * merge keeps, takes the key, so imports already land in it; the others keep their old key until
 * `buildings:merge-duplicates` joins them), and except a key another staying building still holds.
 */
export function keyChanges(rows: readonly StoredBuilding[]): KeyChange[] {
  const colliding = new Set(
    duplicateGroups(rows)
      .flatMap((group) => group.slice(1))
      .map((row) => row.id),
  );
  const held = new Set(rows.map((row) => scoped(row.organization_id, row.address_key)));
  let candidates = rows
    .filter((row) => !colliding.has(row.id))
    .map((row) => ({ row, to: currentKey(row) }))
    .filter(({ row, to }) => to !== row.address_key);
  const moving = () => new Set(candidates.map(({ row }) => scoped(row.organization_id, row.address_key)));
  // A target another building holds and keeps (it does not move) blocks the move; repeat until stable.
  for (;;) {
    const freed = moving();
    const blocked = candidates.filter(
      ({ row, to }) => held.has(scoped(row.organization_id, to)) && !freed.has(scoped(row.organization_id, to)),
    );
    if (!blocked.length) break;
    const stays = new Set(blocked.map(({ row }) => row.id));
    candidates = candidates.filter(({ row }) => !stays.has(row.id));
  }
  return candidates.map(({ row, to }) => ({ organizationId: row.organization_id, id: row.id, to }));
}

/**
 * Writes new keys in two steps (first a placeholder unique to the row, then the key), so keys that
 * swap or chain between buildings never meet the unique index halfway. address_key only: the
 * building did not change for anyone reading it, so updated_at stays.
 */
export async function applyKeyChanges(manager: EntityManager, changes: readonly KeyChange[]): Promise<void> {
  if (!changes.length) return;
  const update = (value: string) =>
    sql`UPDATE building b SET address_key = ${raw(value)}
       FROM unnest(${changes.map((c) => c.organizationId)}::uuid[], ${changes.map((c) => c.id)}::uuid[], ${changes.map((c) => c.to)}::text[]) AS c(organization_id, id, key)
      WHERE b.organization_id = c.organization_id AND b.id = c.id`;
  await runSql(manager, update(`'rekey:' || b.id`));
  await runSql(manager, update('c.key'));
}
