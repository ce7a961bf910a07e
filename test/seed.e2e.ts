import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_EMPLOYEES, DEMO_PASSWORD } from '../src/database/seed/demo-seed';
import { login, startTestApp, TestApp } from './support/test-app';

const root = join(__dirname, '..');
const run = promisify(execFile);

/** `npm run seed -- --demo` as a person runs it against the test database (no JWT_SECRET needed). */
async function seed(): Promise<string> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    LOG_LEVEL: 'error',
  };
  const { stdout } = await run(process.execPath, [join(root, 'dist', 'database', 'cli.js'), 'seed', '--demo'], {
    cwd: root,
    env,
  });
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
      const result = await app.gql(
        `{ me { role organization { name } } buildings(first: 10) { totalCount edges { node { address } } } }`,
        {},
        token,
      );
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

    // Like any new organization, the demo ones start with the default classifier: a dispatcher files a categorized ticket.
    const dispatcher = await login(app, 'dispatcher@sever.demo', DEMO_PASSWORD);
    const classifier = await app.gql(
      `{ ticketCategories { id name } buildings(first: 1) { edges { node { id } } } }`,
      {},
      dispatcher,
    );
    const leak = classifier.data.ticketCategories.find((c: any) => c.name === 'Течь');
    expect(leak).toBeDefined();
    const filed = await app.gql(
      `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { category { name } } } }`,
      {
        input: {
          buildingId: classifier.data.buildings.edges[0].node.id,
          categoryId: leak.id,
          description: 'Течь на кухне',
          contactName: 'Жилец',
          contactPhone: '+7 916 000-00-01',
        },
      },
      dispatcher,
    );
    expect(filed.data.createTicket.ticket.category).toEqual({ name: 'Течь' });
    const lesnayaCategories = await app.gql(
      `{ ticketCategories { id } }`,
      {},
      await login(app, 'admin@lesnaya.demo', DEMO_PASSWORD),
    );
    expect(lesnayaCategories.data.ticketCategories.length).toBe(classifier.data.ticketCategories.length);
    // Staff phones are stored as E.164 and found by the card like clients'.
    const card = await app.gql(
      `{ contactCard(phone: "8 916 440 55 55") { contact { kind fullName } } }`,
      {},
      dispatcher,
    );
    expect(card.data.contactCard.contact).toEqual({ kind: 'EMPLOYEE', fullName: 'Смирнова Ольга Викторовна' });

    expect(await seed()).toBe('demo data is already loaded');
  });
});
