import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { sqlStatementCounter } from './data-source-options';

const SLOW_MS = 1000;
const names = new Map<string, string>();

/**
 * Runs a read as a named prepared statement on the application's pool: PostgreSQL parses it once
 * per connection and, after a few runs, reuses its plan. For the statements every card or list
 * request runs, parsing and planning took 3–8 times as long as executing (statement log,
 * bench/contact-card.ts: the places statement 0.6–1.4 ms to parse and plan, 0.14 ms to run).
 *
 * Only for texts built from a fixed set of templates (every distinct text is one prepared statement
 * on each connection, kept for its life): lists of ids go in as arrays (`= ANY($2::uuid[])`).
 * Outside transactions only: it takes any pooled connection.
 */
export async function preparedQuery<T>(dataSource: DataSource, text: string, values: unknown[]): Promise<T[]> {
  let name = names.get(text);
  if (!name) names.set(text, (name = `p_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  sqlStatementCounter.logQuery(text);
  const start = performance.now();
  try {
    const result = await pool.query({ name, text, values });
    return result.rows as T[];
  } catch (error) {
    sqlStatementCounter.logQueryError(error as Error, text);
    // The shape TypeORM's own queries fail with, so callers handle both alike.
    throw new QueryFailedError(text, values, error as Error);
  } finally {
    const ms = performance.now() - start;
    if (ms > SLOW_MS) sqlStatementCounter.logQuerySlow(ms, text);
  }
}
