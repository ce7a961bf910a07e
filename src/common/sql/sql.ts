import sql, { empty, join, raw, Sql } from 'sql-template-tag';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The one idiom for hand-written SQL: statements are composed with the `sql` tagged template
 * (sql-template-tag), which numbers the parameters itself. A module hands out the parts over its own
 * tables as `Sql` values — values travel inside them — so no `$n` placeholder number ever crosses a
 * module boundary, and the statement that runs is whatever the parts compose to (the committed
 * snapshots in `statements/` show each one whole). Identifiers and fixed SQL words go in as `raw`,
 * never anything a user typed.
 */
export { sql, empty, join, raw, Sql };

/**
 * Runs a composed statement on the manager (a transaction's, or the data source's) and gives its rows:
 * those a SELECT finds, or those an INSERT, UPDATE or DELETE returns (`RETURNING`; none without it).
 */
export async function runSql<T>(manager: EntityManager | DataSource, statement: Sql): Promise<T[]> {
  return rowsOf<T>(await manager.query(statement.text, statement.values));
}

/** How many rows an UPDATE or DELETE touched. */
export async function runSqlCount(manager: EntityManager | DataSource, statement: Sql): Promise<number> {
  const result: unknown = await manager.query(statement.text, statement.values);
  return isRowsAndCount(result) ? result[1] : Array.isArray(result) ? result.length : 0;
}

// TypeORM answers an UPDATE or DELETE on PostgreSQL as [rows, count], anything else as the rows.
function isRowsAndCount(result: unknown): result is [unknown[], number] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
}

function rowsOf<T>(result: unknown): T[] {
  return (isRowsAndCount(result) ? result[0] : Array.isArray(result) ? result : []) as T[];
}

/** A SQL list of the parts joined by `separator`, or `empty` when there are none (sql-template-tag's join refuses an empty list). */
export function joinOrEmpty(parts: readonly Sql[], separator: string, prefix = '', suffix = ''): Sql {
  return parts.length ? join(parts, separator, prefix, suffix) : empty;
}
