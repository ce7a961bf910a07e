import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { SqlStatementCounter } from './sql-statement-counter';

export const sqlStatementCounter = new SqlStatementCounter();

export function dataSourceOptions(url: string, overrides: Partial<{ poolSize: number }> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [join(__dirname, 'migrations', '*.{js,ts}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    logger: sqlStatementCounter,
    maxQueryExecutionTime: 1000,
    extra: { max: overrides.poolSize ?? 10, application_name: 'domovoy' },
  } as DataSourceOptions;
}
