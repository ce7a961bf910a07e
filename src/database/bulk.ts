import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { raw, runSql, sql, Sql } from '../common/sql/sql';
import { copyFromStdin } from './copy-from-stdin';
import { CopyColumnKind, copyLines } from './copy-text';

/**
 * Set-based writes for bulk paths (the Excel import): inserts go through COPY, updates travel as one
 * jsonb parameter expanded by jsonb_to_recordset, so a batch costs one statement per table whatever
 * its size and never meets PostgreSQL's 65,535-parameter limit. Only the module that owns the entity
 * calls these for it.
 */

function sqlType(column: ColumnMetadata): string {
  const type =
    typeof column.type === 'string'
      ? column.type
      : column.type === Boolean
        ? 'boolean'
        : column.type === Number
          ? 'double precision'
          : 'text';
  if (
    column.enum ||
    (typeof column.type === 'function' && column.type !== Boolean && column.type !== Number && column.type !== String)
  ) {
    throw new Error(`bulk writes do not handle column ${column.propertyName} of type ${String(column.type)}`);
  }
  const sized =
    column.length && (type === 'char' || type === 'character' || type === 'varchar' || type === 'character varying')
      ? `${type}(${column.length})`
      : type;
  const base = type === 'timestamp with time zone' ? 'timestamptz' : sized;
  return column.isArray ? `${base}[]` : base;
}

function columnsOf(
  manager: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  properties: readonly string[],
): ColumnMetadata[] {
  const metadata = manager.connection.getMetadata(target);
  return properties.map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no column ${property}`);
    return column;
  });
}

/**
 * Rows as JSON records keyed by column name; arrays stay JSON arrays and become PostgreSQL arrays below.
 * Plain loops: built from [name, value] pairs with Object.fromEntries this took 40 % longer (53 against
 * 32 ms for 12,000 rows of 20 columns), a few seconds of a 100,000-row import's thread.
 */
function records(rows: readonly ObjectLiteral[], columns: ColumnMetadata[]): string {
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const record: Record<string, unknown> = {};
    for (const column of columns) record[column.databaseName] = row[column.propertyName] ?? null;
    out[i] = record;
  }
  return JSON.stringify(out);
}

/** The rows (records' JSON) as the record set `x`. */
function recordset(columns: ColumnMetadata[], json: string): Sql {
  // jsonb_to_recordset cannot produce a text[] from a JSON array, so array columns come in as jsonb.
  const definition = columns.map((c) => `"${c.databaseName}" ${c.isArray ? 'jsonb' : sqlType(c)}`).join(', ');
  return sql`jsonb_to_recordset(${json}::jsonb) AS x(${raw(definition)})`;
}

function valueOf(column: ColumnMetadata): string {
  const name = `x."${column.databaseName}"`;
  return column.isArray ? `ARRAY(SELECT jsonb_array_elements_text(${name}))::${sqlType(column)}` : name;
}

/**
 * Rows per piece of COPY text. The rows travel in one COPY statement, written piece by piece as the
 * server takes them: an import batch of 2,000 rows carries ~12,000 audit entries, and held as one text
 * they were megabytes at the import worker's memory peak (as one JSON parameter, 7.5 MB held two or
 * three times over).
 */
export const COPY_PIECE_ROWS = 1000;

/**
 * Inserts the rows with COPY FROM STDIN, the database's own bulk path (what pg_restore uses): one
 * statement per call, whatever the number of rows, and all of them or none. It replaced INSERT … SELECT
 * FROM jsonb_to_recordset: a 100,000-row import went from 51.3 to 43.1 s (medians of three, bench/import.ts).
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  properties: readonly (keyof T & string)[],
  rows: readonly T[],
): Promise<void> {
  if (!rows.length) return;
  const columns = columnsOf(manager, target, properties);
  const table = manager.connection.getMetadata(target).tableName;
  const statement = `COPY "${table}" (${columns.map((c) => `"${c.databaseName}"`).join(', ')}) FROM STDIN`;
  const fields = columns.map((c) => ({ property: c.propertyName, kind: copyKindOf(c) }));
  await copyFromStdin(manager, statement, function* () {
    for (let start = 0; start < rows.length; start += COPY_PIECE_ROWS)
      yield copyLines(rows.slice(start, start + COPY_PIECE_ROWS), fields);
  });
}

function copyKindOf(column: ColumnMetadata): CopyColumnKind {
  if (column.isArray) return 'array';
  return column.type === 'jsonb' || column.type === 'json' ? 'json' : 'scalar';
}

/** Sets `properties` of the rows matched by `keys`; `updated_at` (when the entity has one) is set to now(). */
export async function updateRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  keys: readonly (keyof T & string)[],
  properties: readonly (keyof T & string)[],
  rows: readonly T[],
): Promise<void> {
  if (!rows.length) return;
  const metadata = manager.connection.getMetadata(target);
  const keyColumns = columnsOf(manager, target, keys);
  const setColumns = columnsOf(manager, target, properties);
  const stamp = metadata.updateDateColumn ? `, "${metadata.updateDateColumn.databaseName}" = now()` : '';
  const set = raw(
    `UPDATE "${metadata.tableName}" t SET ${setColumns.map((c) => `"${c.databaseName}" = ${valueOf(c)}`).join(', ')}${stamp}`,
  );
  const where = raw(keyColumns.map((c) => `t."${c.databaseName}" = x."${c.databaseName}"`).join(' AND '));
  await runSql(
    manager,
    sql`${set}
       FROM ${recordset([...keyColumns, ...setColumns], records(rows, [...keyColumns, ...setColumns]))}
      WHERE ${where}`,
  );
}

/** A table whose planner statistics a bulk path refreshes, and the columns its lookups filter on. */
export interface StatisticsTarget {
  entity: EntityTarget<ObjectLiteral>;
  /** Property names; statistics are computed for these columns only. */
  keys: readonly string[];
}

/**
 * Refreshes the planner's statistics of these tables' lookup columns. A bulk load that grows a table by
 * hundreds of thousands of rows between autovacuum's passes leaves estimates so stale that key
 * lookups stop using their unique indexes (a phone lookup walked 430,000 rows of another index per
 * batch at 650,000 imported clients). Inside a transaction the statistics include its own rows.
 * Only the key columns: the row count and page count come with any column, and the other columns'
 * statistics (a client's thirty text columns) cost three quarters of a whole-table ANALYZE (619 ms
 * against 164 ms for the import's seven tables at 100,000 rows) for no lookup; autovacuum's own
 * ANALYZE refreshes them after the load.
 */
export async function refreshStatistics(manager: EntityManager, targets: readonly StatisticsTarget[]): Promise<void> {
  const tables = targets.map(({ entity, keys }) => {
    const metadata = manager.connection.getMetadata(entity);
    const columns = keys.map((key) => {
      const column = metadata.findColumnWithPropertyName(key);
      if (!column) throw new Error(`${metadata.tableName} has no column for ${key}`);
      return `"${column.databaseName}"`;
    });
    return `"${metadata.tableName}" (${columns.join(', ')})`;
  });
  await runSql(manager, sql`ANALYZE ${raw(tables.join(', '))}`);
}
