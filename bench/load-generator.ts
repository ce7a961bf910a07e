/*
 * Closed-loop HTTP load for bench/load.ts: N clients, each with its own keep-alive connection, send a
 * request, wait for its answer and send the next, for a fixed time; every answer is timed and checked
 * (HTTP status, GraphQL `errors[].extensions.code`). Meanwhile the server's /metrics is read every
 * second for its database pool gauges (a scrape costs the server a few ms and a query: read every 250 ms,
 * 1.3 % of the api's CPU under load went to it, every 500 ms 1.0 %).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { metricSamples } from './app-process';
import { stats, Stats } from './support';

export interface LoadRequest {
  kind: string;
  path: string;
  /** JSON body of a POST; a GET without. */
  body?: object;
  /** Called with the parsed answer of a request that succeeded. */
  onSuccess?: (answer: any) => void;
}

/** Chooses client `client`'s next request. */
export type NextRequest = (client: number) => LoadRequest;

export interface KindFigures {
  kind: string;
  ok: number;
  perSecond: number;
  latency: Stats | null;
  errors: Map<string, number>;
}

export interface PoolFigures {
  pool: string;
  samples: number;
  /** Samples with a query waiting for a connection. */
  withWaiters: number;
  maxWaiting: number;
  meanWaiting: number;
  maxBusy: number;
  size: number;
}

/** CPU the server side used so far, in ms: its Node process, and each of its PostgreSQL backends by pid (null: not on this machine). */
export interface ServerCpu {
  node: number | null;
  postgres: Map<number, number> | null;
}

/** CPU ms per answer between two readings; a backend that started in between counts from 0, one that ended is lost. */
function cpuPerAnswer(
  before: ServerCpu | undefined,
  after: ServerCpu | undefined,
  answers: number,
): { node: number | null; postgres: number | null } | undefined {
  if (!before || !after || !answers) return undefined;
  let postgres: number | null = null;
  if (before.postgres && after.postgres) {
    postgres = 0;
    for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
  }
  return {
    node: before.node === null || after.node === null ? null : (after.node - before.node) / answers,
    postgres: postgres === null ? null : postgres / answers,
  };
}

export interface LoadFigures {
  seconds: number;
  kinds: KindFigures[];
  pools: PoolFigures[];
  /** CPU ms the server side spent per answer during the window: what the answers cost, whatever the neighbours' load. */
  cpuPerAnswer?: { node: number | null; postgres: number | null };
}

const REQUEST_TIMEOUT_MS = 10_000;

function send(
  agent: http.Agent,
  url: URL,
  headers: Record<string, string>,
  request: LoadRequest,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = request.body ? JSON.stringify(request.body) : undefined;
    const options = {
      method: payload ? 'POST' : 'GET',
      agent,
      host: url.hostname,
      port: url.port,
      path: request.path,
      timeout: REQUEST_TIMEOUT_MS,
      headers: payload
        ? { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
        : headers,
    };
    const outgoing = http.request(options, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response
        .on('data', (chunk) => (text += chunk))
        .on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** The error code of an answer, or null when it succeeded (and then its parsed body). */
function checked(status: number, text: string): { code: string | null; body?: any } {
  if (status !== 200) return { code: `HTTP_${status}` };
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return { code: 'BAD_JSON' };
  }
  if (body.errors?.length) return { code: String(body.errors[0].extensions?.code ?? 'GRAPHQL_ERROR') };
  return { code: null, body };
}

/** Reads the pool gauges of `metricsUrl` every second until stopped. */
function watchPools(metricsUrl: string | undefined, token: string | undefined): { stop(): PoolFigures[] } {
  const samples: { waiting: Map<string, number>; busy: Map<string, number>; max: Map<string, number> }[] = [];
  let stopped = !metricsUrl;
  const loop = async () => {
    while (!stopped) {
      try {
        const text = await fetch(metricsUrl!, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
        samples.push({
          waiting: metricSamples(text, 'domovoy_db_pool_waiting_clients'),
          busy: metricSamples(text, 'domovoy_db_pool_connections'),
          max: metricSamples(text, 'domovoy_db_pool_max_connections'),
        });
      } catch {
        // a missed sample; the next one counts
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
      const figures: PoolFigures[] = [];
      for (const pool of ['main', 'prepared']) {
        const label = `{pool="${pool}"}`;
        const waiting = samples.map((s) => s.waiting.get(label) ?? 0);
        if (!samples.length) continue;
        figures.push({
          pool,
          samples: samples.length,
          withWaiters: waiting.filter((w) => w > 0).length,
          maxWaiting: Math.max(...waiting),
          meanWaiting: waiting.reduce((a, b) => a + b, 0) / waiting.length,
          maxBusy: Math.max(...samples.map((s) => s.busy.get(`{pool="${pool}",state="busy"}`) ?? 0)),
          size: samples[0].max.get(label) ?? 0,
        });
      }
      return figures;
    },
  };
}

/**
 * Runs `clients` closed loops against `baseUrl` for `seconds` (each with its own socket) and returns
 * what each kind of request did. Requests still in flight at the end are not counted. Without a pause
 * between requests the server is saturated and, by Little's law, the mean latency is the clients over
 * the throughput: it measures throughput, and latency only through it.
 */
export async function runLoad(options: {
  baseUrl: string;
  token?: string;
  clients: number;
  seconds: number;
  next: NextRequest;
  metricsToken?: string;
  serverCpu?: () => Promise<ServerCpu>;
  /** A pause after each answer, as a person reads it before typing on (0: the next request at once). */
  thinkMs?: number;
}): Promise<LoadFigures> {
  const url = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const times = new Map<string, number[]>();
  const errors = new Map<string, Map<string, number>>();
  const count = (kind: string, code: string) => {
    const byCode = errors.get(kind) ?? new Map<string, number>();
    errors.set(kind, byCode.set(code, (byCode.get(code) ?? 0) + 1));
  };
  const pools = watchPools(options.metricsToken ? `${options.baseUrl}/metrics` : undefined, options.metricsToken);
  const cpuBefore = await options.serverCpu?.();
  const start = performance.now();
  const end = start + options.seconds * 1000;
  const client = async (index: number) => {
    while (performance.now() < end) {
      const request = options.next(index);
      const sent = performance.now();
      let result: { code: string | null; body?: any };
      try {
        const { status, text } = await send(agent, url, headers, request);
        result = checked(status, text);
      } catch (error) {
        result = { code: String((error as { code?: string }).code ?? 'NETWORK') };
      }
      const done = performance.now();
      // What the answer changed is known even when it came too late to count (a ticket's new status).
      if (!result.code) request.onSuccess?.(result.body);
      if (done > end) break;
      if (!times.has(request.kind)) times.set(request.kind, []);
      if (result.code) count(request.kind, result.code);
      else times.get(request.kind)!.push(done - sent);
      if (options.thinkMs) await new Promise((resolve) => setTimeout(resolve, options.thinkMs));
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  const elapsed = (performance.now() - start) / 1000;
  const cpuAfter = await options.serverCpu?.();
  agent.destroy();
  const kinds = [...times.keys()].sort().map((kind) => {
    const samples = times.get(kind)!;
    return {
      kind,
      ok: samples.length,
      perSecond: samples.length / options.seconds,
      latency: samples.length ? stats(samples) : null,
      errors: errors.get(kind) ?? new Map<string, number>(),
    };
  });
  const answers = kinds.reduce((sum, k) => sum + k.ok, 0);
  return {
    seconds: Math.min(elapsed, options.seconds),
    kinds,
    pools: pools.stop(),
    cpuPerAnswer: cpuPerAnswer(cpuBefore, cpuAfter, answers),
  };
}
