/*
 * PROFILE=1 for bench/import.ts: where an import's time goes. Wraps TypeORM's PostgreSQL query runner
 * (and pg's client, for COPY) so every statement's round trip is timed under a label (its verb and table), and samples the Node
 * thread's CPU. Printed to stderr when the importing child ends: per label the count, total and mean,
 * then the wall time, the time some statement was in flight, and the process's CPU. Off by default: it
 * costs a closure per statement.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

interface Tally {
  count: number;
  ms: number;
}

const tallies = new Map<string, Tally>();
let inFlight = 0;
let busySince = 0;
let busyMs = 0;

/** A statement's label: its verb and the first table it names (`INSERT audit_entry`, `SELECT client`). */
export function statementLabel(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const verb = (
    /^(WITH|SELECT|INSERT|UPDATE|DELETE|START|COMMIT|ROLLBACK|ANALYZE|SET|LOCK)/i.exec(flat)?.[1] ?? 'OTHER'
  ).toUpperCase();
  const table = /(?:INTO|FROM|UPDATE|ANALYZE)\s+"?([a-z_]+)"?/i.exec(flat)?.[1] ?? '';
  return `${verb} ${table}`.trim();
}

/** Times one statement from `start` until `done` settles. */
function timed<T>(label: string, start: number, done: Promise<T>): Promise<T> {
  if (inFlight++ === 0) busySince = start;
  const settle = () => {
    const end = performance.now();
    if (--inFlight === 0) busyMs += end - busySince;
    const tally = tallies.get(label) ?? { count: 0, ms: 0 };
    tally.count++;
    tally.ms += end - start;
    tallies.set(label, tally);
  };
  done.then(settle, settle);
  return done;
}

/** COPY … FROM STDIN runs as a stream under the pg client (database/copy-from-stdin.ts), not through TypeORM. */
function installCopyProfile(): void {
  const client = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = client.query;
  client.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as { text?: string; submit?: unknown; on?: (event: string, f: () => void) => void };
    if (config && typeof config.submit === 'function' && config.on && /^COPY/.test(config.text ?? '')) {
      const on = config.on.bind(config);
      void timed(
        `COPY ${/"([a-z_]+)"/.exec(config.text!)?.[1] ?? ''}`,
        performance.now(),
        new Promise<void>((resolve) => {
          on('finish', resolve);
          on('error', resolve);
        }),
      );
    }
    return original.apply(this, args);
  };
}

export function installStatementProfile(): void {
  installCopyProfile();
  const original = PostgresQueryRunner.prototype.query;
  PostgresQueryRunner.prototype.query = async function (
    this: PostgresQueryRunner,
    ...args: Parameters<typeof original>
  ) {
    return timed(statementLabel(String(args[0])), performance.now(), original.apply(this, args));
  } as typeof original;
}

let started = performance.now();
let cpuAtStart = process.cpuUsage();

/** Prints what was tallied since the last report (or the install) under `title`, and starts over. */
export function reportStatementProfile(title: string): void {
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  const lines = [...tallies]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 25)
    .map(
      ([label, t]) =>
        `  ${label.padEnd(32)} ${String(t.count).padStart(7)} × ${(t.ms / t.count).toFixed(1).padStart(7)} ms = ${(t.ms / 1000).toFixed(2)} s`,
    );
  process.stderr.write(
    `statement profile, ${title} (wall ${(wall / 1000).toFixed(1)} s, a statement in flight ${(busyMs / 1000).toFixed(1)} s, ` +
      `Node CPU user ${(cpu.user / 1e6).toFixed(1)} s + system ${(cpu.system / 1e6).toFixed(1)} s)\n${lines.join('\n')}\n`,
  );
  tallies.clear();
  busyMs = 0;
  started = performance.now();
  cpuAtStart = process.cpuUsage();
}
