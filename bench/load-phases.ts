/*
 * The load benchmark's phases (bench/load.ts): A, the dispatcher's mix alone; C, cards only against
 * the service and against the bare floor server; B, the mix during an import in a worker process.
 */
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import {
  AppProcess,
  cpuMsOf,
  freePort,
  importJob,
  npmStartNodeFlags,
  ImportJobState,
  startAppProcess,
  startNodeProcess,
  uploadRegistry,
} from './app-process';
import { LoadFigures, LoadRequest, NextRequest, runLoad, ServerCpu } from './load-generator';
import { cardRequest, dispatcherMix, pick, Samples } from './load-mix';
import { printFigures, printTargets } from './load-report';
import { withDatabase } from './support';

/** The run's settings, from the environment bench/load.ts documents. */
export interface LoadSettings {
  serverUrl: string;
  clients: number;
  seconds: number;
  warmupSeconds: number;
  thinkMs: number;
  importRows: number;
  floorPool: number;
}

/** The database the run works on and what the traffic draws from. */
export interface LoadTarget {
  /** Connected to the run's database: where the server side's CPU goes is read over it. */
  db: PgClient;
  database: string;
  org: string;
  samples: Samples;
  random: () => number;
}

/** The api process and what the phases send it: tokens, the registry file, its settings. */
export interface ApiUnderLoad {
  api: AppProcess;
  env: Record<string, string>;
  token: string;
  adminToken: string;
  file: string;
  cpu: () => Promise<ServerCpu>;
}

/**
 * The CPU a server process and its PostgreSQL backends (by application_name, on this database) have
 * used so far: the backends' from /proc, as the server runs on this machine (null otherwise).
 */
export function serverCpu(
  monitor: PgClient,
  database: string,
  pid: number,
  applications: string[],
): () => Promise<ServerCpu> {
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
  settings: LoadSettings,
  { api, env, adminToken, token, file, cpu }: ApiUnderLoad,
  mix: NextRequest,
): Promise<LoadFigures> {
  const worker = await startAppProcess(
    'worker',
    { ...env, ROLE: 'worker', METRICS_PORT: String(await freePort()) },
    npmStartNodeFlags(),
  );
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
      clients: settings.clients,
      thinkMs: settings.thinkMs,
      seconds: settings.seconds,
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
      `\n  import during B: rows ${before.toLocaleString('en')} → ${job.processedRows.toLocaleString('en')} of ${settings.importRows.toLocaleString('en')} (${job.status}); ${overlap}; worker peak RSS ${worker.peakRssMb()} MB`,
    );
    return figures;
  } finally {
    await worker.stop();
  }
}

/** C: cards only against the bare floor server, after its own warm-up. */
async function floorRun(
  settings: LoadSettings,
  { db: monitor, database, org, samples, random }: LoadTarget,
): Promise<LoadFigures> {
  const port = String(await freePort());
  const floor = await startNodeProcess('floor server', join(__dirname, 'card-floor-server.js'), {
    FLOOR_DATABASE_URL: withDatabase(settings.serverUrl, database),
    FLOOR_ORGANIZATION: org,
    FLOOR_POOL: String(settings.floorPool),
    PORT: port,
  });
  try {
    const next = (): LoadRequest => ({ kind: 'card', path: `/card?id=${pick(random, samples.contacts)}` });
    if (settings.warmupSeconds)
      await runLoad({
        baseUrl: floor.url!,
        clients: settings.clients,
        thinkMs: settings.thinkMs,
        seconds: settings.warmupSeconds,
        next,
      });
    return await runLoad({
      baseUrl: floor.url!,
      clients: settings.clients,
      thinkMs: settings.thinkMs,
      seconds: settings.seconds,
      next,
      serverCpu: serverCpu(monitor, database, floor.pid, ['domovoy-bench-floor']),
    });
  } finally {
    await floor.stop();
  }
}

/** `next`'s traffic against the api: unmeasured for the warm-up, then measured for the phase. */
async function apiLoad(
  settings: LoadSettings,
  { api, env, token, cpu }: ApiUnderLoad,
  next: NextRequest,
  measured: boolean,
): Promise<LoadFigures> {
  const common = { baseUrl: api.url!, token, clients: settings.clients, thinkMs: settings.thinkMs, next };
  if (!measured) return runLoad({ ...common, seconds: settings.warmupSeconds });
  return runLoad({ ...common, seconds: settings.seconds, metricsToken: env.METRICS_TOKEN, serverCpu: cpu });
}

/** A phase against the api after its warm-up, its figures printed. */
async function apiPhase(
  settings: LoadSettings,
  app: ApiUnderLoad,
  title: string,
  next: NextRequest,
): Promise<LoadFigures> {
  if (settings.warmupSeconds) await apiLoad(settings, app, next, false);
  const figures = await apiLoad(settings, app, next, true);
  printFigures(title, figures, settings);
  return figures;
}

/** 4–5. Phases A, C and (IMPORT_ROWS > 0) B, each printed, then the targets. */
export async function runPhases(settings: LoadSettings, target: LoadTarget, app: ApiUnderLoad): Promise<void> {
  const { samples, random } = target;
  const mix = dispatcherMix(samples, random);
  console.log('\n4. Load (ms; req/s of answers without errors)');
  const alone = await apiPhase(settings, app, 'A. dispatcher mix, alone', mix);
  const cardsOnly = await apiPhase(settings, app, 'C. cards only, the service', () => cardRequest(samples, random));
  const floor = await floorRun(settings, target);
  printFigures(
    `C. cards only, the floor (node:http + pg, ${settings.floorPool} connections, one hand-written statement)`,
    floor,
    settings,
  );
  let withImport: LoadFigures | null = null;
  if (settings.importRows > 0) {
    if (settings.warmupSeconds) await apiLoad(settings, app, mix, false);
    withImport = await duringImport(settings, app, mix);
    printFigures(
      `B. dispatcher mix during a ${settings.importRows.toLocaleString('en')}-row import in a ROLE=worker process`,
      withImport,
      settings,
      "postgres (the import's backends too)",
    );
  }
  printTargets(alone, cardsOnly, floor, withImport);
  console.log(`  api peak RSS ${app.api.peakRssMb()} MB`);
}
