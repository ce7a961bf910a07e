import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { hydrateEntity, selectedColumns } from './hydrate';
import { preparedQuery } from './prepared';
import { raw, sql, Sql } from '../common/sql/sql';

interface Selection {
  metadata: EntityMetadata;
  /** Each selected column with the alias it is read back under. */
  columns: [alias: string, column: ColumnMetadata][];
}

interface ReadShape {
  /** The statement but for its two values: the organization, and the keys. */
  read(organizationId: string, values: readonly string[]): Sql;
  row: Selection;
  parent?: Selection;
}

const shapes = new WeakMap<EntityMetadata, Map<string, ReadShape>>();

/** The entity a row points to (its `via` property holds the parent's id), read in the same statement. */
export interface ParentRead<P> {
  target: EntityTarget<P>;
  via: string;
}

/**
 * An organization's entities whose `key` column is one of `values` (a DataLoader batch): the same
 * rows and the same hydrated entities as `repository.find({ where: { organizationId, key: In(values) } })`,
 * in one fixed statement text per entity, key and order, run as a prepared statement. The loaders run
 * a handful of these on every list and card request; TypeORM rebuilt each statement's SQL on every call
 * (a fifth of a card's CPU in the server, bench/contact-card.ts profile) and PostgreSQL parsed and
 * planned a text whose `IN ($2, $3, …)` changed with the batch size.
 */
export async function readEntitiesByKeys<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  organizationId: string,
  key: keyof T & string,
  values: readonly string[],
  orderBy: readonly (keyof T & string)[] = [],
): Promise<T[]> {
  return (await read<T, never>(dataSource, target, organizationId, key, values, orderBy)).map(([row]) => row);
}

/**
 * The same, each row with the entity it belongs to (premises with their building), joined in the
 * statement: what a loader would otherwise read one round trip later.
 */
export async function readEntitiesWithParents<T extends ObjectLiteral, P extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  organizationId: string,
  key: keyof T & string,
  values: readonly string[],
  parent: ParentRead<P> & { via: keyof T & string },
): Promise<[T, P][]> {
  return (await read<T, P>(dataSource, target, organizationId, key, values, [], parent)) as [T, P][];
}

async function read<T extends ObjectLiteral, P extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  organizationId: string,
  key: string,
  values: readonly string[],
  orderBy: readonly string[],
  parent?: ParentRead<P>,
): Promise<[T, P | undefined][]> {
  if (values.length === 0) return [];
  const shape = readShape(dataSource, dataSource.getMetadata(target), key, orderBy, parent);
  const rows = await preparedQuery<Record<string, unknown>>(dataSource, shape.read(organizationId, values));
  return rows.map((row) => [
    hydrate<T>(dataSource, shape.row, row),
    shape.parent ? hydrate<P>(dataSource, shape.parent, row) : undefined,
  ]);
}

function readShape(
  dataSource: DataSource,
  metadata: EntityMetadata,
  key: string,
  orderBy: readonly string[],
  parent?: ParentRead<unknown>,
): ReadShape {
  let byKey = shapes.get(metadata);
  if (!byKey) shapes.set(metadata, (byKey = new Map()));
  const parentMetadata = parent ? dataSource.getMetadata(parent.target) : undefined;
  const cacheKey = `${key}|${orderBy.join(',')}|${parentMetadata?.name ?? ''}.${parent?.via ?? ''}`;
  let shape = byKey.get(cacheKey);
  if (!shape) {
    const row = selection(metadata, 'r');
    const columns = [...row.columns];
    let from = `"${metadata.tableName}" r`;
    let parentSelection: Selection | undefined;
    if (parent && parentMetadata) {
      parentSelection = selection(parentMetadata, 'j');
      columns.push(...parentSelection.columns);
      from +=
        ` JOIN "${parentMetadata.tableName}" j ON j.${columnName(parentMetadata, 'organizationId')} = r.${columnName(metadata, 'organizationId')}` +
        ` AND j.${columnName(parentMetadata, 'id')} = r.${columnName(metadata, parent.via)}`;
    }
    const order = orderBy.length
      ? ` ORDER BY ${orderBy.map((property) => `r.${columnName(metadata, property)}`).join(', ')}`
      : '';
    const select = raw(
      `SELECT ${columns.map(([alias, column]) => `${alias.slice(0, 1)}."${column.databaseName}" AS "${alias}"`).join(', ')} FROM ${from}`,
    );
    const [organizationColumn, keyColumn, ordered] = [
      raw(`r.${columnName(metadata, 'organizationId')}`),
      raw(`r.${columnName(metadata, key)}`),
      raw(order),
    ];
    const read = (organizationId: string, values: readonly string[]) =>
      sql`${select} WHERE ${organizationColumn} = ${organizationId} AND ${keyColumn} = ANY(${values}::uuid[])${ordered}`;
    byKey.set(cacheKey, (shape = { read, row, parent: parentSelection }));
  }
  return shape;
}

function selection(metadata: EntityMetadata, prefix: 'r' | 'j'): Selection {
  return {
    metadata,
    columns: selectedColumns(metadata).map((c, i) => [`${prefix}${i}`, c]),
  };
}

function columnName(metadata: EntityMetadata, property: string): string {
  const found = metadata.findColumnWithPropertyPath(property);
  if (!found) throw new Error(`${metadata.name} has no column for property ${property}`);
  return `"${found.databaseName}"`;
}

function hydrate<T>(dataSource: DataSource, selected: Selection, row: Record<string, unknown>): T {
  return hydrateEntity<T>(dataSource, selected.metadata, selected.columns, row);
}
