import 'reflect-metadata';
import { runSql, sql } from '../common/sql/sql';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig, ConfigError } from '../config/config';
import { openDatabase } from './database-bootstrap';
import { dataSourceOptions } from './data-source-options';
import { writeMigration } from './migration-writer';
import { appLogger } from '../common/logging/json-logger';
import { printSchemaSdl } from '../graphql/print-schema';
import { seedDemo } from './seed/demo-seed';
import { describeMergeReport, mergeDuplicateBuildings } from '../wiring/building-merge';
import { isUuid } from '../common/validation/is-uuid-or-not-found';

const USAGE = `usage: node dist/database/cli.js <command>
  migration:generate <Name>   write src/database/migrations/<ts>-<Name>.ts from entity changes
  migration:run               apply pending migrations
  seed [--demo]               load the demo data set (two organizations, buildings, premises, employees)
  schema                      print the GraphQL schema into schema.gql
  buildings:merge-duplicates [--dry-run] [--organization <id>]
                              join buildings the current address rule makes one (the oldest stays)`;

/** `--organization <id>`, checked before anything is opened. */
function organizationArg(args: string[]): string | undefined {
  const at = args.indexOf('--organization');
  if (at < 0) return undefined;
  const id = args[at + 1];
  if (!id || !isUuid(id))
    throw new ConfigError(`--organization needs an organization id (uuid), got ${id ? `"${id}"` : 'nothing'}`);
  return id;
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'schema') {
    writeFileSync(join(process.cwd(), 'schema.gql'), await printSchemaSdl());
    console.log('schema.gql written');
    return;
  }
  if (!['migration:generate', 'migration:run', 'seed', 'buildings:merge-duplicates'].includes(command ?? '')) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  // The CLI never issues tokens, so it needs no JWT_SECRET even against an external database.
  const organizationId = command === 'buildings:merge-duplicates' ? organizationArg(args) : undefined;
  const config = loadConfig({
    ...process.env,
    JWT_SECRET: process.env.JWT_SECRET || 'the-cli-never-issues-tokens'.padEnd(40, '-'),
  });
  const database = await openDatabase(config);
  const dataSource = new DataSource(dataSourceOptions(database.url, { poolSize: 2 }));
  try {
    await dataSource.initialize();
    if (command === 'migration:generate') {
      const name = args[0];
      if (!name) throw new ConfigError('migration:generate needs a name, e.g. AddClients');
      await dataSource.runMigrations({ transaction: 'each' });
      const file = await writeMigration(dataSource, name, join(process.cwd(), 'src', 'database', 'migrations'));
      console.log(file ? `written ${file}` : 'entities and migrations agree: nothing to generate');
    } else if (command === 'migration:run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'no pending migrations');
    } else if (command === 'seed') {
      await dataSource.runMigrations({ transaction: 'each' });
      if (!args.includes('--demo')) throw new ConfigError('seed: pass --demo to load the demo data set');
      const report = await seedDemo(dataSource);
      console.log(report);
    } else if (command === 'buildings:merge-duplicates') {
      await dataSource.runMigrations({ transaction: 'each' });
      if (
        organizationId &&
        !(await runSql(dataSource, sql`SELECT 1 FROM organization WHERE id = ${organizationId}`)).length
      ) {
        throw new ConfigError(`organization ${organizationId} not found`);
      }
      console.log(
        describeMergeReport(
          await mergeDuplicateBuildings(dataSource, { dryRun: args.includes('--dry-run'), organizationId }),
        ),
      );
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else appLogger.error('command failed', { error: error instanceof Error ? error.stack : String(error) });
  process.exitCode = 1;
});
