import { MetricsServer } from '../src/metrics/metrics-server';
import { finishedJob, generatedRegistry, registryXlsx, uploadRegistry } from './support/registry-files';
import { createOrganization, login, startTestApp, TestApp, TestOrganization } from './support/test-app';

const TOKEN = 'metrics-token-for-the-e2e-test';

/** Prometheus' text format → sample name with labels → value. */
function samples(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    result.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return result;
}

function value(all: Map<string, number>, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, v]) => `${key}="${v}"`);
  for (const [sample, v] of all) {
    const [metric, rest = ''] = sample.split('{');
    if (metric === name && wanted.every((pair) => rest.includes(pair))) return v;
  }
  return undefined;
}

describe('GET /metrics (prom-client)', () => {
  let app: TestApp;
  let org: TestOrganization;

  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN: TOKEN, METRICS_PORT: '0', REQUEST_TRACING: 'on' });
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  async function scrape(): Promise<Map<string, number>> {
    const response = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return samples(await response.text());
  }

  it('is refused without the token or with a wrong one', async () => {
    const none = await fetch(`${app.url}/metrics`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(
      (await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-the-e2e-tesT' } }))
        .status,
    ).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${org.adminToken}` } })).status).toBe(
      401,
    );
  });

  it('is also on METRICS_PORT, with the same token', async () => {
    const port = app.server.app.get(MetricsServer).port!;
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    const ok = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('domovoy_process_cpu_seconds_total');
  });

  it('after a few operations and an import, shows every family with plausible values', async () => {
    await login(app, org.adminEmail);
    await app.gql('mutation Login($input: LoginInput!) { login(input: $input) { accessToken } }', {
      input: { email: org.adminEmail, password: 'wrong-password' },
    });
    for (let i = 0; i < 3; i++)
      expect((await app.gql('query Me { me { id } }', {}, org.adminToken)).errors).toBeUndefined();
    await app.gql('query Broken { me { noSuchField } }', {}, org.adminToken);
    const upload = await uploadRegistry(app, org.adminToken, await registryXlsx(generatedRegistry(50, 900_000)));
    expect(upload.status).toBe(202);
    const job = await finishedJob(app, org.adminToken, upload.body.id!);
    expect(job.status).toBe('COMPLETED');

    // The job's row says COMPLETED a moment before Bull moves the job to its completed set.
    let all = await scrape();
    for (
      let tries = 0;
      tries < 50 && !value(all, 'domovoy_queue_jobs', { queue: 'imports', state: 'completed' });
      tries++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      all = await scrape();
    }
    // HTTP latency by route and status, GraphQL latency by operation name.
    expect(
      value(all, 'domovoy_http_request_duration_seconds_count', { route: '/graphql', status: '200' }),
    ).toBeGreaterThanOrEqual(5);
    expect(
      value(all, 'domovoy_http_request_duration_seconds_count', { route: '/imports', method: 'POST', status: '202' }),
    ).toBe(1);
    expect(value(all, 'domovoy_graphql_operation_duration_seconds_count', { operation: 'Me', type: 'query' })).toBe(3);
    const meSeconds = value(all, 'domovoy_graphql_operation_duration_seconds_sum', { operation: 'Me' })!;
    expect(meSeconds).toBeGreaterThan(0);
    expect(meSeconds).toBeLessThan(3);
    // Errors by extensions.code.
    expect(value(all, 'domovoy_graphql_errors_total', { code: 'UNAUTHENTICATED', operation: 'Login' })).toBe(1);
    expect(value(all, 'domovoy_graphql_errors_total', { code: 'BAD_USER_INPUT', operation: 'Broken' })).toBe(1);
    // SQL statements: per request (tracing is on here) and in total.
    expect(value(all, 'domovoy_http_request_sql_statements_count', { route: '/graphql' })).toBeGreaterThanOrEqual(5);
    expect(value(all, 'domovoy_http_request_sql_statements_sum', { route: '/graphql' })).toBeGreaterThan(0);
    expect(value(all, 'domovoy_sql_statements_total')).toBeGreaterThan(10);
    // Database pools.
    expect(value(all, 'domovoy_db_pool_max_connections', { pool: 'main' })).toBe(10);
    expect(value(all, 'domovoy_db_pool_connections', { pool: 'main', state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(value(all, 'domovoy_db_pool_waiting_clients', { pool: 'main' })).toBe(0);
    // Queues: the import job went through the imports queue.
    expect(value(all, 'domovoy_queue_jobs', { queue: 'imports', state: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(value(all, 'domovoy_queue_jobs', { queue: 'imports', state: 'active' })).toBe(0);
    expect(value(all, 'domovoy_queue_jobs', { queue: 'notifications', state: 'failed' })).toBeGreaterThanOrEqual(0);
    // Import rows by outcome and throughput.
    expect(value(all, 'domovoy_import_rows_total', { outcome: 'created' })).toBe(job.created);
    expect(job.created).toBeGreaterThan(0);
    expect(value(all, 'domovoy_imports_finished_total', { status: 'COMPLETED' })).toBe(1);
    expect(value(all, 'domovoy_import_rows_per_second_count')).toBe(1);
    expect(value(all, 'domovoy_import_rows_per_second_sum')).toBe(job.rowsPerSecond);
    // Notification outbox backlog and dead letters (the whole database's: other suites share it).
    expect(value(all, 'domovoy_notification_outbox_messages', { status: 'PENDING' })).toBeGreaterThanOrEqual(0);
    expect(value(all, 'domovoy_notification_outbox_messages', { status: 'DEAD' })).toBeGreaterThanOrEqual(0);
    // Node's default process metrics.
    expect(value(all, 'domovoy_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(value(all, 'domovoy_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });
});
