import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EntityManager, QueryFailedError } from 'typeorm';
import { sqlStatementCounter } from './data-source-options';

/**
 * Runs `COPY … FROM STDIN` on the manager's connection (a transaction's, or one borrowed from the pool
 * for this statement), streaming the text pieces as the server takes them. TypeORM has no COPY, so
 * this is the one place that reaches under it for the pg client; the statement is counted and logged
 * as TypeORM's own are, and a failure comes back as TypeORM's QueryFailedError, so the error mapping
 * (common/errors/database-errors.ts) reads it like any other.
 */
export async function copyFromStdin(
  manager: EntityManager,
  statement: string,
  pieces: () => Iterable<string>,
): Promise<void> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  const borrowed = !manager.queryRunner;
  sqlStatementCounter.logQuery(statement);
  try {
    const client = (await runner.connect()) as PoolClient;
    await pipeline(Readable.from(pieces(), { objectMode: false }), client.query(copyFrom(statement)));
  } catch (error) {
    if (error instanceof QueryFailedError) throw error;
    sqlStatementCounter.logQueryError(error as Error, statement);
    throw new QueryFailedError(statement, undefined, error as Error);
  } finally {
    if (borrowed) await runner.release();
  }
}
