import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { preparedQuery } from './prepared';

interface ReadShape {
  text: string;
  metadata: EntityMetadata;
  columns: ColumnMetadata[];
}

const shapes = new WeakMap<EntityMetadata, Map<string, ReadShape>>();

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
  if (values.length === 0) return [];
  const shape = readShape(dataSource.getMetadata(target), key, orderBy);
  const rows = await preparedQuery<Record<string, unknown>>(dataSource, shape.text, [organizationId, values]);
  return rows.map((row) => hydrate<T>(dataSource, shape, row));
}

function readShape(metadata: EntityMetadata, key: string, orderBy: readonly string[]): ReadShape {
  let byKey = shapes.get(metadata);
  if (!byKey) shapes.set(metadata, (byKey = new Map()));
  const cacheKey = `${key}|${orderBy.join(',')}`;
  let shape = byKey.get(cacheKey);
  if (!shape) {
    const column = (property: string) => {
      const found = metadata.findColumnWithPropertyPath(property);
      if (!found) throw new Error(`${metadata.name} has no column for property ${property}`);
      return `"${found.databaseName}"`;
    };
    const columns = metadata.columns.filter((c) => c.isSelect && !c.isVirtual);
    const order = orderBy.length ? ` ORDER BY ${orderBy.map(column).join(', ')}` : '';
    const text =
      `SELECT ${columns.map((c) => `"${c.databaseName}"`).join(', ')} FROM "${metadata.tableName}"` +
      ` WHERE ${column('organizationId')} = $1 AND ${column(key)} = ANY($2::uuid[])${order}`;
    byKey.set(cacheKey, (shape = { text, metadata, columns }));
  }
  return shape;
}

/** What TypeORM's RawSqlResultsToEntityTransformer does for a plain column selection. */
function hydrate<T>(dataSource: DataSource, shape: ReadShape, row: Record<string, unknown>): T {
  const entity = shape.metadata.create(undefined, { fromDeserializer: true }) as T;
  for (const column of shape.columns) {
    const value = row[column.databaseName];
    if (value !== undefined) column.setEntityValue(entity as ObjectLiteral, dataSource.driver.prepareHydratedValue(value, column));
  }
  return entity;
}
