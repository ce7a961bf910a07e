import { EmployeeRole } from '../src/kernel/role';
import { addEmployee, createOrganization, login, startTestApp, TestApp, TestOrganization } from './support/test-app';

// Runs where REDIS_URL is set (jest.config.js): Bull Board exists only when jobs are on Redis.
describe('Bull Board at /admin/queues (Redis)', () => {
  let app: TestApp;
  let org: TestOrganization;
  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  const board = (path = '', headers: Record<string, string> = {}) =>
    fetch(`${app.url}/admin/queues${path}`, { headers, redirect: 'manual' });

  it('opens for an admin, and its API lists the three queues', async () => {
    const page = await board('', { authorization: `Bearer ${org.adminToken}` });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');
    const api = await board('/api/queues', { authorization: `Bearer ${org.adminToken}` });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((queue) => queue.name).sort();
    expect(names).toEqual(['housekeeping', 'imports', 'notifications']);
  });

  it('refuses 401 without a token or with a forged one, and 403 to every other role', async () => {
    expect((await board()).status).toBe(401);
    expect((await board('/api/queues')).status).toBe(401);
    expect((await board('', { authorization: 'Bearer not-a-token' })).status).toBe(401);
    for (const role of [EmployeeRole.MANAGER, EmployeeRole.DISPATCHER, EmployeeRole.TECHNICIAN, EmployeeRole.VIEWER]) {
      const employee = await addEmployee(app, org.organizationId, role);
      const token = await login(app, employee.email);
      const refused = await board('/api/queues', { authorization: `Bearer ${token}` });
      expect([role, refused.status]).toEqual([role, 403]);
      expect(await refused.json()).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('lets a browser in with ?token= once, then by the cookie it sets for this path only', async () => {
    const first = await board(`?token=${encodeURIComponent(org.adminToken)}`);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin/queues');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin\/queues/i);
    const next = await board('/api/queues', { cookie: cookie.split(';')[0] });
    expect(next.status).toBe(200);
  });
});
