/*
 * Excel import benchmark: generates registry files and measures, in one run and for each size,
 *   1. the streaming parse alone (exceljs streaming read of every row; and with the row validation),
 *   2. a full import into an empty database (rows/s, and its ratio to the parse-only figure; target ≥ 0.6),
 *   3. a re-import of the unchanged file (time; target ≤ half the first import),
 *   4. the worker's peak RSS (target ≤ 300 MB at 1M rows).
 * Each measurement runs in a fresh child process, so one's memory never counts in another's peak. The
 * peak is the child's own VmHWM: getrusage's maxRSS of a spawned child starts at its parent's RSS at
 * fork (Linux keeps it across exec), and this parent has just generated the file, so maxRSS reported
 * the generator's memory (1,075 MB at 1M rows, stop 10) rather than the worker's.
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
 *   WORKER_HEAP_MB  V8 heap cap of the importing process (default 224, as docker-compose runs the
 *                 worker; 0 = Node's default, which on a large machine lets the heap grow lazily to GBs)
 *   WORKER_SEMI_SPACE_MB  its young generation's semi-space (default 8, as docker-compose; 0 = Node's 16)
 *   KEEP=1        keep the scratch databases and files
 *   MEM_TRACE=1   the importing process prints its RSS, V8 heap and external memory every 10 s (stderr)
 *
 * It is a benchmark, not a test: it prints its figures and exits 0 unless something breaks.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stream as excelStream } from 'exceljs';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { appLogger } from '../src/common/logging/json-logger';
import { loadConfig } from '../src/config/config';
import { runMigrations } from '../src/database/run-migrations';
import { ImportMode, ImportStatus } from '../src/imports/import-enums';
import { ImportJobEntity } from '../src/imports/import-job.entity';
import { ImportJobsService } from '../src/imports/import-jobs.service';
import { REGISTRY_COLUMNS, RegistryKey } from '../src/imports/registry-columns';
import { openRegistryFile } from '../src/imports/registry-file';
import { RegistryImportJob } from '../src/imports/registry-import.job';
import { parseRegistryRow } from '../src/imports/registry-row-parser';
import { CrmSpace } from '../src/kernel/crm-space';
import { OrganizationsService } from '../src/organizations/organizations.service';
import { EmployeesService } from '../src/organizations/employees.service';
import { EmployeeRole } from '../src/kernel/role';
import { startServer } from '../src/server';
import { adminQuery, withDatabase } from './support';

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SURNAMES = ['Иванов', 'Петров', 'Сидоров', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Соколов', 'Михайлов', 'Новиков'];
const NAMES = ['Иван', 'Пётр', 'Анна', 'Мария', 'Сергей', 'Ольга', 'Дмитрий', 'Елена'];
const STREETS = ['ул. Ленина', 'пр-т Мира', 'ул. Гагарина', 'Садовая ул.', 'ул. Пушкина', 'наб. Реки'];

/** Row n of a realistic registry: 100 flats a house, a client, an account and a tag per flat, every third with a second phone. */
function row(n: number): Partial<Record<RegistryKey, string>> {
  const flat = 1 + (n % 100);
  return {
    city: n % 7 === 0 ? 'Химки' : 'Москва',
    street: `${STREETS[Math.floor(n / 100) % STREETS.length]} ${Math.floor(n / 60_000)}`,
    house: String(1 + (Math.floor(n / 100) % 600)),
    premisesType: 'Квартира',
    premisesNumber: String(flat),
    entrance: String(1 + Math.floor((flat - 1) / 25)),
    floor: String(1 + Math.floor(((flat - 1) % 25) / 5)),
    area: `${35 + (n % 60)},${n % 10}0`,
    accountNumber: String(10_000_000 + n).padStart(10, '0'),
    hiddenFromResident: 'Нет',
    paymentsEnabled: 'Да',
    clientType: 'Физическое лицо',
    lastName: SURNAMES[n % SURNAMES.length],
    firstName: NAMES[n % NAMES.length],
    middleName: 'Иванович',
    phones: n % 3 === 0 ? `+7 916 ${String(n).padStart(7, '0')}; 8 495 ${String(n).padStart(7, '0')}` : `+7 916 ${String(n).padStart(7, '0')}`,
    email: `client${n}@mail.ru`,
    birthDate: `${String(1 + (n % 28)).padStart(2, '0')}.${String(1 + (n % 12)).padStart(2, '0')}.${1950 + (n % 50)}`,
    role: 'Собственник',
    keepOnSync: 'Нет',
    externalSystem: '1С',
    externalId: `C-${n}`,
    tags: n % 5 === 0 ? 'Должник' : '',
  };
}

async function generate(path: string, rows: number): Promise<void> {
  const workbook = new excelStream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Реестр');
  sheet.addRow(REGISTRY_COLUMNS.map((c) => c.header)).commit();
  for (let n = 0; n < rows; n++) {
    const cells = row(n);
    sheet.addRow(REGISTRY_COLUMNS.map((c) => cells[c.key] ?? null)).commit();
  }
  sheet.commit();
  await workbook.commit();
}

// ---------------------------------------------------------------------------------------------
// Child phases: each prints one JSON line with its figures and its own peak RSS.
// ---------------------------------------------------------------------------------------------

/**
 * This process's own peak resident memory in MB of 10⁶ bytes, the unit of the target and of the MEM_TRACE
 * lines (VmHWM; maxRSS where /proc is missing, see the header). Both sources count in KiB; until
 * 2026-11-29 this divided by 1024 and so printed MiB, 4.6 % under the MB figure.
 */
const peakRssMb = (): number => {
  const kibToMb = (kib: number) => Math.round((kib * 1024) / 1e6);
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib) return kibToMb(Number(kib));
  } catch {
    // not Linux
  }
  return kibToMb(process.resourceUsage().maxRSS);
};

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

async function importPhase(path: string, database: string): Promise<object> {
  appLogger.setLevel('warn');
  const url = withDatabase(SERVER_URL, database);
  await runMigrations(url);
  const importDir = join(path, '..');
  const config = loadConfig({
    DATABASE_URL: url, JWT_SECRET: randomBytes(32).toString('hex'), PORT: '0', LOG_LEVEL: 'warn', IMPORT_DIR: importDir,
    // A 1M-row registry with every column filled is ~115 MB, over the 100 MB default: an organization importing such files raises it.
    IMPORT_MAX_BYTES: String(Math.max(100 * 1024 * 1024, statSync(path).size + 1)),
    ...(process.env.BATCH_ROWS ? { IMPORT_BATCH_ROWS: process.env.BATCH_ROWS } : {}),
  });
  const server = await startServer(config, url);
  try {
    const organization = await server.app.get(OrganizationsService).create('Бенчмарк');
    const employee = await server.app.get(EmployeesService).create(organization.id, { email: 'bench@test.local', password: 'bench-password', fullName: 'Бенчмарк', role: EmployeeRole.ADMIN });
    const me = { organizationId: organization.id, employeeId: employee.id, crmSpace: CrmSpace.OPERATION } as Parameters<ImportJobsService['create']>[0];
    const jobs = server.app.get(ImportJobsService);
    const runner = server.app.get(RegistryImportJob);
    const dataSource = server.app.get<DataSource>(getDataSourceToken());
    const copy = async () => {
      const name = `${randomBytes(4).toString('hex')}.upload`;
      await copyFile(path, join(importDir, name));
      return name;
    };
    const run = async () => {
      const job = await jobs.create(me, { mode: ImportMode.MERGE, sync: false, fileName: 'bench.xlsx', fileSize: statSync(path).size });
      // A run without row errors deletes its upload: each run imports its own copy, as an upload would.
      job.storedFile = await copy();
      await jobs.setStoredFile(organization.id, job.id, job.storedFile);
      const start = performance.now();
      await runner.enqueue(job);
      for (;;) {
        const row = await dataSource.getRepository(ImportJobEntity).findOneByOrFail({ organizationId: organization.id, id: job.id });
        if (row.status === ImportStatus.COMPLETED || row.status === ImportStatus.FAILED) {
          const ms = performance.now() - start;
          return { ms, status: row.status, error: row.errorEn, rows: row.processedRows, created: row.created, updated: row.updated, unchanged: row.unchanged, failed: row.failed, rowsPerSecond: Math.round(row.processedRows / (ms / 1000)) };
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const first = await run();
    const second = await run();
    const tables = await dataSource.query(`SELECT (SELECT count(*) FROM client)::int AS clients, (SELECT count(*) FROM premises)::int AS premises, (SELECT count(*) FROM audit_entry)::int AS audit`);
    return { first, second, tables: tables[0], peakRssMb: peakRssMb() };
  } finally {
    await server.close();
  }
}

/** The worker's V8 heap cap, as docker-compose sets it for the worker role (NODE_OPTIONS); 0 = Node's default. */
const WORKER_HEAP_MB = Number(process.env.WORKER_HEAP_MB ?? 224);
/** The worker's young-generation semi-space in MB, as docker-compose sets it (--max-semi-space-size); 0 = Node's default. */
const WORKER_SEMI_SPACE_MB = Number(process.env.WORKER_SEMI_SPACE_MB ?? 8);

function runChild(args: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    const heap =
      args[0] === 'import'
        ? [...(WORKER_HEAP_MB > 0 ? [`--max-old-space-size=${WORKER_HEAP_MB}`] : []), ...(WORKER_SEMI_SPACE_MB > 0 ? [`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`] : [])]
        : [];
    const child = spawn(process.execPath, [...heap, __filename, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
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
    if (process.env.MEM_TRACE) {
      const t0 = Date.now();
      setInterval(() => { const m = process.memoryUsage(); process.stderr.write(`mem ${Math.round((Date.now() - t0) / 1000)}s rss ${Math.round(m.rss / 1e6)} heap ${Math.round(m.heapUsed / 1e6)} ext ${Math.round(m.external / 1e6)} ab ${Math.round(m.arrayBuffers / 1e6)}\n`); }, 10_000).unref();
    }
    process.stdout.write(JSON.stringify(await importPhase(args[0], args[1])) + '\n');
    return;
  }
  const sizes = (process.env.ROWS ?? '100000,1000000').split(',').map((s) => Number(s.replace(/_/g, '')));
  const dir = mkdtempSync(join(tmpdir(), 'domovoy-import-bench-'));
  const report: string[] = [];
  try {
    for (const rows of sizes) {
      const file = join(dir, `registry-${rows}.upload`);
      const started = performance.now();
      await generate(file, rows);
      const megabytes = (statSync(file).size / 1024 / 1024).toFixed(1);
      console.log(`\n${rows.toLocaleString('en')} rows × ${REGISTRY_COLUMNS.length} columns: ${megabytes} MB, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const parse = await runChild(['parse', file]);
      console.log(`  parse only (streaming read):      ${parse.rowsPerSecond.toLocaleString('en')} rows/s, peak RSS ${parse.peakRssMb} MB`);
      const validate = await runChild(['validate', file]);
      console.log(`  parse + row validation:           ${validate.rowsPerSecond.toLocaleString('en')} rows/s, peak RSS ${validate.peakRssMb} MB`);
      const database = `domovoy_bench_import_${Date.now()}`;
      await adminQuery(SERVER_URL, `CREATE DATABASE ${database}`);
      try {
        const result = await runChild(['import', file, database]);
        const ratio = result.first.rowsPerSecond / parse.rowsPerSecond;
        const reRatio = result.second.ms / result.first.ms;
        if (result.first.status !== 'COMPLETED' || result.second.status !== 'COMPLETED') throw new Error(`import ${result.first.status} / ${result.second.status}: ${result.first.error ?? result.second.error}`);
        console.log(`  full import, empty database:      ${result.first.rowsPerSecond.toLocaleString('en')} rows/s (${(result.first.ms / 1000).toFixed(1)} s; created ${result.first.created}, failed ${result.first.failed}) — ratio to parse ${ratio.toFixed(2)} (target ≥ 0.6: ${ratio >= 0.6 ? 'PASS' : 'FAIL'})`);
        console.log(`  re-import, unchanged file:        ${(result.second.ms / 1000).toFixed(1)} s (unchanged ${result.second.unchanged}, updated ${result.second.updated}) — ${(reRatio * 100).toFixed(0)}% of the first (target ≤ 50%: ${reRatio <= 0.5 ? 'PASS' : 'FAIL'})`);
        console.log(`  worker peak RSS (both imports, heap cap ${WORKER_HEAP_MB || 'default'} MB, semi-space ${WORKER_SEMI_SPACE_MB || 'default'} MB): ${result.peakRssMb} MB${rows >= 1_000_000 ? ` (target ≤ 300 MB: ${result.peakRssMb <= 300 ? 'PASS' : 'FAIL'})` : ''}`);
        console.log(`  database after: ${JSON.stringify(result.tables)}`);
        report.push(`${rows}: parse ${parse.rowsPerSecond}/s, validate ${validate.rowsPerSecond}/s, import ${result.first.rowsPerSecond}/s (${ratio.toFixed(2)}), re-import ${(reRatio * 100).toFixed(0)}%, RSS ${result.peakRssMb} MB`);
      } finally {
        if (!process.env.KEEP) await adminQuery(SERVER_URL, `DROP DATABASE ${database}`);
      }
    }
    console.log(`\nsummary\n${report.join('\n')}`);
  } finally {
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
