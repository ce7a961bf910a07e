import { startTestApp, TestApp } from './support/test-app';

describe('health endpoints for orchestrators', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('/health/live answers while the process serves HTTP', async () => {
    const response = await fetch(`${app.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/health/ready answers 200 when the database, Redis (if used) and the migrations are there', async () => {
    const response = await fetch(`${app.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      database: 'up',
      redis: process.env.REDIS_URL ? 'up' : 'disabled',
      migrations: 'up',
    });
  });

  it('/health answers as before', async () => {
    const response = await fetch(`${app.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      database: 'up',
      redis: process.env.REDIS_URL ? 'up' : 'disabled',
    });
  });

  it('/health/ready answers 503 while a migration of this build is not applied', async () => {
    // A second application, so the first one's "migrations applied" memory does not answer for it.
    const fresh = await startTestApp();
    const [newest] = await fresh.dataSource.query<{ id: number; timestamp: string; name: string }[]>(
      'SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1',
    );
    await fresh.dataSource.query('DELETE FROM migrations WHERE id = $1', [newest.id]);
    try {
      const response = await fetch(`${fresh.url}/health/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'not ready', database: 'up', migrations: 'down' });
      expect((await fetch(`${fresh.url}/health/live`)).status).toBe(200);
    } finally {
      await fresh.dataSource.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        newest.id,
        newest.timestamp,
        newest.name,
      ]);
      await fresh.close();
    }
  });
});
