import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from 'typeorm';
import { currentRequestContext } from '../common/context/request-context';
import { appLogger } from '../common/logging/json-logger';

/**
 * TypeORM logger that counts statements per request (for the DataLoader statement-count checks
 * and the `sqlStatements` field of the request log) and reports slow queries to the JSON log.
 */
export class SqlStatementCounter implements Logger {
  /** Process-wide total; tests read the difference around one request. */
  total = 0;

  private readonly recordings = new AsyncLocalStorage<string[]>();
  /** Recordings under way: none outside the snapshot test, where logQuery never asks the storage. */
  private recording = 0;

  /** The texts of the statements `run` sends (and nothing another request sends meanwhile), in order: for the statement snapshots. */
  async record(run: () => Promise<unknown>): Promise<string[]> {
    const texts: string[] = [];
    this.recording += 1;
    try {
      await this.recordings.run(texts, run);
    } finally {
      this.recording -= 1;
    }
    return texts;
  }

  logQuery(query: string): void {
    this.total += 1;
    if (this.recording) this.recordings.getStore()?.push(query);
    const context = currentRequestContext();
    if (context) context.sqlStatements += 1;
    appLogger.debug('sql', { query: query.length > 500 ? `${query.slice(0, 500)}…` : query });
  }

  logQueryError(error: string | Error, query: string): void {
    appLogger.debug('sql failed', { error: String(error), query: query.slice(0, 500) });
  }

  logQuerySlow(time: number, query: string): void {
    appLogger.warn('slow sql', { ms: time, query: query.slice(0, 500) });
  }

  logSchemaBuild(message: string): void {
    appLogger.debug('schema', { message });
  }

  logMigration(message: string): void {
    appLogger.info('migration', { message });
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') appLogger.warn('typeorm', { message: String(message) });
  }
}
