/*
 * The application as a separate process, started the way `npm start` starts it (src/main.ts, built
 * by `npx tsc -p bench/tsconfig.json` into bench/dist/src/main.js) with the settings a benchmark
 * gives it; and what the benchmarks ask it over HTTP: a token, a registry upload, the import's end,
 * the pool gauges of /metrics. Shared by bench/import.ts and bench/load.ts.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { openAsBlob, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { Client as PgClient } from 'pg';
import { hashPassword } from '../src/access/passwords';
import { graphqlClient } from './graphql-over-http';

const MAIN = join(__dirname, '..', 'src', 'main.js');
const PACKAGE_JSON = join(__dirname, '..', '..', '..', 'package.json');

/** The Node options `npm start` runs dist/main.js with: package.json's start script, read as it is. */
export function npmStartNodeFlags(): string[] {
  const script: string = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).scripts.start;
  const run = /\bnode((?: --[^ ]+)*) dist\/main\.js/.exec(script);
  if (!run) throw new Error(`package.json's start script does not run dist/main.js with node: ${script}`);
  return run[1].trim() ? run[1].trim().split(' ') : [];
}

/** A port nobody listens on now (the kernel's choice), for a child that needs a fixed PORT. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * A process's own peak resident memory in MB of 10⁶ bytes (VmHWM of /proc/<pid>/status; Linux). Not
 * getrusage's maxRSS of a child: Linux starts it at the parent's RSS at fork and keeps it across exec.
 */
export function peakRssMbOf(pid: number | 'self'): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kib) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Math.round((Number(kib) * 1024) / 1e6);
}

/** CPU time (user + system) a process has used so far, in ms; null when it is not on this machine's /proc. */
export function cpuMsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime (fields 14 and 15 of proc(5)) in clock ticks of 10 ms (USER_HZ on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export interface AppProcess {
  /** http://127.0.0.1:port; undefined for ROLE=worker without METRICS_PORT. */
  url?: string;
  pid: number;
  peakRssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts src/main.js with `env` over a clean environment (PATH and HOME only, so no NODE_OPTIONS of the
 * caller's shell sets its heap) and `nodeFlags`, and waits until /health/live answers (for a worker,
 * on its METRICS_PORT) or the process exits.
 */
export async function startAppProcess(
  label: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<AppProcess> {
  return startNodeProcess(label, MAIN, env, nodeFlags);
}

/** Starts any Node script the same way: it must answer GET /health/live on PORT (or METRICS_PORT) once up. */
export async function startNodeProcess(
  label: string,
  script: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<AppProcess> {
  const port = env.PORT || env.METRICS_PORT;
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = port ? `http://127.0.0.1:${port}` : undefined;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode} while starting`);
    if (!url) break;
    const live = await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (live) break;
    if (tries > 1200) throw new Error(`${label} did not answer on ${url} in 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    peakRssMb: () => peakRssMbOf(pid),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** An employee of `organizationId` with a known password, written directly (the benchmark's own setup). */
export async function addEmployee(
  db: PgClient,
  organizationId: string,
  role: string,
  password: string,
): Promise<string> {
  const email = `bench-${role.toLowerCase()}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@bench.local`;
  await db.query(
    `INSERT INTO employee (organization_id, email, password_hash, full_name, role) VALUES ($1, $2, $3, $4, $5)`,
    [organizationId, email, await hashPassword(password), `Бенчмарк ${role}`, role],
  );
  return email;
}

export async function login(url: string, email: string, password: string): Promise<string> {
  const answer = await graphqlClient(url)(`mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, {
    input: { email, password },
  });
  return answer.data.login.accessToken as string;
}

/** Uploads a registry file as the web client does (multipart POST /imports, mode MERGE) and returns the job's id. */
export async function uploadRegistry(url: string, token: string, file: string): Promise<string> {
  const form = new FormData();
  form.set('mode', 'MERGE');
  form.set('file', await openAsBlob(file), `${basename(file, '.upload')}.xlsx`);
  const response = await fetch(`${url}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 202 || !body.id)
    throw new Error(`upload answered ${response.status}: ${JSON.stringify(body)}`);
  return body.id;
}

export interface ImportJobState {
  status: string;
  processedRows: number;
  totalRows: number | null;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  error: { code: string; messageEn: string } | null;
}

const IMPORT_JOB_QUERY = `query($id: String!) { importJob(id: $id) { status processedRows totalRows created updated unchanged failed error { code messageEn } } }`;

export async function importJob(url: string, token: string, id: string): Promise<ImportJobState> {
  return (await graphqlClient(url)(IMPORT_JOB_QUERY, { id }, token)).data.importJob as ImportJobState;
}

export const importEnded = (job: ImportJobState): boolean => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status);

/** Polls the job every `everyMs` until it ends. */
export async function waitForImport(url: string, token: string, id: string, everyMs = 500): Promise<ImportJobState> {
  for (;;) {
    const job = await importJob(url, token, id);
    if (importEnded(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The value of each sample of a Prometheus metric in /metrics text, by its labels ('' without any). */
export function metricSamples(text: string, name: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (match && match[1] === name) samples.set(match[2] ?? '', Number(match[3]));
  }
  return samples;
}
