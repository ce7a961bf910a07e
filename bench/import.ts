/*
 * Excel import benchmark: generates registry files and measures, in one run and for each size,
 *   1. the streaming parse alone (exceljs streaming read of every row; and with the row validation),
 *   2. a full import into an empty database (rows/s; its ratio to the parse-only figure is printed but
 *      no longer a target: the database's work per row, not the parse, is the floor),
 *   3. the bulk-load floor of that import: the rows it wrote, dumped data-only right after it and
 *      restored into a freshly migrated database (every index, constraint and trigger) in one
 *      transaction (bench/bulk-load-floor.ts); prints import time / floor time and each table's share
 *      (target ≤ 1.25× below 1M rows, ≤ 1.4× at 1M),
 *   4. a re-import of the unchanged file (time; target ≤ 30 % of the first import),
 *   5. the worker's peak RSS (target ≤ 300 MB at 1M rows),
 *   6. the peak RSS of the default `npm start` process (api and jobs in one, with the Node options of package.json's start script, jobs
 *      in-process, as a newcomer runs it; target ≤ 300 MB) over the same two imports, uploaded over HTTP.
 * Each measurement runs in a fresh child process, so one's memory never counts in another's peak. The
 * peak is the child's own VmHWM: getrusage's maxRSS of a spawned child starts at its parent's RSS at
 * fork (Linux keeps it across exec), and this parent has just generated the file, so maxRSS reported
 * the generator's memory (1,075 MB at 1M rows, stop 10) rather than the worker's.
 *
 * The floor needs pg_dump and pg_restore of at least the server's major version (PATH, or PG_BIN=dir);
 * without them the run says so and prints no ratio.
 *
 * Build and run (from the repository root):
 *
 *   npx tsc -p bench/tsconfig.json
 *   ROWS=100000,1000000 node bench/dist/bench/import.js
 *
 * Environment:
 *   DATABASE_URL  server for the scratch databases (default postgres://postgres@127.0.0.1:5432/postgres)
 *   ROWS          comma-separated file sizes (default 100000,1000000)
 *   BATCH_ROWS    rows per transaction (default: the service's IMPORT_BATCH_ROWS default)
 *   READING_THREAD  the service's IMPORT_READING_THREAD (off, the default; on: uploads of 1 MiB or more are read in a worker thread)
 *   WORKER_NODE_OPTIONS  the importing process's Node options (default: the service's, those of
 *                 package.json's start script, which docker-compose's worker repeats; "none" = Node's
 *                 defaults, which on a large machine let the heap grow lazily to GBs)
 *   KEEP=1        keep the scratch databases and files
 *   MEM_TRACE=1   the importing process prints its RSS, V8 heap and external memory every 10 s (stderr)
 *   PROFILE=1     the importing process prints, after each import, its statements by kind (count, time) and its CPU (stderr)
 *   ALLOCATION_PROFILE=<prefix>  the importing process writes where each import allocated (bench/allocation-profile.ts)
 *   IMPORT_NODE_ARGS  more Node options for the importing process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   START_RSS=0   skip step 6 (the `npm start` process's imports)
 *
 * It is a benchmark, not a test: it prints its figures and exits 0 unless something breaks.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { appLogger } from '../src/common/logging/json-logger';
import { loadConfig } from '../src/config/config';
import { runMigrations } from '../src/database/run-migrations';
import { ImportMode, ImportStatus } from '../src/imports/job/import-enums';
import { ImportJobEntity } from '../src/imports/job/import-job.entity';
import { ImportJobsService } from '../src/imports/job/import-jobs.service';
import { REGISTRY_COLUMNS } from '../src/imports/registry-columns';
import { openRegistryFile } from '../src/imports/file/registry-file';
import { RegistryImportJob } from '../src/imports/job/registry-import.job';
import { parseRegistryRow } from '../src/imports/rows/registry-row-parser';
import { CrmSpace } from '../src/kernel/crm-space';
import { OrganizationsService } from '../src/organizations/organizations.service';
import { EmployeesService } from '../src/organizations/employees.service';
import { EmployeeRole } from '../src/kernel/role';
import { startServer } from '../src/server';
import {
  freePort,
  login,
  npmStartNodeFlags,
  peakRssMbOf,
  startAppProcess,
  uploadRegistry,
  waitForImport,
} from './app-process';
import { dumpImportedRows, floorTools, FloorTools, restoreFloor } from './bulk-load-floor';
import { generateRegistry } from './registry-generator';
import { adminQuery, seconds, withDatabase } from './support';
import { installStatementProfile, reportStatementProfile } from './statement-profile';
import { startAllocationProfile, stopAllocationProfile } from './allocation-profile';

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
// ---------------------------------------------------------------------------------------------
// Child phases: each prints one JSON line with its figures and its own peak RSS.
// ---------------------------------------------------------------------------------------------

const peakRssMb = (): number => peakRssMbOf('self');

async function parsePhase(path: string, validate: boolean): Promise<object> {
  const start = performance.now();
  const reader = await openRegistryFile(path, { maxBytes: Number.MAX_SAFE_INTEGER });
  let rows = 0;
  let bad = 0;
  try {
    for await (const raw of reader.rows()) {
      rows++;
      if (validate && !parseRegistryRow(raw).row) bad++;
    }
  } finally {
    await reader.close();
  }
  const ms = performance.now() - start;
  return { rows, bad, ms, rowsPerSecond: Math.round(rows / (ms / 1000)), peakRssMb: peakRssMb() };
}

/** Waits for job `jobId` to end; its figures, timed from `start`. */
async function importOutcome(dataSource: DataSource, organizationId: string, jobId: string, start: number) {
  for (;;) {
    const row = await dataSource.getRepository(ImportJobEntity).findOneByOrFail({ organizationId, id: jobId });
    if (row.status === ImportStatus.COMPLETED || row.status === ImportStatus.FAILED) {
      const ms = performance.now() - start;
      return {
        ms,
        status: row.status,
        error: row.errorEn,
        rows: row.processedRows,
        created: row.created,
        updated: row.updated,
        unchanged: row.unchanged,
        failed: row.failed,
        rowsPerSecond: Math.round(row.processedRows / (ms / 1000)),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function importPhase(path: string, database: string, dumpFile: string): Promise<object> {
  appLogger.setLevel('warn');
  const url = withDatabase(SERVER_URL, database);
  await runMigrations(url);
  const importDir = join(path, '..');
  const config = loadConfig({
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    PORT: '0',
    LOG_LEVEL: 'warn',
    IMPORT_DIR: importDir,
    // A 1M-row registry with every column filled is ~115 MB, over the 100 MB default: an organization importing such files raises it.
    IMPORT_MAX_BYTES: String(Math.max(100 * 1024 * 1024, statSync(path).size + 1)),
    ...(process.env.BATCH_ROWS ? { IMPORT_BATCH_ROWS: process.env.BATCH_ROWS } : {}),
    ...(process.env.READING_THREAD ? { IMPORT_READING_THREAD: process.env.READING_THREAD } : {}),
  });
  const server = await startServer(config, url);
  try {
    const organization = await server.app.get(OrganizationsService).create('Бенчмарк');
    const employee = await server.app.get(EmployeesService).create(organization.id, {
      email: 'bench@test.local',
      password: 'bench-password',
      fullName: 'Бенчмарк',
      role: EmployeeRole.ADMIN,
    });
    const me = { organizationId: organization.id, employeeId: employee.id, crmSpace: CrmSpace.OPERATION } as Parameters<
      ImportJobsService['create']
    >[0];
    const jobs = server.app.get(ImportJobsService);
    const runner = server.app.get(RegistryImportJob);
    const dataSource = server.app.get<DataSource>(getDataSourceToken());
    const copy = async () => {
      const name = `${randomBytes(4).toString('hex')}.upload`;
      await copyFile(path, join(importDir, name));
      return name;
    };
    const run = async () => {
      const job = await jobs.create(me, {
        mode: ImportMode.MERGE,
        sync: false,
        fileName: 'bench.xlsx',
        fileSize: statSync(path).size,
      });
      // A run without row errors deletes its upload: each run imports its own copy, as an upload would.
      job.storedFile = await copy();
      await jobs.setStoredFile(organization.id, job.id, job.storedFile);
      const allocations = process.env.ALLOCATION_PROFILE;
      if (allocations) await startAllocationProfile();
      const start = performance.now();
      await runner.enqueue(job);
      const outcome = await importOutcome(dataSource, organization.id, job.id, start);
      if (process.env.PROFILE) reportStatementProfile(`import of ${outcome.rows} rows`);
      if (allocations) await stopAllocationProfile(allocations);
      return outcome;
    };
    const first = await run();
    // The floor's rows: what this first import wrote (the re-import's writes are not in it).
    const dumpStart = performance.now();
    if (dumpFile) await dumpImportedRows(await floorTools(SERVER_URL), url, dumpFile);
    const dumpMs = performance.now() - dumpStart;
    const second = await run();
    const tables = await dataSource.query(
      `SELECT (SELECT count(*) FROM client)::int AS clients, (SELECT count(*) FROM premises)::int AS premises, (SELECT count(*) FROM audit_entry)::int AS audit`,
    );
    return { first, second, dumpMs, tables: tables[0], peakRssMb: peakRssMb() };
  } finally {
    await server.close();
  }
}

/** The importing process's Node options: the service's (npm start's, docker-compose's worker's) unless WORKER_NODE_OPTIONS says otherwise. */
const WORKER_NODE_OPTIONS =
  process.env.WORKER_NODE_OPTIONS === undefined
    ? npmStartNodeFlags()
    : process.env.WORKER_NODE_OPTIONS.split(' ').filter((option) => option && option !== 'none');

function runChild(args: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    const heap =
      args[0] === 'import'
        ? [...WORKER_NODE_OPTIONS, ...(process.env.IMPORT_NODE_ARGS ? process.env.IMPORT_NODE_ARGS.split(' ') : [])]
        : [];
    const child = spawn(process.execPath, [...heap, __filename, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      // The phase's figures are its last JSON line (a Node option such as --trace-gc may print more).
      const lines = out.trim().split('\n');
      const line = lines.filter((l) => l.startsWith('{')).pop() ?? '';
      const other = lines.filter((l) => !l.startsWith('{')).join('\n');
      if (other) process.stderr.write(other + '\n');
      if (code !== 0) reject(new Error(`phase ${args[0]} exited ${code}: ${out}`));
      else resolve(JSON.parse(line));
    });
  });
}

async function main(): Promise<void> {
  const [phase, ...args] = process.argv.slice(2);
  if (phase === 'parse' || phase === 'validate') {
    process.stdout.write(JSON.stringify(await parsePhase(args[0], phase === 'validate')) + '\n');
    return;
  }
  if (phase === 'import') {
    if (process.env.PROFILE) installStatementProfile();
    if (process.env.MEM_TRACE) {
      const t0 = Date.now();
      setInterval(() => {
        const m = process.memoryUsage();
        process.stderr.write(
          `mem ${Math.round((Date.now() - t0) / 1000)}s rss ${Math.round(m.rss / 1e6)} heap ${Math.round(m.heapUsed / 1e6)} ext ${Math.round(m.external / 1e6)} ab ${Math.round(m.arrayBuffers / 1e6)}\n`,
        );
      }, 10_000).unref();
    }
    process.stdout.write(JSON.stringify(await importPhase(args[0], args[1], args[2] ?? '')) + '\n');
    return;
  }
  const sizes = (process.env.ROWS ?? '100000,1000000').split(',').map((s) => Number(s.replace(/_/g, '')));
  const dir = mkdtempSync(join(tmpdir(), 'domovoy-import-bench-'));
  const tools = await floorTools(SERVER_URL);
  console.log(
    'unavailable' in tools
      ? `bulk-load floor: not measured: ${tools.unavailable}`
      : `bulk-load floor: pg_dump/pg_restore (${tools.version})`,
  );
  const report: string[] = [];
  try {
    for (const rows of sizes) report.push(await measureSize(rows, dir, tools));
    console.log(`\nsummary\n${report.join('\n')}`);
  } finally {
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** Every step of the header for one file size; returns its summary line. */
async function measureSize(rows: number, dir: string, tools: FloorTools): Promise<string> {
  const file = join(dir, `registry-${rows}.upload`);
  const started = performance.now();
  await generateRegistry(file, rows);
  const megabytes = (statSync(file).size / 1024 / 1024).toFixed(1);
  console.log(
    `\n${rows.toLocaleString('en')} rows × ${REGISTRY_COLUMNS.length} columns: ${megabytes} MB, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const parse = await runChild(['parse', file]);
  console.log(
    `  parse only (streaming read):      ${parse.rowsPerSecond.toLocaleString('en')} rows/s, peak RSS ${parse.peakRssMb} MB`,
  );
  const validate = await runChild(['validate', file]);
  console.log(
    `  parse + row validation:           ${validate.rowsPerSecond.toLocaleString('en')} rows/s, peak RSS ${validate.peakRssMb} MB`,
  );
  const database = `domovoy_bench_import_${Date.now()}`;
  const dumpFile = 'unavailable' in tools ? '' : join(dir, `imported-${rows}.dump`);
  await adminQuery(SERVER_URL, `CREATE DATABASE ${database}`);
  let result: any;
  try {
    result = await runChild(['import', file, database, dumpFile]);
  } finally {
    if (!process.env.KEEP) await adminQuery(SERVER_URL, `DROP DATABASE ${database}`);
  }
  const ratio = result.first.rowsPerSecond / parse.rowsPerSecond;
  const reRatio = result.second.ms / result.first.ms;
  if (result.first.status !== 'COMPLETED' || result.second.status !== 'COMPLETED')
    throw new Error(
      `import ${result.first.status} / ${result.second.status}: ${result.first.error ?? result.second.error}`,
    );
  console.log(
    `  full import, empty database:      ${result.first.rowsPerSecond.toLocaleString('en')} rows/s (${seconds(result.first.ms)}; created ${result.first.created}, failed ${result.first.failed}) — ratio to parse ${ratio.toFixed(2)}`,
  );
  let floorLine = 'floor not measured';
  if (dumpFile) {
    const floor = await restoreFloor(tools, SERVER_URL, dumpFile);
    const times = result.first.ms / floor.ms;
    const target = rows >= 1_000_000 ? 1.4 : 1.25;
    console.log(
      `  bulk-load floor (pg_restore --single-transaction of the rows it wrote, dumped in ${seconds(result.dumpMs)}): ${seconds(floor.ms)}`,
    );
    console.log(
      `    ${floor.tables
        .filter((t) => t.rows > 0)
        .map((t) => `${t.table} ${seconds(t.ms)} (${t.rows.toLocaleString('en')} rows)`)
        .join(', ')}`,
    );
    console.log(
      `  import / floor: ${times.toFixed(2)}× (ratio ${(1 / times).toFixed(2)}; target ≤ ${target}×: ${pass(times <= target)})`,
    );
    floorLine = `floor ${seconds(floor.ms)}, import/floor ${times.toFixed(2)}×`;
  }
  console.log(
    `  re-import, unchanged file:        ${seconds(result.second.ms)} (unchanged ${result.second.unchanged}, updated ${result.second.updated}) — ${(reRatio * 100).toFixed(0)}% of the first (target ≤ 30%: ${pass(reRatio <= 0.3)})`,
  );
  console.log(
    `  worker peak RSS (both imports, Node options: ${WORKER_NODE_OPTIONS.join(' ') || 'none'}): ${result.peakRssMb} MB${rows >= 1_000_000 ? ` (target ≤ 300 MB: ${pass(result.peakRssMb <= 300)})` : ''}`,
  );
  console.log(`  database after: ${JSON.stringify(result.tables)}`);
  const startRss = process.env.START_RSS === '0' ? null : await startProcessPeakRss(file);
  if (startRss)
    console.log(
      `  \`npm start\` process peak RSS (ROLE=all, Node options of package.json's start script: ${startRss.flags}; both imports uploaded over HTTP, ${seconds(startRss.firstMs)} + ${seconds(startRss.secondMs)}): ${startRss.peakRssMb} MB (target ≤ 300 MB: ${pass(startRss.peakRssMb <= 300)})`,
    );
  return (
    `${rows}: parse ${parse.rowsPerSecond}/s, validate ${validate.rowsPerSecond}/s, import ${seconds(result.first.ms)} (${result.first.rowsPerSecond}/s), ${floorLine}, re-import ${(reRatio * 100).toFixed(0)}%, worker RSS ${result.peakRssMb} MB` +
    (startRss ? `, npm start RSS ${startRss.peakRssMb} MB` : '')
  );
}

/**
 * Step 6: src/main.js as `npm start` runs it (the Node options of package.json's start script, ROLE=all, jobs in-process), on a scratch
 * database, importing the file twice through POST /imports; its VmHWM read before it stops.
 */
async function startProcessPeakRss(
  file: string,
): Promise<{ peakRssMb: number; firstMs: number; secondMs: number; flags: string }> {
  const database = `domovoy_bench_start_${Date.now()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'domovoy-start-bench-'));
  await adminQuery(SERVER_URL, `CREATE DATABASE ${database}`);
  const password = 'bench-password-123';
  const flags = npmStartNodeFlags();
  const app = await startAppProcess(
    'npm start process',
    {
      DATABASE_URL: withDatabase(SERVER_URL, database),
      PORT: String(await freePort()),
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATA_DIR: dataDir,
      BOOTSTRAP_ADMIN_EMAIL: 'bench@bench.local',
      BOOTSTRAP_ADMIN_PASSWORD: password,
      IMPORT_MAX_BYTES: String(Math.max(100 * 1024 * 1024, statSync(file).size + 1)),
    },
    flags,
  );
  try {
    const token = await login(app.url!, 'bench@bench.local', password);
    const timedImport = async () => {
      const start = performance.now();
      const job = await waitForImport(app.url!, token, await uploadRegistry(app.url!, token, file));
      if (job.status !== 'COMPLETED')
        throw new Error(`npm start process: import ${job.status} ${JSON.stringify(job.error)}`);
      return performance.now() - start;
    };
    const firstMs = await timedImport();
    const secondMs = await timedImport();
    return { peakRssMb: app.peakRssMb(), firstMs, secondMs, flags: flags.join(' ') || 'none' };
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (!process.env.KEEP) await adminQuery(SERVER_URL, `DROP DATABASE ${database} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
