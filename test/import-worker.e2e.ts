import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { JobQueue } from '../src/jobs/job-queue';
import {
  finishedJob,
  generatedRegistry,
  registrySnapshot,
  registryXlsx,
  uploadRegistry,
} from './support/registry-files';
import { createOrganization, startTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';

/**
 * The deployment with separate processes: an api process (the test's app, role `api`, which never
 * runs jobs) and workers started from the built service (`node dist/main.js`, role `worker`)
 * sharing Redis (Bull), PostgreSQL and the upload folder. Needs Redis, so it runs where REDIS_URL is set (CI).
 */
if (process.env.REDIS_URL) {
  describe('imports run by a separate worker process', () => {
    const prefix = `{domovoy-test-${randomUUID().slice(0, 8)}}`;
    const importDir = mkdtempSync(join(tmpdir(), 'domovoy-imports-'));
    const workers = new Set<ChildProcess>();
    let api: TestApp;

    function startWorker(): { child: ChildProcess; output: () => string; up: Promise<void> } {
      const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
        env: {
          PATH: process.env.PATH,
          ROLE: 'worker',
          DATABASE_URL: process.env.TEST_DATABASE_URL,
          REDIS_URL: process.env.REDIS_URL,
          QUEUE_PREFIX: prefix,
          JWT_SECRET: TEST_JWT_SECRET,
          IMPORT_DIR: importDir,
          IMPORT_BATCH_ROWS: '200',
          // A killed worker's job is taken over within about two seconds instead of a minute.
          QUEUE_LOCK_MS: '1000',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      workers.add(child);
      child.once('exit', () => workers.delete(child));
      let out = '';
      child.stdout!.on('data', (chunk) => (out += chunk));
      child.stderr!.on('data', (chunk) => (out += chunk));
      const up = new Promise<void>((resolve, reject) => {
        const check = setInterval(() => {
          if (out.includes('Domovoy is up')) {
            clearInterval(check);
            resolve();
          } else if (child.exitCode !== null) {
            clearInterval(check);
            reject(new Error(`worker exited early:\n${out}`));
          }
        }, 50);
      });
      return { child, output: () => out, up };
    }

    beforeAll(async () => {
      api = await startTestApp({ ROLE: 'api', QUEUE_PREFIX: prefix, IMPORT_DIR: importDir, IMPORT_BATCH_ROWS: '200' });
      expect(api.server.app.get(JobQueue).processes).toBe(false);
    });
    afterEach(async () => {
      for (const child of workers) child.kill('SIGTERM');
      while (workers.size) await new Promise((r) => setTimeout(r, 50));
    });
    afterAll(async () => {
      await api.close();
      rmSync(importDir, { recursive: true, force: true });
    });

    it('streams progress over graphql-ws to a subscriber of the api process while the worker process runs the job', async () => {
      const org = await createOrganization(api);
      const upload = await uploadRegistry(api, org.adminToken, await registryXlsx(generatedRegistry(2000)));
      const id = upload.body.id!;
      const client = createClient({
        url: `${api.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${org.adminToken}` },
        retryAttempts: 0,
      });
      const events: { status: string; processedRows: number; percent: number; created: number }[] = [];
      try {
        const subscription = client.iterate<{ importJobProgress: (typeof events)[number] }>({
          query: `subscription($id: ID!) { importJobProgress(id: $id) { status processedRows percent created } }`,
          variables: { id },
        });
        const first = await subscription.next();
        events.push(first.value!.data!.importJobProgress);
        // Nothing runs the job until a worker exists: the subscriber sees it queued, then every step from the other process.
        expect(events[0]).toMatchObject({ status: 'QUEUED', processedRows: 0 });
        const worker = startWorker();
        await worker.up;
        for await (const event of subscription) {
          events.push(event.data!.importJobProgress);
        }
      } finally {
        await client.dispose();
      }
      const last = events[events.length - 1];
      expect(last).toMatchObject({ status: 'COMPLETED', processedRows: 2000, created: 2000, percent: 100 });
      const running = events.filter((e) => e.status === 'RUNNING');
      expect(running.some((e) => e.processedRows > 0 && e.processedRows < 2000)).toBe(true);
      const processed = events.map((e) => e.processedRows);
      expect(processed).toEqual([...processed].sort((a, b) => a - b));
    });

    it('a worker killed mid-job: another worker resumes from the checkpoint and the database equals an uninterrupted run', async () => {
      const rows = 6000;
      const file = await registryXlsx(generatedRegistry(rows));
      const interrupted = await createOrganization(api);
      const first = startWorker();
      await first.up;
      const id = (await uploadRegistry(api, interrupted.adminToken, file)).body.id!;
      let seen = 0;
      while (seen < 1000) {
        const job = (
          await api.gql(
            `query($id: String!) { importJob(id: $id) { status processedRows } }`,
            { id },
            interrupted.adminToken,
          )
        ).data.importJob;
        expect(job.status).not.toBe('COMPLETED');
        seen = job.processedRows;
        await new Promise((r) => setTimeout(r, 10));
      }
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      const atKill = (
        await api.gql(
          `query($id: String!) { importJob(id: $id) { status processedRows } }`,
          { id },
          interrupted.adminToken,
        )
      ).data.importJob;
      expect(atKill.status).toBe('RUNNING');
      expect(atKill.processedRows).toBeLessThan(rows);

      const second = startWorker();
      await second.up;
      const resumed = await finishedJob(api, interrupted.adminToken, id, 120_000);
      expect(resumed).toMatchObject({ status: 'COMPLETED', processedRows: rows, created: rows, failed: 0 });
      // The worker logs "import finished" just after the status commits, so the job can read COMPLETED
      // before that line has come through the pipe (CI saw it missing once): give it a few seconds.
      for (let waited = 0; !second.output().includes(id) && waited < 5000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      expect(second.output()).toContain(id);

      const uninterrupted = await createOrganization(api);
      const reference = await finishedJob(
        api,
        uninterrupted.adminToken,
        (await uploadRegistry(api, uninterrupted.adminToken, file)).body.id!,
        120_000,
      );
      expect(reference).toMatchObject({ status: 'COMPLETED', processedRows: rows, created: rows });

      expect(await registrySnapshot(api.dataSource, interrupted.organizationId)).toEqual(
        await registrySnapshot(api.dataSource, uninterrupted.organizationId),
      );
      const createdEntries = async (organizationId: string) =>
        (await api.dataSource.query(
          `SELECT entity_type AS type, count(*)::int AS n FROM audit_entry WHERE organization_id = $1 AND action IN ('created', 'attached') GROUP BY 1 ORDER BY 1`,
          [organizationId],
        )) as unknown[];
      expect(await createdEntries(interrupted.organizationId)).toEqual(
        await createdEntries(uninterrupted.organizationId),
      );
    });
  });
}
