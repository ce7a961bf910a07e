import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { raw, runSql, sql, Sql } from '../common/sql/sql';

/**
 * Set-based writes for bulk paths (the Excel import): any number of rows travel as one jsonb
 * parameter and are expanded by jsonb_to_recordset, so a batch costs one statement per table
 * whatever its size and never meets PostgreSQL's 65,535-parameter limit. Only the module that owns
 * the entity calls these for it.
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
 * Rows per INSERT statement. An import batch of 2,000 rows carries ~12,000 audit entries; sent as one
 * parameter they were a 7.5 MB JSON text held two or three times over (UTF-16 string, protocol buffer)
 * at the import worker's memory peak. In chunks each transient is about a fifth of that (the worker's
 * peak at 1,000,000 rows went from 303 to 286–290 MB).
 */
export const INSERT_CHUNK_ROWS = 2500;

export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  properties: readonly (keyof T & string)[],
  rows: readonly T[],
): Promise<void> {
  if (!rows.length) return;
  const columns = columnsOf(manager, target, properties);
  const table = manager.connection.getMetadata(target).tableName;
  const insert = raw(
    `INSERT INTO "${table}" (${columns.map((c) => `"${c.databaseName}"`).join(', ')}) SELECT ${columns.map(valueOf).join(', ')} FROM`,
  );
  const insertAll = async (tx: EntityManager) => {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
      await runSql(
        tx,
        sql`${insert} ${recordset(columns, records(rows.slice(start, start + INSERT_CHUNK_ROWS), columns))}`,
      );
    }
  };
  // All chunks or none: several chunks outside a caller's transaction get one of their own.
  if (rows.length <= INSERT_CHUNK_ROWS || manager.queryRunner?.isTransactionActive) await insertAll(manager);
  else await manager.transaction(insertAll);
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

/**
 * Refreshes the planner's statistics of these entities' tables. A bulk load that grows a table by
 * hundreds of thousands of rows between autovacuum's passes leaves estimates so stale that key
 * lookups stop using their unique indexes (a phone lookup walked 430,000 rows of another index per
 * batch at 650,000 imported clients). Inside a transaction the statistics include its own rows.
 */
export async function refreshStatistics(
  manager: EntityManager,
  targets: readonly EntityTarget<ObjectLiteral>[],
): Promise<void> {
  const tables = targets.map((target) => `"${manager.connection.getMetadata(target).tableName}"`);
  await runSql(manager, sql`ANALYZE ${raw(tables.join(', '))}`);
}
