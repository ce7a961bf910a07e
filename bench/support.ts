/* Helpers shared by the benchmark scripts: settings, timing, statistics, the scratch database. */
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.replace(/_/g, '');
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${process.env[name]}"`);
  return value;
}

/** mulberry32: a tiny seeded PRNG, so samples are the same from run to run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export async function timed<T>(label: string, run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  console.log(`  ${label}: ${seconds(ms)}`);
  return { result, ms };
}

export function percentile(sorted: number[], p: number): number {
  // nearest-rank
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const admin = new PgClient({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** The end of a run: the server and the seeding connection closed, the scratch database dropped unless kept. */
export async function closeRun(run: {
  server?: { close(): Promise<void> };
  db: PgClient;
  serverUrl: string;
  database: string;
  url: string;
  keep: boolean;
}): Promise<void> {
  if (run.server) await run.server.close();
  await run.db.end().catch(() => undefined);
  if (run.keep) console.log(`  kept database ${run.database}: ${run.url}`);
  else {
    await adminQuery(run.serverUrl, `DROP DATABASE IF EXISTS "${run.database}" WITH (FORCE)`);
    console.log(`  dropped database ${run.database}`);
  }
}
