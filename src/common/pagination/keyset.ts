import { GraphQLResolveInfo } from 'graphql';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { entitySelection } from '../../database/hydrate';
import { empty, join, raw, runSql, sql, Sql } from '../sql/sql';
import { selectsAnyField } from '../graphql/selection';
import { ConnectionShape, PageArgs } from './connection';
import { CursorCodec, CursorValueKind } from './cursor';

/** One column of a keyset ordering: its SQL expression, what kind of value it holds, and how to read it from a loaded row. */
export interface KeysetColumn<T> {
  sql: string;
  /** Names the column in cursors when `sql` varies by plan but orders alike (defaults to `sql`). */
  name?: string;
  kind: CursorValueKind;
  value: (row: T) => string | number;
}

const codecs = new Map<string, CursorCodec>();

/** The cursor codec of one keyset ordering (cached: lists are few, requests many). */
export function keysetCodec(
  keys: readonly Pick<KeysetColumn<never>, 'sql' | 'name' | 'kind'>[],
  direction: 'ASC' | 'DESC' = 'ASC',
): CursorCodec {
  const signature = `${direction}:${keys.map((key) => `${key.name ?? key.sql}/${key.kind}`).join(',')}`;
  let codec = codecs.get(signature);
  if (!codec)
    codecs.set(
      signature,
      (codec = new CursorCodec(
        keys.map((key) => key.kind),
        signature,
      )),
    );
  return codec;
}

/** True when the client asked for `totalCount`, so the count query runs only when it is read. */
export function selectsTotalCount(info: GraphQLResolveInfo): boolean {
  return selectsAnyField(info, ['totalCount']);
}

/**
 * A list's rows before paging: whole entities of `entity` under `alias`, from its table and `joins`
 * (rows of other tables a condition needs, one per listed row), where every condition of `where` holds.
 */
export interface ListQuery<T> {
  entity: EntityTarget<T>;
  alias: string;
  joins?: Sql;
  where: readonly Sql[];
}

/**
 * Keyset (seek) pagination: `WHERE (k1, k2, …) > (cursor)` over a unique, non-null ordering
 * (ascending, or all keys descending for newest-first lists that an index serves backwards),
 * reading one row more than asked to know whether another page exists. The list's statement is
 * composed with `sql` and run with `runSql` like any hand-written one; `SELECT count(*)` over the same
 * rows runs first, only when `totalCount` is asked.
 */
export async function paginate<T extends ObjectLiteral>(
  dataSource: DataSource,
  list: ListQuery<T>,
  page: PageArgs,
  keys: KeysetColumn<T>[],
  withTotal: boolean,
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<ConnectionShape<T>> {
  const codec = keysetCodec(keys, direction);
  // Decoded before anything runs: a forged cursor costs no count.
  const values = page.after ? codec.decode(page.after) : null;
  const selection = entitySelection(dataSource, list.entity, list.alias);
  const from = sql`FROM ${selection.table}${list.joins ? sql` ${list.joins}` : empty}`;
  const where = join(list.where.length ? list.where : [sql`true`], ' AND ');
  const totalCount = withTotal
    ? Number(
        (await runSql<{ count: string }>(dataSource, sql`SELECT count(*) AS count ${from} WHERE ${where}`))[0].count,
      )
    : undefined;
  const tuple = raw(keys.map((k) => k.sql).join(', '));
  const after = values
    ? sql` AND (${tuple}) ${raw(direction === 'ASC' ? '>' : '<')} (${join(values.map((v) => sql`${v}`))})`
    : empty;
  const order = raw(keys.map((k) => `${k.sql} ${direction}`).join(', '));
  const rows = (
    await runSql<Record<string, unknown>>(
      dataSource,
      sql`SELECT ${selection.columns} ${from} WHERE ${where}${after} ORDER BY ${order} LIMIT ${page.first + 1}`,
    )
  ).map(selection.hydrate);
  const hasNextPage = rows.length > page.first;
  const edges = rows
    .slice(0, page.first)
    .map((node) => ({ node, cursor: codec.encode(keys.map((k) => k.value(node))) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: !!page.after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
