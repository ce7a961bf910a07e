import { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { preparedQuery } from './prepared';
import { empty, join, raw, runSql, sql, Sql } from '../common/sql/sql';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** Read back as text, as node-postgres and the entities' decimal transformer keep them. */
const TEXT_TYPES = new Set(['numeric', 'decimal', 'bigint', 'int8', 'money']);
const TIMESTAMP_TYPES = new Set([
  'timestamptz',
  'timestamp with time zone',
  'timestamp',
  'timestamp without time zone',
]);

interface JsonShape {
  /** `alias."column"::cast AS "property"`, every selected column. */
  columns: string;
  /** Properties to turn from JSON text into Date. */
  timestamps: string[];
}

const shapes = new WeakMap<EntityMetadata, JsonShape>();

function typeName(column: ColumnMetadata): string {
  return typeof column.type === 'string' ? column.type : column.type === Date ? 'timestamptz' : '';
}

function shapeOf(metadata: EntityMetadata): JsonShape {
  let shape = shapes.get(metadata);
  if (!shape) {
    const selected = metadata.columns.filter((c) => c.isSelect && !c.isVirtual);
    for (const column of selected) {
      if (column.transformer && !TEXT_TYPES.has(typeName(column))) {
        throw new Error(`readJsonRows does not apply the transformer of ${metadata.name}.${column.propertyName}`);
      }
    }
    shape = {
      columns: selected
        .map((c) => `%ALIAS%."${c.databaseName}"${TEXT_TYPES.has(typeName(c)) ? '::text' : ''} AS "${c.propertyName}"`)
        .join(', '),
      timestamps: selected.filter((c) => TIMESTAMP_TYPES.has(typeName(c))).map((c) => c.propertyName),
    };
    shapes.set(metadata, shape);
  }
  return shape;
}

export interface JsonReadOptions {
  /** `FOR UPDATE` on the rows read. */
  lock?: boolean;
  /** Properties to order the rows by. */
  orderBy?: readonly string[];
}

/**
 * An entity's rows as one JSON text, built by the service that owns the table and read with others in
 * a single statement (readJsonParts): what several loaders would otherwise read in as many round trips.
 */
export interface JsonPart<T> {
  /** A scalar subquery yielding the rows' JSON array as text, its values inside. */
  sql: Sql;
  parse(text: string): T[];
}

/** The entity's columns under `alias` as jsonRowsPart selects them, for a part that nests the entity's rows in its own JSON. */
export function jsonColumns(metadata: EntityMetadata, alias: string): string {
  return shapeOf(metadata).columns.replaceAll('%ALIAS%', alias);
}

/** The entity's values parsed from JSON built with jsonColumns, in place: timestamps become Date as readJsonRows gives them. */
export function reviveJsonRows<T>(metadata: EntityMetadata, values: Record<string, unknown>[]): T[] {
  return reviveTimestamps<T>(shapeOf(metadata), values);
}

/** The rows of `target` under `alias` that satisfy `where`, as a JsonPart (values as readJsonRows gives them). */
export function jsonRowsPart<T extends ObjectLiteral>(
  metadata: EntityMetadata,
  alias: string,
  where: Sql,
  options: JsonReadOptions = {},
): JsonPart<T> {
  const shape = shapeOf(metadata);
  const order = options.orderBy?.length ? ` ORDER BY ${options.orderBy.map((p) => `r."${p}"`).join(', ')}` : '';
  const select = raw(`SELECT ${shape.columns.replaceAll('%ALIAS%', alias)} FROM "${metadata.tableName}" ${alias}`);
  return {
    sql: sql`(SELECT coalesce(json_agg(r${raw(order)}), '[]')::text FROM (${select} WHERE ${where}${raw(options.lock ? ' FOR UPDATE' : '')}) r)`,
    parse: (text) => parseRows<T>(shape, text),
  };
}

function parseRows<T>(shape: JsonShape, text: string): T[] {
  return reviveTimestamps<T>(shape, JSON.parse(text) as Record<string, unknown>[]);
}

function reviveTimestamps<T>(shape: JsonShape, values: Record<string, unknown>[]): T[] {
  if (shape.timestamps.length) {
    for (const value of values) {
      for (const property of shape.timestamps)
        if (typeof value[property] === 'string') value[property] = new Date(value[property] as string);
    }
  }
  return values as T[];
}

/** JsonParts read together, each under its name. */
export type JsonParts = Record<string, JsonPart<unknown>>;

export type ParsedParts<P extends JsonParts> = { [K in keyof P]: P[K] extends JsonPart<infer T> ? T[] : never };

/** The statement reading JsonParts as one row, a column for each part's name, after `prefix` (a WITH clause the parts refer to). */
export function jsonPartsStatement(parts: JsonParts, prefix: Sql = empty): Sql {
  return sql`${prefix}SELECT ${join(
    Object.entries(parts).map(([name, part]) => sql`${part.sql} AS ${raw(`"${name}"`)}`),
    ',\n       ',
  )}`;
}

/** The parts' values from the row jsonPartsStatement read. */
export function parseJsonParts<P extends JsonParts>(parts: P, row: Record<string, string>): ParsedParts<P> {
  return Object.fromEntries(
    Object.entries(parts).map(([name, part]) => [name, part.parse(row[name])]),
  ) as ParsedParts<P>;
}

/**
 * JsonParts in one statement, each parsed by its own part. The text is fixed for a fixed set of parts,
 * so it runs as a prepared statement (preparedQuery): only for parts built from fixed templates.
 */
export async function readJsonParts<P extends JsonParts>(
  dataSource: DataSource,
  parts: P,
  prefix?: Sql,
): Promise<ParsedParts<P>> {
  const [row] = await preparedQuery<Record<string, string>>(dataSource, jsonPartsStatement(parts, prefix));
  return parseJsonParts(parts, row);
}

/**
 * Rows of an entity's table as that entity's values (plain objects), read as one JSON document and
 * parsed by JSON.parse. For bulk reads: an import batch reads ~6,000 records, and node-postgres's
 * column-by-column parsing plus TypeORM's hydration cost the import's thread ~3 s of a 100,000-row
 * re-import's 19 s, more than the database spent answering. Values come back as TypeORM gives them:
 * dates as "YYYY-MM-DD", decimals as text, timestamps as Date, arrays and jsonb as such.
 *
 * `where` is SQL on the table under `alias`.
 */
export async function readJsonRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  alias: string,
  where: Sql,
  options: JsonReadOptions = {},
): Promise<T[]> {
  return readJsonPart(manager, jsonRowsPart<T>(manager.connection.getMetadata(target), alias, where, options));
}

/** One JsonPart read on its own (in the manager's transaction, if any). */
export async function readJsonPart<T>(manager: EntityManager, part: JsonPart<T>): Promise<T[]> {
  const [{ rows }] = await runSql<{ rows: string }>(manager, sql`SELECT ${part.sql} AS rows`);
  return part.parse(rows);
}
