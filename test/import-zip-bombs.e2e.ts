import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finishedJob, uploadRegistry } from './support/registry-files';
import { createOrganization, startTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';
import { lyingBomb } from './support/zip-bombs';
import { serviceNodeOptions } from './support/service-node-options';

/** The memory the issue measured a server at: one lying bomb took it from 134 to 702 MB, three to 1,786 MB. */
const WORKER_RSS_CAP_MB = 300;

/** A /proc/<pid>/status field in MB (VmRSS: now; VmHWM: the peak since the process started). */
function memoryOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
}

/**
 * Five lying zip bombs (1.1 MB xlsx files whose sheet inflates to 1 GB while the zip headers claim
 * 40 kB) uploaded at once to the built service, run as docker-compose runs the worker (its heap
 * options), jobs in its own process: each job is refused with one message, and the process's peak
 * RSS, read from /proc, stays under the cap.
 */
describe('five lying zip bombs at once', () => {
  const importDir = mkdtempSync(join(tmpdir(), 'domovoy-bombs-'));
  let api: TestApp;
  let worker: ChildProcess;
  let workerUrl: string;

  beforeAll(async () => {
    // The test's own app only creates the organization and signs in; the child runs every import.
    api = await startTestApp();
    worker = spawn(process.execPath, [...serviceNodeOptions(), join(__dirname, '..', 'dist', 'main.js')], {
      env: {
        PATH: process.env.PATH,
        ROLE: 'all',
        PORT: '0',
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        JWT_SECRET: TEST_JWT_SECRET,
        IMPORT_DIR: importDir,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    worker.stdout!.on('data', (chunk) => (out += chunk));
    worker.stderr!.on('data', (chunk) => (out += chunk));
    workerUrl = await new Promise<string>((resolve, reject) => {
      const check = setInterval(() => {
        const up = out.split('\n').find((line) => line.includes('Domovoy is up'));
        if (up) {
          clearInterval(check);
          resolve((JSON.parse(up) as { graphql: string }).graphql.replace(/\/graphql$/, ''));
        } else if (worker.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`the service exited early:\n${out}`));
        }
      }, 50);
    });
  }, 120_000);

  afterAll(async () => {
    if (worker.exitCode === null) {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    await api.close();
    rmSync(importDir, { recursive: true, force: true });
  });

  it('refuses each with ZIP_BOMB while the worker’s peak RSS stays under its cap', async () => {
    const org = await createOrganization(api);
    const bomb = await lyingBomb(1024 * 1024 * 1024, 40_000);
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
    const before = memoryOf(worker.pid!, 'VmRSS');

    const target = { ...api, url: workerUrl };
    const answers = await Promise.all(Array.from({ length: 5 }, () => uploadRegistry(target, org.adminToken, bomb)));
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(202));
    const jobs = await Promise.all(answers.map((a) => finishedJob(api, org.adminToken, a.body.id!, 240_000)));

    for (const job of jobs)
      expect(job).toMatchObject({
        status: 'FAILED',
        processedRows: 0,
        error: { code: 'ZIP_BOMB', message: expect.stringMatching(/[а-я]/), messageEn: expect.stringMatching(/[a-z]/) },
      });
    const peak = memoryOf(worker.pid!, 'VmHWM');
    process.stdout.write(
      `worker RSS before the uploads ${before.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (cap ${WORKER_RSS_CAP_MB} MB)\n`,
    );
    expect(peak).toBeLessThan(WORKER_RSS_CAP_MB);
    const written = await api.dataSource.query(`SELECT count(*)::int AS n FROM building WHERE organization_id = $1`, [
      org.organizationId,
    ]);
    expect(written).toEqual([{ n: 0 }]);
  }, 300_000);
});
