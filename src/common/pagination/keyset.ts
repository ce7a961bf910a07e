import { GraphQLResolveInfo } from 'graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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
 * Keyset (seek) pagination: `WHERE (k1, k2, …) > (cursor)` over a unique, non-null ordering
 * (ascending, or all keys descending for newest-first lists that an index serves backwards),
 * reading one row more than asked to know whether another page exists.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  page: PageArgs,
  keys: KeysetColumn<T>[],
  withTotal: boolean,
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<ConnectionShape<T>> {
  const tuple = `(${keys.map((k) => k.sql).join(', ')})`;
  const codec = keysetCodec(keys, direction);
  // Decoded before anything runs: a forged cursor costs no count.
  const values = page.after ? codec.decode(page.after) : null;
  const totalCount = withTotal ? await query.clone().getCount() : undefined;
  if (values) {
    const params = Object.fromEntries(values.map((v, i) => [`keyset_${i}`, v]));
    query.andWhere(
      `${tuple} ${direction === 'ASC' ? '>' : '<'} (${values.map((_, i) => `:keyset_${i}`).join(', ')})`,
      params,
    );
  }
  keys.forEach((key, index) =>
    index === 0 ? query.orderBy(key.sql, direction) : query.addOrderBy(key.sql, direction),
  );
  const rows = await query.limit(page.first + 1).getMany();
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
