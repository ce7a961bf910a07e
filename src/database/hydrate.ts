import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { raw, Sql } from '../common/sql/sql';

/** The columns TypeORM selects for a whole entity (`isSelect`, not virtual), in its order. */
export function selectedColumns(metadata: EntityMetadata): ColumnMetadata[] {
  return metadata.columns.filter((c) => c.isSelect && !c.isVirtual);
}

/**
 * What TypeORM's RawSqlResultsToEntityTransformer does for a plain column selection: a new entity with
 * each column's raw value as the driver hydrates it (dates, enums, jsonb, numeric through its transformer),
 * so a row read by a hand-written statement is the entity a repository would give.
 */
export function hydrateEntity<T>(
  dataSource: DataSource,
  metadata: EntityMetadata,
  columns: readonly (readonly [key: string, column: ColumnMetadata])[],
  row: Record<string, unknown>,
): T {
  const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
  for (const [key, column] of columns) {
    const value = row[key];
    if (value !== undefined)
      column.setEntityValue(entity as ObjectLiteral, dataSource.driver.prepareHydratedValue(value, column));
  }
  return entity;
}

/** An entity's table and columns under an alias, for a hand-written statement that reads whole entities. */
export interface EntitySelection<T> {
  /** `"table" alias`, for the FROM clause. */
  table: Sql;
  /** `alias."column", …`: every column TypeORM would select, each read back under its own name. */
  columns: Sql;
  hydrate(row: Record<string, unknown>): T;
}

const selections = new WeakMap<EntityMetadata, Map<string, EntitySelection<unknown>>>();

/** The selection of `target`'s rows under `alias` (cached per entity and alias: its SQL never changes). */
export function entitySelection<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  alias: string,
): EntitySelection<T> {
  const metadata = dataSource.getMetadata(target);
  let byAlias = selections.get(metadata);
  if (!byAlias) selections.set(metadata, (byAlias = new Map()));
  let selection = byAlias.get(alias) as EntitySelection<T> | undefined;
  if (!selection) {
    const columns = selectedColumns(metadata).map((c) => [c.databaseName, c] as const);
    selection = {
      table: raw(`"${metadata.tableName}" ${alias}`),
      columns: raw(columns.map(([name]) => `${alias}."${name}"`).join(', ')),
      hydrate: (row) => hydrateEntity<T>(dataSource, metadata, columns, row),
    };
    byAlias.set(alias, selection as EntitySelection<unknown>);
  }
  return selection;
}
