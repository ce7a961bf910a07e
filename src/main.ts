import 'reflect-metadata';
import { appLogger } from './common/logging/logger';
import { ConfigError, loadConfig, AppConfig } from './config/config';
import { openDatabase, OpenedDatabase } from './database/database-bootstrap';
import { localSecrets } from './database/local-secrets';
import { runMigrations } from './database/run-migrations';
import { RunningServer, startServer } from './server';

function readConfig(): AppConfig {
  try {
    return loadConfig(process.env, (dataDir) => localSecrets(dataDir).jwtSecret);
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line a person can act on, nothing else.
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function announce(server: RunningServer, config: AppConfig, database: OpenedDatabase): void {
  if (server.bootstrap?.generatedPassword) {
    const banner = [
      '',
      '==================================================================',
      ' First start: an organization and its administrator were created.',
      ` Sign in with e-mail: ${server.bootstrap.email}`,
      `          password:  ${server.bootstrap.generatedPassword}`,
      ' This password is shown only once. Change it with updateEmployee.',
      '==================================================================',
      '',
    ].join('\n');
    process.stdout.write(banner + '\n');
  }
  appLogger.info('Domovoy is up', {
    role: config.role,
    graphql: server.url ? `${server.url}/graphql` : undefined,
    health: server.url ? `${server.url}/health` : undefined,
    database: database.embedded ? 'embedded' : 'external',
    queue: config.redisUrl ? 'bull' : 'in-process',
  });
}

async function main(): Promise<void> {
  const config = readConfig();
  appLogger.configure({ level: config.logLevel, format: config.observability.logFormat });
  let database: OpenedDatabase | undefined;
  let server: RunningServer | undefined;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    appLogger.info('Shutting down', { signal });
    const force = setTimeout(() => {
      appLogger.error('Shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await server?.close();
    } catch (error) {
      appLogger.error('Error while closing the application', { error: String(error) });
    }
    await database?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    database = await openDatabase(config);
    const applied = await runMigrations(database.url);
    if (applied.length) appLogger.info('Applied migrations', { migrations: applied });
    server = await startServer(config, database.url);
    announce(server, config, database);
  } catch (error) {
    if (stopping) return;
    appLogger.error('Start failed', { error: error instanceof Error ? error.stack : String(error) });
    await server?.close().catch(() => undefined);
    await database?.close().catch(() => undefined);
    process.exit(1);
  }
}

void main();
