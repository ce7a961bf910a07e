import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import type { Client as WsClient } from 'graphql-ws';
import { PgNotifyBus } from '../src/common/notify/pg-notify-bus';
import { StaffPrincipal } from '../src/access/principal';
import { CrmSpace } from '../src/kernel/crm-space';
import { ImportMode, ImportStatus } from '../src/imports/job/import-enums';
import { ImportJobEntity } from '../src/imports/job/import-job.entity';
import { ImportJobsService } from '../src/imports/job/import-jobs.service';
import {
  IMPORT_JOB_PROGRESS_CHANNEL,
  ImportProgressPublisher,
  toImportJobProgressEvent,
} from '../src/imports/job/import-progress';
import { EmployeeRole } from '../src/kernel/role';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';
import { Subscription, withTimeout, wsClient } from './support/ws-subscription';

const PROGRESS = `subscription($id: ID!) {
  importJobProgress(id: $id) { id status processedRows totalRows percent startedAt finishedAt error { code message messageEn } }
}`;

describe('import progress over graphql-ws, published through PostgreSQL NOTIFY', () => {
  let app: TestApp;
  let a: TestOrganization;
  let b: TestOrganization;
  /** Stands for the worker process: its own connection, nothing shared with the API's pool. */
  let worker: PgClient;
  const clients: WsClient[] = [];

  function client(connectionParams?: Record<string, unknown>): WsClient {
    const created = wsClient(app.url, connectionParams);
    clients.push(created);
    return created;
  }

  async function newJob(org: TestOrganization): Promise<ImportJobEntity> {
    const me: StaffPrincipal = {
      realm: 'staff',
      employeeId: org.adminId,
      organizationId: org.organizationId,
      role: EmployeeRole.ADMIN,
      sessionId: randomUUID(),
      crmSpace: CrmSpace.OPERATION,
      specializationIds: [],
      viewsPersonalData: true,
    };
    return app.server.app
      .get(ImportJobsService)
      .create(me, { mode: ImportMode.MERGE, sync: false, fileName: 'Реестр.xlsx', fileSize: 1024 });
  }

  /** Publishes from the worker's connection in the format ImportProgressPublisher uses. */
  async function publishFromWorker(job: ImportJobEntity, changes: Partial<ImportJobEntity>): Promise<void> {
    const event = toImportJobProgressEvent(Object.assign(new ImportJobEntity(), job, changes));
    await worker.query('SELECT pg_notify($1, $2)', [IMPORT_JOB_PROGRESS_CHANNEL, JSON.stringify(event)]);
  }

  beforeAll(async () => {
    app = await startTestApp();
    a = await createOrganization(app);
    b = await createOrganization(app);
    worker = new PgClient({ connectionString: process.env.TEST_DATABASE_URL });
    await worker.connect();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await worker?.end();
    await app?.close();
  });

  it('sends the current state first, then the worker’s updates in order, and completes after COMPLETED', async () => {
    const job = await newJob(a);
    const other = await newJob(a);
    const subscription = new Subscription(client({ authorization: `Bearer ${a.adminToken}` }), PROGRESS, {
      id: job.id,
    });

    const first = await subscription.next('the current state');
    expect(first.errors).toBeUndefined();
    expect(first.data.importJobProgress).toMatchObject({
      id: job.id,
      status: 'QUEUED',
      processedRows: 0,
      startedAt: null,
    });

    const startedAt = new Date('2030-01-02T03:04:05.000Z');
    await publishFromWorker(job, {
      status: ImportStatus.RUNNING,
      startedAt,
      totalRows: 30,
      processedRows: 10,
      percent: 33.3,
    });
    // Neither another job's update nor a forged one naming this id under another organization may arrive.
    await publishFromWorker(other, { status: ImportStatus.RUNNING, processedRows: 999 });
    await publishFromWorker(Object.assign(new ImportJobEntity(), job, { organizationId: b.organizationId }), {
      status: ImportStatus.RUNNING,
      processedRows: 666,
    });
    await publishFromWorker(job, {
      status: ImportStatus.RUNNING,
      startedAt,
      totalRows: 30,
      processedRows: 20,
      percent: 66.7,
    });
    const finishedAt = new Date('2030-01-02T03:05:00.000Z');
    await publishFromWorker(job, {
      status: ImportStatus.COMPLETED,
      startedAt,
      finishedAt,
      totalRows: 30,
      processedRows: 30,
      percent: 100,
    });

    const updates = [
      await subscription.next('10 rows'),
      await subscription.next('20 rows'),
      await subscription.next('COMPLETED'),
    ];
    expect(updates.map((u) => u.errors)).toEqual([undefined, undefined, undefined]);
    expect(updates.map((u) => [u.data.importJobProgress.status, u.data.importJobProgress.processedRows])).toEqual([
      ['RUNNING', 10],
      ['RUNNING', 20],
      ['COMPLETED', 30],
    ]);
    expect(updates[0].data.importJobProgress).toMatchObject({
      id: job.id,
      totalRows: 30,
      percent: 33.3,
      startedAt: startedAt.toISOString(),
      finishedAt: null,
    });
    expect(updates[2].data.importJobProgress).toMatchObject({
      percent: 100,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
    });
    await subscription.completed();
  });

  it('completes right after the current state when the job has already finished', async () => {
    const job = await newJob(a);
    await app.dataSource.getRepository(ImportJobEntity).update(
      { organizationId: a.organizationId, id: job.id },
      {
        status: ImportStatus.FAILED,
        errorCode: 'EMPTY',
        errorRu: 'Файл пуст',
        errorEn: 'The file is empty',
        finishedAt: new Date(),
      },
    );
    const subscription = new Subscription(client({ token: a.adminToken }), PROGRESS, { id: job.id });
    const first = await subscription.next('the current state');
    expect(first.data.importJobProgress).toMatchObject({
      status: 'FAILED',
      error: { code: 'EMPTY', message: 'Файл пуст', messageEn: 'The file is empty' },
    });
    await subscription.completed();
  });

  it('answers NOT_FOUND to another organization and delivers it nothing of the job', async () => {
    const jobOfA = await newJob(a);
    const foreign = new Subscription(client({ authorization: `Bearer ${b.adminToken}` }), PROGRESS, { id: jobOfA.id });
    const refused = await foreign.next('the refusal');
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(refused.errors?.[0]?.message).toContain('Импорт');
    await foreign.completed();

    // B's own subscription sees its job's events only: A's event, sent first on the same channel, is skipped.
    const jobOfB = await newJob(b);
    const own = new Subscription(client({ authorization: `Bearer ${b.adminToken}` }), PROGRESS, { id: jobOfB.id });
    expect((await own.next('B’s current state')).data.importJobProgress.id).toBe(jobOfB.id);
    await publishFromWorker(jobOfA, { status: ImportStatus.RUNNING, processedRows: 5 });
    await publishFromWorker(jobOfB, { status: ImportStatus.CANCELLED, finishedAt: new Date() });
    const next = await own.next('B’s cancellation');
    expect(next.data.importJobProgress).toMatchObject({ id: jobOfB.id, status: 'CANCELLED' });
    await own.completed();
  });

  it('answers UNAUTHENTICATED without a token or with a bad one', async () => {
    const job = await newJob(a);
    for (const params of [undefined, { authorization: 'Bearer not-a-token' }, { token: 'forged' }]) {
      const subscription = new Subscription(client(params), PROGRESS, { id: job.id });
      const result = await subscription.next('the refusal');
      expect({ params, code: result.errors?.[0]?.extensions?.code }).toEqual({ params, code: 'UNAUTHENTICATED' });
      expect(result.errors?.[0]?.extensions?.messageEn).toEqual(expect.any(String));
      expect(JSON.stringify(result)).not.toMatch(/stack|node_modules/);
      await subscription.completed();
    }
  });

  it('answers a malformed subscription as BAD_USER_INPUT', async () => {
    const subscription = new Subscription(
      client({ authorization: `Bearer ${a.adminToken}` }),
      `subscription { importJobProgress(id: "x") { nope } }`,
      {},
    );
    const failure = await withTimeout(
      subscription.next('the refusal').catch((error: unknown) => error),
      'the refusal',
    );
    // graphql-ws reports validation errors as an `error` message, which the client throws as the error list.
    expect(JSON.stringify(failure)).toContain('BAD_USER_INPUT');
  });

  // Separate roles need Redis for their job queue, as in jobs.e2e.
  // A worker-role application needs Redis (Bull) to exist; without it the case is not defined rather than skipped.
  if (process.env.REDIS_URL)
    it('carries progress published by a worker-role application (no GraphQL module) to the API’s subscriber', async () => {
      const workerApp = await startTestApp({ ROLE: 'worker' });
      try {
        const job = await newJob(a);
        const subscription = new Subscription(client({ authorization: `Bearer ${a.adminToken}` }), PROGRESS, {
          id: job.id,
        });
        await subscription.next('the current state');
        const publisher = workerApp.server.app.get(ImportProgressPublisher);
        await workerApp.dataSource.transaction((manager) =>
          publisher.publish(manager, Object.assign(job, { status: ImportStatus.RUNNING, processedRows: 7 })),
        );
        await publisher.publish(
          workerApp.dataSource,
          Object.assign(job, { status: ImportStatus.COMPLETED, processedRows: 8, finishedAt: new Date() }),
        );
        expect((await subscription.next('the worker’s update')).data.importJobProgress).toMatchObject({
          status: 'RUNNING',
          processedRows: 7,
        });
        expect((await subscription.next('the worker’s completion')).data.importJobProgress).toMatchObject({
          status: 'COMPLETED',
          processedRows: 8,
        });
        await subscription.completed();
      } finally {
        await workerApp.close();
      }
    });

  describe('PgNotifyBus', () => {
    it('delivers a notification published in a transaction only when it commits', async () => {
      const bus = app.server.app.get(PgNotifyBus);
      const channel = `test_bus_${randomUUID().slice(0, 8)}`;
      const events = bus.listen(channel);
      const second = bus.listen(channel);
      await withTimeout(events.ready, 'LISTEN');
      await expect(
        app.dataSource.transaction(async (manager) => {
          await bus.publish(manager, channel, { n: 1 });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await app.dataSource.transaction((manager) => bus.publish(manager, channel, { n: 2 }));
      await bus.publish(app.dataSource, channel, { n: 3 });
      // Notifications of one channel arrive in commit order: had the rolled-back one gone out, it would come first.
      expect((await withTimeout(events.next(), 'the committed notification')).value).toEqual({ n: 2 });
      expect((await withTimeout(events.next(), 'the one outside a transaction')).value).toEqual({ n: 3 });
      // Every open iterator of the channel gets every notification.
      expect((await withTimeout(second.next(), 'fan-out')).value).toEqual({ n: 2 });
      await events.return();
      await second.return();
      expect(await events.next()).toEqual({ value: undefined, done: true });
    });

    it('reconnects and LISTENs again after losing its connection', async () => {
      const bus = app.server.app.get(PgNotifyBus);
      const channel = `test_bus_${randomUUID().slice(0, 8)}`;
      const events = bus.listen(channel);
      await withTimeout(events.ready, 'LISTEN');
      const killed = await worker.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
        [`domovoy-listen:${process.pid}`],
      );
      expect(killed.rowCount).toBe(1);
      // What is sent while the connection is down is lost by design: keep sending until one gets through.
      const received = events.next();
      let sent = 0;
      const sender = setInterval(
        () => void bus.publish(app.dataSource, channel, { n: ++sent }).catch(() => undefined),
        50,
      );
      try {
        expect((await withTimeout(received, 'a notification after the reconnect')).value).toEqual({
          n: expect.any(Number),
        });
      } finally {
        clearInterval(sender);
        await events.return();
      }
    });

    it('forgets a subscriber that unsubscribes', async () => {
      const bus = app.server.app.get(PgNotifyBus);
      const before = bus.listeners(IMPORT_JOB_PROGRESS_CHANNEL);
      const job = await newJob(a);
      const subscription = new Subscription(client({ authorization: `Bearer ${a.adminToken}` }), PROGRESS, {
        id: job.id,
      });
      await subscription.next('the current state');
      expect(bus.listeners(IMPORT_JOB_PROGRESS_CHANNEL)).toBe(before + 1);
      await subscription.stop();
      // The client's `complete` reaches the server asynchronously; wait for it, bounded.
      await withTimeout(
        (async () => {
          while (bus.listeners(IMPORT_JOB_PROGRESS_CHANNEL) !== before)
            await new Promise((resolve) => setTimeout(resolve, 10));
        })(),
        'the listener to go',
      );
    });

    it('refuses a payload over the NOTIFY limit with a clear error', async () => {
      const bus = app.server.app.get(PgNotifyBus);
      await expect(bus.publish(app.dataSource, 'test_bus_big', { text: 'я'.repeat(4000) })).rejects.toThrow(
        /at most 7999/,
      );
    });
  });
});
