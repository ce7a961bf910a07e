import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  createOrganization,
  errorCode,
  GraphqlResult,
  startTestApp,
  TestApp,
  TestOrganization,
} from './support/test-app';

const CREATE_EMPLOYEE = `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { employee { id email } } }`;
const CREATE_CLIENT = `mutation($input: CreateClientInput!) { createClient(input: $input) { client { id } } }`;
const MERGE = `mutation($input: MergeClientsInput!) { mergeClients(input: $input) { removedClientId client { id phone extraPhones } } }`;

function codes(results: GraphqlResult[]): string[] {
  return results.map((r) => (r.errors ? errorCode(r)! : 'OK')).sort();
}

/** Races on purpose: parallel HTTP requests against one server, each its own transaction, no mocks. */
describe('races between requests', () => {
  let app: TestApp;
  let org: TestOrganization;
  let seq = 0;

  const employeeInput = (email: string) => ({
    email,
    password: 'long-enough-password',
    fullName: 'Гонщик',
    role: 'DISPATCHER',
  });
  const newClient = async (token = org.adminToken): Promise<string> => {
    const phone = `+7 917 ${String(1_000_000 + ((++seq * 7919 + process.pid) % 9_000_000)).slice(-7)}`;
    const result = await app.gql(
      CREATE_CLIENT,
      { input: { lastName: 'Слияния', firstName: `Тест${seq}`, phone } },
      token,
    );
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.createClient.client.id;
  };
  const merge = (targetId: string, sourceId: string) =>
    app.gql(MERGE, { input: { targetId, sourceId } }, org.adminToken);
  const auditCount = async (clientId: string, action: string): Promise<number> =>
    Number(
      (
        await app.dataSource.query(
          `SELECT count(*) AS n FROM audit_entry WHERE organization_id = $1 AND entity_id = $2 AND action = $3`,
          [org.organizationId, clientId, action],
        )
      )[0].n,
    );

  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  it('10 parallel createEmployee with one e-mail: one employee, nine CONFLICTs naming input.email, no INTERNAL', async () => {
    const email = `race-${randomUUID()}@test.local`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => app.gql(CREATE_EMPLOYEE, { input: employeeInput(email) }, org.adminToken)),
    );
    expect(codes(results)).toEqual(['CONFLICT', ...Array(8).fill('CONFLICT'), 'OK'].sort());
    for (const refused of results.filter((r) => r.errors)) {
      expect(refused.errors![0].extensions!.fields).toEqual([expect.objectContaining({ path: 'input.email' })]);
    }
    const rows = await app.dataSource.query(`SELECT count(*) AS n FROM employee WHERE email = $1`, [email]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('an e-mail taken in another organization is refused with the same words as one taken here, naming neither', async () => {
    const other = await createOrganization(app, `Чужая УК ${randomUUID().slice(0, 8)}`);
    const elsewhere = await app.gql(CREATE_EMPLOYEE, { input: employeeInput(other.adminEmail) }, org.adminToken);
    const here = await app.gql(CREATE_EMPLOYEE, { input: employeeInput(org.adminEmail.toUpperCase()) }, org.adminToken);
    expect(errorCode(elsewhere)).toBe('CONFLICT');
    expect(elsewhere.errors![0].extensions!.fields).toEqual([expect.objectContaining({ path: 'input.email' })]);
    const said = (r: GraphqlResult) => ({
      message: r.errors![0].message,
      messageEn: r.errors![0].extensions!.messageEn,
      fields: r.errors![0].extensions!.fields,
    });
    expect(said(elsewhere)).toEqual(said(here));
    const text = JSON.stringify(said(elsewhere));
    expect(text).not.toContain(other.adminEmail);
    expect(text).not.toContain('Чужая');
    expect(text).not.toMatch(/организац|organization|сотрудник|employee/i);
  });

  it('two parallel merges of the same pair: one merge, the other NOT_FOUND for the source, one `merged` entry', async () => {
    for (let round = 0; round < 4; round++) {
      const [targetId, sourceId] = [await newClient(), await newClient()];
      const results = await Promise.all([merge(targetId, sourceId), merge(targetId, sourceId)]);
      expect(codes(results)).toEqual(['NOT_FOUND', 'OK']);
      const refused = results.find((r) => r.errors)!;
      expect(refused.errors![0].extensions!.fields).toEqual([expect.objectContaining({ path: 'input.sourceId' })]);
      expect(await auditCount(targetId, 'merged')).toBe(1);
      expect(await auditCount(sourceId, 'merged_into')).toBe(1);
    }
  });

  it('crossed merges (A←B and B←A at once): one wins, the other CONFLICT pointing at the card that stayed', async () => {
    for (let round = 0; round < 4; round++) {
      const [a, b] = [await newClient(), await newClient()];
      const results = await Promise.all([merge(a, b), merge(b, a)]);
      expect(codes(results)).toEqual(['CONFLICT', 'OK']);
      const won = results.find((r) => r.data?.mergeClients)!.data.mergeClients;
      const refused = results.find((r) => r.errors)!;
      expect(refused.errors![0].extensions!.fields).toEqual([expect.objectContaining({ path: 'input.targetId' })]);
      expect(refused.errors![0].message).toContain(won.client.id);
      const stayed = won.client.id;
      const gone = won.removedClientId;
      expect(await auditCount(stayed, 'merged')).toBe(1);
      expect(await auditCount(gone, 'merged')).toBe(0);
      const left = await app.dataSource.query(
        `SELECT id FROM client WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
        [org.organizationId, [a, b]],
      );
      expect(left.map((row: { id: string }) => row.id)).toEqual([stayed]);
    }
  });

  it('a mutation whose transaction dies of a real deadlock is run once more and succeeds', async () => {
    const [first, second] = [await newClient(), await newClient()].sort();
    const rival = new Client({ connectionString: process.env.TEST_DATABASE_URL, application_name: 'races-rival' });
    await rival.connect();
    try {
      const deadlocks = async () =>
        Number(
          (await rival.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)).rows[0]
            .deadlocks,
        );
      const before = await deadlocks();
      // The merge locks its cards in id order: it takes `first`, then waits for `second`, which the
      // rival holds; the rival then asks for `first` — a cycle PostgreSQL breaks by killing the waiter
      // that noticed it, the merge's transaction (it has waited longest).
      await rival.query('BEGIN');
      await rival.query(`SELECT id FROM client WHERE id = $1 FOR UPDATE`, [second]);
      const merged = merge(first, second);
      // Watched from another connection: inside the rival's transaction pg_stat_activity is a snapshot.
      const waiting = async () =>
        (
          await app.dataSource.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`,
          )
        )[0].n === 1;
      await waitFor(waiting);
      await rival.query(`SELECT id FROM client WHERE id = $1 FOR UPDATE`, [first]);
      await rival.query('COMMIT');
      const result = await merged;
      expect(result.errors).toBeUndefined();
      expect(result.data.mergeClients.removedClientId).toBe(second);
      expect(await deadlocks()).toBe(before + 1);
      expect(await auditCount(first, 'merged')).toBe(1);
    } finally {
      await rival.end();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
