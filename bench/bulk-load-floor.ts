/*
 * The import's floor: how fast PostgreSQL itself loads exactly the rows an import wrote. The imported
 * database is dumped data-only (pg_dump, custom format, uncompressed: no decompression in the timed
 * part) right after the import, and restored with pg_restore --single-transaction into a freshly
 * migrated database, so every index, constraint and trigger the import met is there, in one
 * transaction. pg_restore loads each table with COPY … FROM STDIN, the server's bulk path (the same
 * one a COPY of a server-side file takes, which would need file access on the server's machine).
 *
 * The dump holds every table's rows except the migration list (the fresh database has its own): the
 * import's, and the handful the benchmark wrote before it (organization, its default classifier,
 * employee, the job row), which the floor loads too.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { runMigrations } from '../src/database/run-migrations';
import { adminQuery, withDatabase } from './support';

export type FloorTools = { pgDump: string; pgRestore: string; version: string } | { unavailable: string };

function run(command: string, args: string[], onStderrLine?: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let partial = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
      if (!onStderrLine) return;
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onStderrLine(line);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}: ${err.slice(-2000)}`)),
    );
  });
}

const major = (versionText: string): number => Number(/(\d+)(?:\.\d+)?/.exec(versionText)?.[1]);

/**
 * pg_dump and pg_restore from PATH (or PG_BIN), if their major version is at least the server's:
 * pg_dump refuses a newer server, and a restore must understand the archive it made.
 */
export async function floorTools(serverUrl: string): Promise<FloorTools> {
  const bin = (name: string) => (process.env.PG_BIN ? `${process.env.PG_BIN}/${name}` : name);
  let dumpVersion: string;
  try {
    dumpVersion = (await run(bin('pg_dump'), ['--version'])).trim();
    await run(bin('pg_restore'), ['--version']);
  } catch (error) {
    return {
      unavailable: `pg_dump/pg_restore not found (${(error as Error).message.split('\n')[0]}); install the PostgreSQL client of the server's version or set PG_BIN`,
    };
  }
  const db = new PgClient({ connectionString: serverUrl });
  await db.connect();
  const serverVersion = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  await db.end();
  if (major(dumpVersion.replace(/^\D+/, '')) < major(serverVersion)) {
    return {
      unavailable: `${dumpVersion} cannot dump server ${serverVersion}; install the client of version ${major(serverVersion)} or set PG_BIN`,
    };
  }
  return { pgDump: bin('pg_dump'), pgRestore: bin('pg_restore'), version: `${dumpVersion}, server ${serverVersion}` };
}

/** Every table's rows but the migration list, uncompressed custom format. */
export async function dumpImportedRows(tools: FloorTools, databaseUrl: string, file: string): Promise<void> {
  if ('unavailable' in tools) return;
  await run(tools.pgDump, [
    '--data-only',
    '--format=custom',
    '--compress=0',
    '--exclude-table-data=migrations',
    `--file=${file}`,
    databaseUrl,
  ]);
}

export interface FloorResult {
  ms: number;
  /** Each table's share of the restore: from its "processing data" line to the next line (the last one's includes the commit). */
  tables: { table: string; ms: number; rows: number }[];
}

/** Restores the dump into a new, migrated database in one transaction and times it; the database is dropped after. */
export async function restoreFloor(tools: FloorTools, serverUrl: string, file: string): Promise<FloorResult> {
  if ('unavailable' in tools) throw new Error(tools.unavailable);
  const database = `domovoy_bench_floor_${Date.now()}`;
  const url = withDatabase(serverUrl, database);
  await adminQuery(serverUrl, `CREATE DATABASE ${database}`);
  try {
    await runMigrations(url);
    await adminQuery(url, 'CHECKPOINT');
    const marks: { table: string | null; at: number }[] = [];
    const start = performance.now();
    await run(
      tools.pgRestore,
      ['--data-only', '--single-transaction', '--verbose', `--dbname=${url}`, file],
      (line) => {
        const table = /processing data for table "(?:public\.)?([^"]+)"/.exec(line)?.[1];
        marks.push({ table: table ?? null, at: performance.now() });
      },
    );
    const end = performance.now();
    marks.push({ table: null, at: end });
    const db = new PgClient({ connectionString: url });
    await db.connect();
    try {
      const tables: FloorResult['tables'] = [];
      for (let i = 0; i < marks.length - 1; i++) {
        const { table, at } = marks[i];
        if (!table) continue;
        const rows = Number((await db.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
        tables.push({ table, ms: marks[i + 1].at - at, rows });
      }
      return { ms: end - start, tables: tables.sort((a, b) => b.ms - a.ms) };
    } finally {
      await db.end();
    }
  } finally {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}
