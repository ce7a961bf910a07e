/*
 * Load benchmark: a call centre's dispatchers against the service, on the contact-card bench's
 * database (bench/support.ts seeds it: CONTACTS contacts, TICKETS tickets, one organization).
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
 *      `ROLE=worker` process (Bull on REDIS_URL, the worker's docker-compose heap options).
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
import {
  addEmployee,
  AppProcess,
  cpuMsOf,
  freePort,
  importJob,
  ImportJobState,
  login,
  startAppProcess,
  startNodeProcess,
  uploadRegistry,
} from './app-process';
import { LoadFigures, LoadRequest, runLoad, ServerCpu } from './load-generator';
import { generateRegistry } from './registry-generator';
import {
  adminQuery,
  CARD_QUERY,
  cardSizes,
  intEnv,
  prepareCardDatabase,
  prng,
  sampleContacts,
  samplePhoneDigits,
  timed,
  TYPEAHEAD_QUERY,
  withDatabase,
} from './support';

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const SIZES = cardSizes(intEnv('CONTACTS', 1_000_000), intEnv('TICKETS', 5_000_000));
const CLIENTS = Math.max(1, intEnv('CLIENTS', 64));
const SECONDS = Math.max(1, intEnv('SECONDS', 60));
const WARMUP_SECONDS = intEnv('WARMUP_SECONDS', 10);
const THINK_MS = intEnv('THINK_MS', 0);
const IMPORT_ROWS = intEnv('IMPORT_ROWS', 100_000);
const FLOOR_POOL = Math.max(1, intEnv('FLOOR_POOL', 10));
const SEED = intEnv('SEED', 42);
const API_NODE_FLAGS = (process.env.API_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const REUSE = process.env.REUSE;
const KEEP = process.env.KEEP === '1' || Boolean(REUSE);
const PASSWORD = 'bench-password-123';
/** Contacts and phones the mix draws from; enough that the card's pages are the database's, not one hot set. */
const SAMPLE_POOL = 20_000;
const TICKETS_PER_CLIENT = 8;
const TARGETS = { floorRatio: 0.5, typeaheadP99: 25, cardP99: 50, underImport: 2 };

const random = prng(SEED);
const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

const CREATE_TICKET = `mutation($input: CreateTicketFromCardInput!) { createTicketFromCard(input: $input) { ticket { id number status } } }`;
const CHANGE_STATUS = `mutation($input: ChangeTicketStatusInput!) { changeTicketStatus(input: $input) { ticket { id status } } }`;

interface Samples {
  contacts: string[];
  parts: string[];
  /** Client i's own tickets and their status (only client i changes them, so no two race). */
  tickets: { id: string; status: string }[][];
}

async function drawSamples(db: PgClient, org: string): Promise<Samples> {
  const contacts = await sampleContacts(db, org, SIZES, SAMPLE_POOL, SEED, random);
  const parts = (await samplePhoneDigits(db, SIZES, SAMPLE_POOL, random)).map((digits) => {
    const length = between(4, 7);
    return digits.substr(between(0, digits.length - length), length);
  });
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM ticket WHERE organization_id = $1 AND status = 'NEW' ORDER BY number DESC LIMIT $2`,
    [org, CLIENTS * TICKETS_PER_CLIENT],
  );
  const tickets = Array.from({ length: CLIENTS }, (_, i) =>
    rows.slice(i * TICKETS_PER_CLIENT, (i + 1) * TICKETS_PER_CLIENT).map(({ id }) => ({ id, status: 'NEW' })),
  );
  return { contacts, parts, tickets };
}

const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
const graphql = (kind: string, query: string, variables: object, onSuccess?: (answer: any) => void): LoadRequest => ({
  kind,
  path: '/graphql',
  body: { query, variables },
  onSuccess,
});

/** The dispatcher's mix: 70 % typeahead, 20 % cards, 10 % tickets. */
function dispatcherMix(samples: Samples) {
  return (client: number): LoadRequest => {
    const r = random();
    if (r < 0.7) return graphql('typeahead', TYPEAHEAD_QUERY, { q: pick(samples.parts) });
    if (r < 0.9) return graphql('card', CARD_QUERY, { id: pick(samples.contacts) });
    const own = samples.tickets[client];
    if (own.length && random() < 0.5) {
      const ticket = pick(own);
      const status = ticket.status === 'NEW' ? 'IN_PROGRESS' : 'NEW';
      return graphql(
        'ticket status',
        CHANGE_STATUS,
        { input: { id: ticket.id, status } },
        () => (ticket.status = status),
      );
    }
    return graphql('ticket create', CREATE_TICKET, {
      input: { contactId: pick(samples.contacts), description: 'Нагрузочный тест: течёт кран на кухне' },
    });
  };
}

function printFigures(title: string, figures: LoadFigures, postgresLabel = 'postgres'): void {
  console.log(`\n  ${title} — ${CLIENTS} clients, ${figures.seconds.toFixed(0)} s`);
  console.log(
    `    ${'kind'.padEnd(14)} ${'ok'.padStart(7)} ${'req/s'.padStart(8)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}  errors`,
  );
  for (const k of figures.kinds) {
    const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1)).padStart(7);
    const errors = [...k.errors].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
    console.log(
      `    ${k.kind.padEnd(14)} ${String(k.ok).padStart(7)} ${k.perSecond.toFixed(1).padStart(8)} ${ms(k.latency?.p50)} ${ms(k.latency?.p95)} ${ms(k.latency?.p99)} ${ms(k.latency?.max)}  ${errors}`,
    );
  }
  const total = figures.kinds.reduce((sum, k) => sum + k.ok, 0);
  const littles = THINK_MS
    ? ''
    : ` (closed loop: mean latency ≈ ${CLIENTS} clients / throughput = ${((CLIENTS / (total / figures.seconds)) * 1000).toFixed(0)} ms)`;
  console.log(
    `    ${'all'.padEnd(14)} ${String(total).padStart(7)} ${(total / figures.seconds).toFixed(1).padStart(8)}${littles}`,
  );
  const cpu = figures.cpuPerAnswer;
  const ms = (value: number | null | undefined) => (value == null ? 'n/a' : `${value.toFixed(2)} ms`);
  if (cpu)
    console.log(`    server CPU per answer (all kinds): node ${ms(cpu.node)}, ${postgresLabel} ${ms(cpu.postgres)}`);
  for (const p of figures.pools) {
    console.log(
      `    db pool ${p.pool} (max ${p.size}): busy ≤ ${p.maxBusy}; queries waiting for a connection in ${p.withWaiters} of ${p.samples} samples, at most ${p.maxWaiting}, mean ${p.meanWaiting.toFixed(2)}`,
    );
  }
}

const kind = (figures: LoadFigures, name: string) => figures.kinds.find((k) => k.kind === name);
const errorsOf = (figures: LoadFigures) =>
  figures.kinds.reduce((sum, k) => sum + [...k.errors.values()].reduce((a, b) => a + b, 0), 0);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function printTargets(
  alone: LoadFigures,
  cardsOnly: LoadFigures,
  floor: LoadFigures,
  withImport: LoadFigures | null,
): void {
  console.log('\n5. Targets');
  const ratio = (kind(cardsOnly, 'card')?.perSecond ?? 0) / (kind(floor, 'card')?.perSecond || Infinity);
  console.log(
    `  card throughput / floor: ${kind(cardsOnly, 'card')?.perSecond.toFixed(1)} / ${kind(floor, 'card')?.perSecond.toFixed(1)} req/s = ${ratio.toFixed(2)} (target ≥ ${TARGETS.floorRatio}: ${verdict(ratio >= TARGETS.floorRatio)})`,
  );
  const p99 = (figures: LoadFigures, name: string, limit: number, label: string) => {
    const value = kind(figures, name)?.latency?.p99;
    console.log(
      `  ${label}: ${value === undefined ? '—' : `${value.toFixed(1)} ms`} (target ≤ ${limit} ms: ${verdict(value !== undefined && value <= limit)})`,
    );
  };
  p99(alone, 'typeahead', TARGETS.typeaheadP99, 'typeahead p99 without the import');
  p99(alone, 'card', TARGETS.cardP99, 'card p99 without the import');
  if (withImport) {
    p99(withImport, 'typeahead', TARGETS.typeaheadP99 * TARGETS.underImport, 'typeahead p99 during the import');
    p99(withImport, 'card', TARGETS.cardP99 * TARGETS.underImport, 'card p99 during the import');
  }
  const errors = [alone, cardsOnly, ...(withImport ? [withImport] : [])].reduce((sum, f) => sum + errorsOf(f), 0);
  console.log(`  errors of the service: ${errors} (target 0: ${verdict(errors === 0)})`);
}

/**
 * The CPU a server process and its PostgreSQL backends (by application_name, on this database) have
 * used so far: the backends' from /proc, as the server runs on this machine (null otherwise).
 */
function serverCpu(monitor: PgClient, database: string, pid: number, applications: string[]): () => Promise<ServerCpu> {
  return async () => {
    const { rows } = await monitor.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = ANY($2)`,
      [database, applications],
    );
    const backends = new Map(rows.map((row) => [row.pid, cpuMsOf(row.pid)] as const));
    const onThisMachine = backends.size > 0 && [...backends.values()].every((ms) => ms !== null);
    return { node: cpuMsOf(pid), postgres: onThisMachine ? (backends as Map<number, number>) : null };
  };
}

/** B: the worker takes the uploaded import; the mix is measured once it is writing rows. */
async function duringImport(
  api: AppProcess,
  env: Record<string, string>,
  adminToken: string,
  token: string,
  file: string,
  mix: (client: number) => LoadRequest,
  cpu: () => Promise<ServerCpu>,
): Promise<LoadFigures> {
  const worker = await startAppProcess('worker', { ...env, ROLE: 'worker', METRICS_PORT: String(await freePort()) }, [
    '--max-old-space-size=224',
    '--max-semi-space-size=8',
  ]);
  try {
    const jobId = await uploadRegistry(api.url!, adminToken, file);
    let job: ImportJobState = await importJob(api.url!, adminToken, jobId);
    const waitStart = Date.now();
    while (job.status === 'QUEUED' || (job.status === 'RUNNING' && job.processedRows === 0)) {
      if (Date.now() - waitStart > 300_000)
        throw new Error(`the import did not start writing in 5 minutes: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await importJob(api.url!, adminToken, jobId);
    }
    if (job.status !== 'RUNNING') throw new Error(`the import ended before the load: ${JSON.stringify(job)}`);
    const before = job.processedRows;
    let endedAfter = null as number | null;
    const loadStart = Date.now();
    const watching = setInterval(() => {
      void importJob(api.url!, adminToken, jobId).then(
        (state) => {
          job = state;
          if (endedAfter === null && state.status !== 'RUNNING') endedAfter = (Date.now() - loadStart) / 1000;
        },
        () => undefined,
      );
    }, 1000);
    const figures = await runLoad({
      baseUrl: api.url!,
      token,
      clients: CLIENTS,
      thinkMs: THINK_MS,
      seconds: SECONDS,
      next: mix,
      metricsToken: env.METRICS_TOKEN,
      serverCpu: cpu,
    });
    clearInterval(watching);
    job = await importJob(api.url!, adminToken, jobId);
    const overlap =
      endedAfter === null
        ? `it ran through the whole window`
        : `it ended (${job.status}) after ${endedAfter.toFixed(0)} s of the window`;
    console.log(
      `\n  import during B: rows ${before.toLocaleString('en')} → ${job.processedRows.toLocaleString('en')} of ${IMPORT_ROWS.toLocaleString('en')} (${job.status}); ${overlap}; worker peak RSS ${worker.peakRssMb()} MB`,
    );
    return figures;
  } finally {
    await worker.stop();
  }
}

/** C: cards only against the bare floor server, after its own warm-up. */
async function floorRun(monitor: PgClient, database: string, org: string, samples: Samples): Promise<LoadFigures> {
  const port = String(await freePort());
  const floor = await startNodeProcess('floor server', join(__dirname, 'card-floor-server.js'), {
    FLOOR_DATABASE_URL: withDatabase(SERVER_URL, database),
    FLOOR_ORGANIZATION: org,
    FLOOR_POOL: String(FLOOR_POOL),
    PORT: port,
  });
  try {
    const next = (): LoadRequest => ({ kind: 'card', path: `/card?id=${pick(samples.contacts)}` });
    if (WARMUP_SECONDS)
      await runLoad({ baseUrl: floor.url!, clients: CLIENTS, thinkMs: THINK_MS, seconds: WARMUP_SECONDS, next });
    return await runLoad({
      baseUrl: floor.url!,
      clients: CLIENTS,
      thinkMs: THINK_MS,
      seconds: SECONDS,
      next,
      serverCpu: serverCpu(monitor, database, floor.pid, ['domovoy-bench-floor']),
    });
  } finally {
    await floor.stop();
  }
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

async function main(): Promise<void> {
  const seeded = REUSE ?? `domovoy_bench_${randomBytes(4).toString('hex')}`;
  console.log(
    `Load benchmark: ${SIZES.contacts.toLocaleString('en')} contacts, ${SIZES.tickets.toLocaleString('en')} tickets; ${CLIENTS} clients, ` +
      `${SECONDS} s a phase after ${WARMUP_SECONDS} s of warm-up, ${THINK_MS} ms between a client's requests; import of ${IMPORT_ROWS.toLocaleString('en')} rows; seed ${SEED}`,
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
    const seedDb = new PgClient({
      connectionString: withDatabase(SERVER_URL, seeded),
      application_name: 'domovoy-bench',
    });
    const org = await prepareCardDatabase(seedDb, withDatabase(SERVER_URL, seeded), SIZES, REUSE).finally(() =>
      seedDb.end(),
    );
    database = await runDatabase(seeded);
    const runUrl = withDatabase(SERVER_URL, database);
    db = new PgClient({ connectionString: runUrl, application_name: 'domovoy-bench' });
    console.log('\n3. Samples, employees, the registry file, the api process');
    await db.connect();
    const samples = await drawSamples(db, org);
    const [dispatcher, admin] = [
      await addEmployee(db, org, 'DISPATCHER', PASSWORD),
      await addEmployee(db, org, 'ADMIN', PASSWORD),
    ];
    const file = join(dir, 'registry.upload');
    await timed(`registry file of ${IMPORT_ROWS.toLocaleString('en')} rows`, () => generateRegistry(file, IMPORT_ROWS));
    const env = {
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
    const port = String(await freePort());
    api = (
      await timed('api process up', () => startAppProcess('api', { ...env, ROLE: 'api', PORT: port }, API_NODE_FLAGS))
    ).result;
    const token = await login(api.url!, dispatcher, PASSWORD);
    const adminToken = await login(api.url!, admin, PASSWORD);
    const mix = dispatcherMix(samples);
    const apiCpu = serverCpu(db, database, api.pid, ['domovoy', 'domovoy-prepared']);
    const measure = async (title: string, next: (client: number) => LoadRequest) => {
      if (WARMUP_SECONDS)
        await runLoad({
          baseUrl: api!.url!,
          token,
          clients: CLIENTS,
          thinkMs: THINK_MS,
          seconds: WARMUP_SECONDS,
          next,
        });
      const figures = await runLoad({
        baseUrl: api!.url!,
        token,
        clients: CLIENTS,
        thinkMs: THINK_MS,
        seconds: SECONDS,
        next,
        metricsToken: env.METRICS_TOKEN,
        serverCpu: apiCpu,
      });
      printFigures(title, figures);
      return figures;
    };

    console.log('\n4. Load (ms; req/s of answers without errors)');
    const alone = await measure('A. dispatcher mix, alone', mix);
    const cardsOnly = await measure('C. cards only, the service', () =>
      graphql('card', CARD_QUERY, { id: pick(samples.contacts) }),
    );
    const floor = await floorRun(db, database, org, samples);
    printFigures(
      `C. cards only, the floor (node:http + pg, ${FLOOR_POOL} connections, one hand-written statement)`,
      floor,
    );
    let withImport: LoadFigures | null = null;
    if (IMPORT_ROWS > 0) {
      if (WARMUP_SECONDS)
        await runLoad({
          baseUrl: api.url!,
          token,
          clients: CLIENTS,
          thinkMs: THINK_MS,
          seconds: WARMUP_SECONDS,
          next: mix,
        });
      withImport = await duringImport(api, env, adminToken, token, file, mix, apiCpu);
      printFigures(
        `B. dispatcher mix during a ${IMPORT_ROWS.toLocaleString('en')}-row import in a ROLE=worker process`,
        withImport,
        "postgres (the import's backends too)",
      );
    }
    printTargets(alone, cardsOnly, floor, withImport);
    console.log(`  api peak RSS ${api.peakRssMb()} MB`);
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
