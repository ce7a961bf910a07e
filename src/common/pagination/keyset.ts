import { GraphQLResolveInfo } from 'graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadInputException } from '../errors/domain.exception';
import { selectsAnyField } from '../graphql/selection';
import { ConnectionShape, PageArgs } from './connection';

/** One column of a keyset ordering: its SQL expression and how to read it from a loaded row. */
export interface KeysetColumn<T> {
  sql: string;
  value: (row: T) => string | number;
}

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): (string | number)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return values as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw BadInputException.field('after', 'Некорректный курсор страницы: запросите список заново', 'Invalid page cursor: request the list again');
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
  const totalCount = withTotal ? await query.clone().getCount() : undefined;
  const tuple = `(${keys.map((k) => k.sql).join(', ')})`;
  if (page.after) {
    const values = decodeCursor(page.after, keys.length);
    const params = Object.fromEntries(values.map((v, i) => [`keyset_${i}`, v]));
    query.andWhere(`${tuple} ${direction === 'ASC' ? '>' : '<'} (${values.map((_, i) => `:keyset_${i}`).join(', ')})`, params);
  }
  keys.forEach((key, index) => (index === 0 ? query.orderBy(key.sql, direction) : query.addOrderBy(key.sql, direction)));
  const rows = await query.limit(page.first + 1).getMany();
  const hasNextPage = rows.length > page.first;
  const edges = rows.slice(0, page.first).map((node) => ({ node, cursor: encodeCursor(keys.map((k) => k.value(node))) }));
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
