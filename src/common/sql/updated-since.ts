import { raw, sql, Sql } from './sql';

/**
 * The rows `(entity_id, changed_at)` of `table` (an organization's records with an `updated_at`) updated at
 * or after `since`: what the module owning the table hands the integration change feed as its part.
 */
export function updatedSinceSql(table: string, organizationId: string, since: string): Sql {
  return sql`SELECT id AS entity_id, updated_at AS changed_at FROM ${raw(table)} WHERE organization_id = ${organizationId} AND updated_at >= ${since}::timestamptz`;
}
