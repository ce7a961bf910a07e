/*
 * Load benchmark: a call centre's dispatchers against the service, on the contact-card bench's
 * database (bench/card-database.ts seeds it: CONTACTS contacts, TICKETS tickets, one organization).
 *
 * CLIENTS concurrent HTTP clients (closed loops, one keep-alive connection each, bench/load-generator.ts)
 * send a dispatcher's mix for SECONDS: 70 % phone typeahead (contactsByPhone with a random 4–7 digit
 * part of a contact's phone), 20 % contactCard, 10 % tickets (half createTicketFromCard, half
 * changeTicketStatus NEW ↔ IN_PROGRESS of tickets each client owns). The service runs as `ROLE=api`
 * (src/main.js in its own process, as deployed); the load comes from this process. In one run:
 *   A. the mix alone,
 *   C. cards only, against the service and against the floor: a bare node:http + pg server answering
 *      the card bench's hand-written SQL (bench/card-floor-server.ts), at the same concurrency,
 *   B. the mix while an IMPORT_ROWS-row registry import (uploaded to the api) runs in a separate
 *      `ROLE=worker` process (Bull on REDIS_URL, the service's Node options: package.json's start script, as docker-compose's worker).
 * Each is preceded by WARMUP_SECONDS of the same traffic, not counted. It prints per kind throughput,
 * p50/p95/p99/max and errors by code, the api's database pool gauges (domovoy_db_pool_* of /metrics,
 * read every second: how often and how many queries waited for a connection), and the targets:
 * card throughput ≥ 0.5× the floor's; typeahead p99 ≤ 25 ms and card p99 ≤ 50 ms in A, ≤ 2× those in
 * B; no errors.
 *
 * Build and run (from the repository root):
 *
 *   npx tsc -p bench/tsconfig.json
 *   CONTACTS=1000000 TICKETS=5000000 node bench/dist/bench/load.js
 *   CONTACTS=20000 TICKETS=100000 SECONDS=10 node bench/dist/bench/load.js     # a quick look
 *
 * Environment:
 *   DATABASE_URL    server for the scratch database (default postgres://postgres@127.0.0.1:5432/postgres)
 *   REDIS_URL       Bull for the api and the worker (default redis://127.0.0.1:6379; keys under a prefix of their own, removed after)
 *   CONTACTS, TICKETS  size of the card database (default 1000000 and 5000000), as bench/contact-card.ts
 *   CLIENTS         concurrent clients (default 64)
 *   THINK_MS        each client's pause after an answer before its next request (default 0: none, so the
 *                   service is saturated and the mean latency is CLIENTS / throughput by Little's law; a
 *                   dispatcher typing pauses ~200–500 ms, which makes the latencies those of a paced load)
 *   SECONDS         each measured phase (default 60); WARMUP_SECONDS before each (default 10)
 *   IMPORT_ROWS     rows of the registry imported during B (default 100000)
 *   FLOOR_POOL      connections of the floor server (default 10, the application's main pool)
 *   SEED            seed of the samples and the mix (default 42)
 *   API_NODE_FLAGS  extra Node flags of the api process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time goes
 *   KEEP=1          keep the seeded database; the run itself works on a copy (CREATE DATABASE … TEMPLATE),
 *                   since it creates tickets and imports, and the copy is dropped
 *   REUSE=name      seeding skipped: a database an earlier KEEP=1 run of this or the card bench seeded
 *                   (same CONTACTS and TICKETS), copied for the run and kept as it was
 *
 * It is a benchmark, not a test: it prints its figures and exits 0 unless something breaks. Run it on
 * an otherwise idle machine; on a shared one every figure moves with the neighbours' load.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client as PgClient } from 'pg';
import { addEmployee, AppProcess, freePort, login, startAppProcess } from './app-process';
import { cardSizes, prepareCardDatabase } from './card-database';
import { drawSamples } from './load-mix';
import { ApiUnderLoad, LoadSettings, LoadTarget, runPhases, serverCpu } from './load-phases';
import { generateRegistry } from './registry-generator';
import { adminQuery, intEnv, prng, timed, withDatabase } from './support';

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const SIZES = cardSizes(intEnv('CONTACTS', 1_000_000), intEnv('TICKETS', 5_000_000));
const SETTINGS: LoadSettings = {
  serverUrl: SERVER_URL,
  clients: Math.max(1, intEnv('CLIENTS', 64)),
  seconds: Math.max(1, intEnv('SECONDS', 60)),
  warmupSeconds: intEnv('WARMUP_SECONDS', 10),
  thinkMs: intEnv('THINK_MS', 0),
  importRows: intEnv('IMPORT_ROWS', 100_000),
  floorPool: Math.max(1, intEnv('FLOOR_POOL', 10)),
};
const SEED = intEnv('SEED', 42);
const API_NODE_FLAGS = (process.env.API_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const REUSE = process.env.REUSE;
const KEEP = process.env.KEEP === '1' || Boolean(REUSE);
const PASSWORD = 'bench-password-123';

const random = prng(SEED);

/** 1–2. The card database seeded (or REUSE's checked); returns the organization's id. */
async function seedDatabase(seeded: string): Promise<string> {
  const seedDb = new PgClient({
    connectionString: withDatabase(SERVER_URL, seeded),
    application_name: 'domovoy-bench',
  });
  return prepareCardDatabase(seedDb, withDatabase(SERVER_URL, seeded), SIZES, REUSE).finally(() => seedDb.end());
}

/** The seeded database, or (KEEP/REUSE) a copy of it the run may write to. */
async function runDatabase(seeded: string): Promise<string> {
  if (!KEEP) return seeded;
  const copy = `${seeded}_load_${randomBytes(3).toString('hex')}`;
  // FILE_COPY (PostgreSQL 15+) copies the files instead of writing every page to the WAL.
  const create = (strategy: string) =>
    adminQuery(SERVER_URL, `CREATE DATABASE "${copy}" TEMPLATE "${seeded}"${strategy}`);
  await timed(`copy of ${seeded} for the run`, () => create(' STRATEGY FILE_COPY').catch(() => create('')));
  return copy;
}

/** The api's settings: the run's database, Bull under the run's queue prefix, files under `dir`. */
function apiEnvironment(runUrl: string, queuePrefix: string, dir: string, file: string): Record<string, string> {
  return {
    DATABASE_URL: runUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    METRICS_TOKEN: randomBytes(16).toString('hex'),
    // The default log level, as deployed: each request's line is part of its cost.
    LOG_LEVEL: 'info',
    IMPORT_DIR: join(dir, 'imports'),
    DATA_DIR: join(dir, 'data'),
    IMPORT_MAX_BYTES: String(Math.max(100 * 1024 * 1024, statSync(file).size + 1)),
  };
}

/**
 * 3. Samples, a dispatcher and an administrator, the registry file and the api process, which is
 * handed to `started` as soon as it runs, so the caller stops it whatever fails next.
 */
async function setUp(
  target: Omit<LoadTarget, 'samples' | 'random'>,
  queuePrefix: string,
  dir: string,
  started: (api: AppProcess) => void,
): Promise<{ samples: LoadTarget['samples']; app: ApiUnderLoad }> {
  const { db, database, org } = target;
  console.log('\n3. Samples, employees, the registry file, the api process');
  await db.connect();
  const samples = await drawSamples(db, org, { sizes: SIZES, clients: SETTINGS.clients, seed: SEED }, random);
  const [dispatcher, admin] = [
    await addEmployee(db, org, 'DISPATCHER', PASSWORD),
    await addEmployee(db, org, 'ADMIN', PASSWORD),
  ];
  const file = join(dir, 'registry.upload');
  await timed(`registry file of ${SETTINGS.importRows.toLocaleString('en')} rows`, () =>
    generateRegistry(file, SETTINGS.importRows),
  );
  const env = apiEnvironment(withDatabase(SERVER_URL, database), queuePrefix, dir, file);
  const port = String(await freePort());
  const api = (
    await timed('api process up', () => startAppProcess('api', { ...env, ROLE: 'api', PORT: port }, API_NODE_FLAGS))
  ).result;
  started(api);
  const token = await login(api.url!, dispatcher, PASSWORD);
  const adminToken = await login(api.url!, admin, PASSWORD);
  const cpu = serverCpu(db, database, api.pid, ['domovoy', 'domovoy-prepared']);
  return { samples, app: { api, env, token, adminToken, file, cpu } };
}

async function main(): Promise<void> {
  const seeded = REUSE ?? `domovoy_bench_${randomBytes(4).toString('hex')}`;
  console.log(
    `Load benchmark: ${SIZES.contacts.toLocaleString('en')} contacts, ${SIZES.tickets.toLocaleString('en')} tickets; ${SETTINGS.clients} clients, ` +
      `${SETTINGS.seconds} s a phase after ${SETTINGS.warmupSeconds} s of warm-up, ${SETTINGS.thinkMs} ms between a client's requests; import of ${SETTINGS.importRows.toLocaleString('en')} rows; seed ${SEED}`,
  );
  console.log(`Database ${seeded} on ${new URL(SERVER_URL).host}${KEEP ? ' (kept; the run works on a copy)' : ''}`);
  if (!REUSE) await adminQuery(SERVER_URL, `CREATE DATABASE "${seeded}"`);
  let database = seeded;
  const dir = mkdtempSync(join(tmpdir(), 'domovoy-load-bench-'));
  const queuePrefix = `{domovoy-load-${randomBytes(4).toString('hex')}}`;
  let api: AppProcess | undefined;
  // Samples and setup; then, through the run, where the server side's CPU goes (serverCpu).
  let db: PgClient | undefined;
  try {
    const org = await seedDatabase(seeded);
    database = await runDatabase(seeded);
    db = new PgClient({ connectionString: withDatabase(SERVER_URL, database), application_name: 'domovoy-bench' });
    const { samples, app } = await setUp({ db, database, org }, queuePrefix, dir, (started) => (api = started));
    await runPhases(SETTINGS, { db, database, org, samples, random }, app);
  } finally {
    console.log('\n6. Closing');
    await api?.stop();
    await db?.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await removeQueueKeys(queuePrefix);
    if (database !== seeded || !KEEP)
      await adminQuery(SERVER_URL, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    console.log(
      KEEP ? `  kept database ${seeded}; dropped the run's copy ${database}` : `  dropped database ${database}`,
    );
  }
}

/** The run's Bull keys (its own QUEUE_PREFIX) leave Redis with it. */
async function removeQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
