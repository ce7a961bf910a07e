import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { JobsModule } from '../src/jobs/jobs.module';
import { JobHandler, JobHandlerFor, JobQueue, JobRun } from '../src/jobs/job-queue';
import { PURGE_SESSIONS_JOB } from '../src/auth/purge-sessions.job';
import Redis from 'ioredis';
import { appLogger } from '../src/common/logging/json-logger';
import { createOrganization, startTestApp, testConfig, TestApp } from './support/test-app';

/** Fails its first two attempts, then succeeds; records when each attempt started. */
@Injectable()
@JobHandlerFor({ queue: 'housekeeping', name: 'flaky' })
class FlakyHandler implements JobHandler<{ token: string }> {
  static attempts: { token: string; attemptsMade: number; at: number }[] = [];
  async handle(job: JobRun<{ token: string }>): Promise<void> {
    FlakyHandler.attempts.push({ token: job.data.token, attemptsMade: job.attemptsMade, at: Date.now() });
    if (job.attemptsMade < 2) throw new Error(`transient failure ${job.attemptsMade + 1}`);
  }
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function flakyQueue(redisUrl: string | undefined) {
  appLogger.setLevel('error');
  const config = testConfig({ REDIS_URL: redisUrl });
  @Module({ imports: [JobsModule.forRoot(config)], providers: [FlakyHandler] })
  class FlakyModule {}
  const context = await NestFactory.createApplicationContext(FlakyModule, { logger: false });
  await context.init();
  return Object.assign(context, { queuePrefix: config.queuePrefix });
}

const modes: [string, string | undefined][] = [['in-process (no Redis)', undefined]];
if (process.env.REDIS_URL) modes.push(['Bull on Redis', process.env.REDIS_URL]);

describe.each(modes)('job queue: %s', (_mode, redisUrl) => {
  it('retries a failing job with exponential backoff until it succeeds', async () => {
    const context = await flakyQueue(redisUrl);
    try {
      const token = randomUUID();
      await context.get(JobQueue).add('housekeeping', 'flaky', { token }, { attempts: 4, backoffMs: 200 });
      await waitFor(() => FlakyHandler.attempts.filter((a) => a.token === token).length === 3);
      const runs = FlakyHandler.attempts.filter((a) => a.token === token);
      expect(runs.map((r) => r.attemptsMade)).toEqual([0, 1, 2]);
      // Backoff doubles: ≥200 ms before the 2nd attempt, ≥400 ms before the 3rd.
      expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(190);
      expect(runs[2].at - runs[1].at).toBeGreaterThanOrEqual(390);
    } finally {
      await context.close();
    }
  });

  it('gives up after the configured number of attempts', async () => {
    const context = await flakyQueue(redisUrl);
    try {
      const token = randomUUID();
      await context.get(JobQueue).add('housekeeping', 'flaky', { token }, { attempts: 2, backoffMs: 50 });
      await waitFor(() => FlakyHandler.attempts.filter((a) => a.token === token).length === 2);
      await new Promise((r) => setTimeout(r, 500));
      expect(FlakyHandler.attempts.filter((a) => a.token === token)).toHaveLength(2);
    } finally {
      await context.close();
    }
  });
});

if (process.env.REDIS_URL) {
  it('closes every Redis connection it opened when the application shuts down', async () => {
    const context = await flakyQueue(process.env.REDIS_URL);
    const probe = new Redis(process.env.REDIS_URL!);
    try {
      const token = randomUUID();
      await context.get(JobQueue).add('housekeeping', 'flaky', { token }, { attempts: 3, backoffMs: 10 });
      await waitFor(() => FlakyHandler.attempts.filter((a) => a.token === token).length === 3);
      const ours = async () =>
        ((await probe.client('LIST')) as string)
          .split('\n')
          .filter((line) => line.includes(`name=domovoy:all:${context.queuePrefix}:`));
      expect((await ours()).length).toBeGreaterThanOrEqual(3);
      await context.close();
      await waitFor(async () => (await ours()).length === 0, 5_000);
    } finally {
      probe.disconnect();
    }
  });
}

async function seedSessions(app: TestApp) {
  const org = await createOrganization(app);
  const [expired] = await app.dataSource.query(
    `INSERT INTO auth_session (organization_id, employee_id, expires_at) VALUES ($1, $2, now() - interval '3 days') RETURNING id`,
    [org.organizationId, org.adminId],
  );
  const [live] = await app.dataSource.query(
    `INSERT INTO auth_session (organization_id, employee_id, expires_at) VALUES ($1, $2, now() + interval '1 hour') RETURNING id`,
    [org.organizationId, org.adminId],
  );
  const exists = async (id: string) =>
    (await app.dataSource.query(`SELECT 1 FROM auth_session WHERE id = $1`, [id])).length === 1;
  return { expired: expired.id as string, live: live.id as string, exists };
}

describe.each(modes)('housekeeping: purge expired sessions, %s', (_mode, redisUrl) => {
  it('deletes expired sessions and keeps live ones', async () => {
    const app = await startTestApp({ REDIS_URL: redisUrl });
    try {
      const { expired, live, exists } = await seedSessions(app);
      await app.server.app.get(JobQueue).add('housekeeping', PURGE_SESSIONS_JOB, {});
      await waitFor(async () => !(await exists(expired)));
      expect(await exists(live)).toBe(true);
    } finally {
      await app.close();
    }
  });
});

if (process.env.REDIS_URL) {
  describe('separate api and worker roles on Bull', () => {
    it('runs a job enqueued by the api process in the worker process only', async () => {
      const prefix = `{domovoy-test-${randomUUID().slice(0, 8)}}`;
      const api = await startTestApp({ ROLE: 'api', QUEUE_PREFIX: prefix });
      const worker = await startTestApp({ ROLE: 'worker', QUEUE_PREFIX: prefix });
      try {
        expect(api.server.app.get(JobQueue).processes).toBe(false);
        expect(worker.server.url).toBeUndefined();
        const { expired, live, exists } = await seedSessions(api);
        await worker.server.app.close(); // stop the worker first: the job must wait for one
        await api.server.app.get(JobQueue).add('housekeeping', PURGE_SESSIONS_JOB, {});
        await new Promise((r) => setTimeout(r, 700));
        expect(await exists(expired)).toBe(true);

        const secondWorker = await startTestApp({ ROLE: 'worker', QUEUE_PREFIX: prefix });
        try {
          await waitFor(async () => !(await exists(expired)));
          expect(await exists(live)).toBe(true);
        } finally {
          await secondWorker.close();
        }
      } finally {
        await api.close();
      }
    });
  });
}
