import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry (one per process: the api and each worker expose their own) and
 * the metrics observed on the request path. Observing costs a label lookup and a bucket increment;
 * gauges that need a query (queues, outbox, pools) are read only when scraped (metrics.collectors.ts).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'domovoy_' });

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const httpDuration = new Histogram({
  name: 'domovoy_http_request_duration_seconds',
  help: 'HTTP requests by method, route and status, from the first byte read to the last written',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

const sqlPerRequest = new Histogram({
  name: 'domovoy_http_request_sql_statements',
  help: 'SQL statements sent while serving one HTTP request (only with REQUEST_TRACING=on; otherwise divide domovoy_sql_statements_total by the request count)',
  labelNames: ['route'] as const,
  buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
  registers: [metricsRegistry],
});

const graphqlDuration = new Histogram({
  name: 'domovoy_graphql_operation_duration_seconds',
  help: 'GraphQL operations over HTTP by operation name and type, from parsing to the response',
  labelNames: ['operation', 'type'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

const graphqlErrors = new Counter({
  name: 'domovoy_graphql_errors_total',
  help: 'Errors in GraphQL responses by extensions.code (INTERNAL is a server fault, the rest are answers)',
  labelNames: ['code', 'operation'] as const,
  registers: [metricsRegistry],
});

const importRows = new Counter({
  name: 'domovoy_import_rows_total',
  help: 'Rows of finished registry imports by outcome',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

const importSpeed = new Histogram({
  name: 'domovoy_import_rows_per_second',
  help: 'Throughput of each finished registry import (rows per second of its last attempt)',
  buckets: [100, 500, 1000, 2500, 5000, 10_000, 20_000, 40_000, 80_000],
  registers: [metricsRegistry],
});

const importsFinished = new Counter({
  name: 'domovoy_imports_finished_total',
  help: 'Registry imports that ended, by status',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

/** Operation names are chosen by clients: past this many distinct ones, the rest are counted as "other". */
const MAX_OPERATION_NAMES = 300;
const operationNames = new Set<string>();

export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (operationNames.has(name)) return name;
  if (!/^[A-Za-z_]\w{0,63}$/.test(name) || operationNames.size >= MAX_OPERATION_NAMES) return 'other';
  operationNames.add(name);
  return name;
}

export function observeHttpRequest(
  method: string,
  route: string,
  status: number,
  seconds: number,
  sqlStatements?: number,
): void {
  httpDuration.observe({ method, route, status: String(status) }, seconds);
  if (sqlStatements !== undefined) sqlPerRequest.observe({ route }, sqlStatements);
}

export function observeGraphqlOperation(
  operation: string,
  type: string,
  seconds: number,
  errorCodes: readonly string[],
): void {
  graphqlDuration.observe({ operation, type }, seconds);
  for (const code of errorCodes) graphqlErrors.inc({ code, operation });
}

export interface FinishedImport {
  status: string;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  detached: number;
  rowsPerSecond: number | null;
}

export function observeImportFinished(job: FinishedImport): void {
  importsFinished.inc({ status: job.status });
  for (const outcome of ['created', 'updated', 'unchanged', 'failed', 'detached'] as const)
    importRows.inc({ outcome }, job[outcome]);
  if (job.rowsPerSecond) importSpeed.observe(job.rowsPerSecond);
}
