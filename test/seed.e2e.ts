import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_EMPLOYEES, DEMO_PASSWORD } from '../src/database/seed/demo-seed';
import { login, startTestApp, TestApp } from './support/test-app';

const root = join(__dirname, '..');
const run = promisify(execFile);

/** `npm run seed -- --demo` as a person runs it against the test database (no JWT_SECRET needed). */
async function seed(): Promise<string> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: process.env.TEST_DATABASE_URL, LOG_LEVEL: 'error' };
  const { stdout } = await run(process.execPath, [join(root, 'dist', 'database', 'cli.js'), 'seed', '--demo'], { cwd: root, env });
  return stdout.trim();
}

describe('npm run seed -- --demo', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('loads two organizations whose employees sign in with the README password and see only their own buildings', async () => {
    expect(await seed()).toMatch(/^demo data loaded: 2 organizations, \d+ premises, 5 employees/);

    const buildingsSeenBy = async (email: string) => {
      const token = await login(app, email, DEMO_PASSWORD);
      const result = await app.gql(`{ me { role organization { name } } buildings(first: 10) { totalCount edges { node { address } } } }`, {}, token);
      return result.data;
    };
    for (const employee of DEMO_EMPLOYEES) {
      const seen = await buildingsSeenBy(employee.email);
      expect(seen.me.role).toBe(employee.role);
    }
    const sever = await buildingsSeenBy('admin@sever.demo');
    const lesnaya = await buildingsSeenBy('viewer@lesnaya.demo');
    expect(sever.me.organization.name).toBe('УК «Домовой-Север»');
    expect(sever.buildings.totalCount).toBe(2);
    expect(lesnaya.buildings.edges.map((e: any) => e.node.address)).toEqual(['Санкт-Петербург, ул. Лесная, д. 7']);

    expect(await seed()).toBe('demo data is already loaded');
  });
});
