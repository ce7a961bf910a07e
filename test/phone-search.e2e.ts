import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PhoneDigitsDensity } from '../src/clients/phone-digits-density';
import { runMigrations } from '../src/database/run-migrations';
import { phoneQuadgrams } from '../src/common/validation/phone-quadgrams';
import { sqlStatementCounter } from '../src/database/data-source-options';
import { bulkContacts } from './support/bulk-rows';
import { factories } from './support/factories';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

const CLIENTS = 3000;
const CALLERS = 1500;
// Contact n has phone +79 followed by these 9 digits: a bijection of 0…10⁹-1, so numbers look random.
const digitsOf = (n: number) => `79${String((n * 387420489 + 123456789) % 1_000_000_000).padStart(9, '0')}`;
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

const SEARCH = `query($phone: String!, $first: Int) { clients(first: $first, filter: { phone: $phone }) { edges { node { id phone } } } }`;
const TYPEAHEAD = `query($q: String!) { contactsByPhone(query: $q, first: 50) { contact { kind phone } } }`;

let app: TestApp;
let org: TestOrganization;
// The plan checks below depend on the tables' statistics. In the shared test database other suites fill
// `client` with hundreds of small organizations alongside, and the planner then walked ix_client_identity
// instead of the quadgram index (2 of 3 full runs on 2026-11-29): this suite gets a database of its own.
const database = `domovoy_phone_${randomBytes(4).toString('hex')}`;
async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: process.env.TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
beforeAll(async () => {
  await admin(`CREATE DATABASE ${database}`);
  const url = new URL(process.env.TEST_SERVER_URL!);
  url.pathname = `/${database}`;
  await runMigrations(url.toString());
  app = await startTestApp({ DATABASE_URL: url.toString() });
  org = await createOrganization(app);
  // Surnames numbered with leading zeros keep the surname order the numbering's.
  await bulkContacts(app, org.organizationId, {
    clients: range(1, CLIENTS).map((n) => ({
      lastName: `Фамилия${String(n).padStart(5, '0')}`,
      firstName: 'Имя',
      phone: `+${digitsOf(n)}`,
    })),
    callers: range(CLIENTS + 1, CALLERS).map((n) => ({ phone: `+${digitsOf(n)}`, fullName: `Звонивший ${n}` })),
  });
  await app.dataSource.query('ANALYZE client; ANALYZE ticket_caller');
  await app.server.app.get(PhoneDigitsDensity).ready(org.organizationId);
  await app.warmSession(org.adminToken);
});
afterAll(async () => {
  await app?.close();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

/** A run of `length` digits taken from the middle of the `n`-th contact's phone. */
function partOf(n: number, length: number): string {
  return digitsOf(n).slice(3, 3 + length);
}

async function phonesContaining(table: 'client' | 'ticket_caller', part: string): Promise<string[]> {
  const rows: { phone: string }[] = await app.dataSource.query(
    `SELECT phone FROM ${table} WHERE organization_id = $1 AND strpos(phone_digits, $2) > 0 ORDER BY phone`,
    [org.organizationId, part],
  );
  return rows.map((r) => r.phone);
}

/** The statements (with their parameters) one GraphQL request sends. */
async function statementsOf(run: () => Promise<unknown>): Promise<{ query: string; parameters: unknown[] }[]> {
  const seen: { query: string; parameters: unknown[] }[] = [];
  const spy = jest.spyOn(sqlStatementCounter, 'logQuery').mockImplementation(function (
    this: unknown,
    query: string,
    parameters?: unknown[],
  ) {
    seen.push({ query, parameters: parameters ?? [] });
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

/**
 * The indexes a statement can be answered with when a scan of the table is not an option. A table of a
 * few thousand rows is cheap to scan, so the planner might do that here; what matters is that the
 * statement is written so the quadgram index can serve it at all (the expression must match the index's).
 */
async function indexesUsedBy(statement: { query: string; parameters: unknown[] }): Promise<string[]> {
  const runner = app.dataSource.createQueryRunner();
  try {
    await runner.query('SET enable_seqscan = off');
    const [{ 'QUERY PLAN': plan }] = await runner.query(
      `EXPLAIN (FORMAT JSON) ${statement.query}`,
      statement.parameters,
    );
    return (
      JSON.stringify(plan)
        .match(/"Index Name":"[a-z_]+"/g)
        ?.map((m) => m.slice(14, -1)) ?? []
    );
  } finally {
    await runner.query('RESET enable_seqscan');
    await runner.release();
  }
}

describe('phone_quadgrams', () => {
  it('computes in SQL the same 4-digit runs as in the application', async () => {
    for (const digits of ['', '791', '7916', '79161234567', '79999999999', '1212121']) {
      const [{ runs }] = await app.dataSource.query('SELECT phone_quadgrams($1) AS runs', [digits]);
      expect([...runs].sort()).toEqual(phoneQuadgrams(digits).sort());
    }
    expect(phoneQuadgrams('79999999999')).toEqual(['7999', '9999']);
  });
});

describe('partial-phone search of four digits and more', () => {
  it('finds exactly the cards containing the digits, through the quadgram index', async () => {
    for (const length of [5, 6, 8]) {
      const part = partOf(1234, length);
      const expected = await phonesContaining('client', part);
      expect(expected.length).toBeGreaterThan(0);
      let result: any;
      const statements = await statementsOf(
        async () => (result = await app.gql(SEARCH, { phone: part, first: 50 }, org.adminToken)),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.clients.edges.map((e: any) => e.node.phone).sort()).toEqual(expected);
      const search = statements.find((s) => s.query.includes('phone_quadgrams'));
      expect(search).toBeDefined();
      expect(await indexesUsedBy(search!)).toContain('ix_client_phone_quadgrams');
    }
  });

  it('does not mistake 4-digit runs found apart in a number for the digits typed', async () => {
    // +7 9123 4 2345 5 holds both runs of "12345" (1234, 2345) but not "12345"; +7 991 12345 00 does.
    const [apart, together] = ['+79123423455', '+79911234500'];
    const make = factories(app, org);
    for (const phone of [apart, together]) await make.client({ lastName: 'Проверка', firstName: 'Имя', phone });
    const [{ runs }] = await app.dataSource.query('SELECT phone_quadgrams($1) @> phone_quadgrams($2) AS runs', [
      '79123423455',
      '12345',
    ]);
    expect(runs).toBe(true);
    const result = await app.gql(SEARCH, { phone: '12345', first: 50 }, org.adminToken);
    const phones = result.data.clients.edges.map((e: any) => e.node.phone);
    expect(phones).toContain(together);
    expect(phones).not.toContain(apart);
    expect(phones.sort()).toEqual(await phonesContaining('client', '12345'));
  });

  it('types ahead cards and callers containing the digits, through the quadgram indexes', async () => {
    const clientPart = partOf(42, 6);
    const callerPart = partOf(CLIENTS + 42, 6);
    for (const [part, table, index] of [
      [clientPart, 'client', 'ix_client_phone_quadgrams'],
      [callerPart, 'ticket_caller', 'ix_ticket_caller_phone_quadgrams'],
    ] as const) {
      const expected = await phonesContaining(table, part);
      expect(expected.length).toBeGreaterThan(0);
      let result: any;
      const statements = await statementsOf(
        async () => (result = await app.gql(TYPEAHEAD, { q: part }, org.adminToken)),
      );
      expect(result.errors).toBeUndefined();
      const found = result.data.contactsByPhone.map((m: any) => m.contact.phone);
      for (const phone of expected) expect(found).toContain(phone);
      const search = statements.filter(
        (s) =>
          s.query.includes('phone_quadgrams') &&
          s.query.includes(table === 'client' ? 'FROM client i' : 'FROM ticket_caller c'),
      );
      expect(search).toHaveLength(1);
      expect(await indexesUsedBy(search[0])).toContain(index);
    }
  });

  it('keeps three-digit parts on the trigram index or the surname walk', async () => {
    const part = partOf(5, 3);
    const statements = await statementsOf(() => app.gql(SEARCH, { phone: part, first: 20 }, org.adminToken));
    expect(statements.some((s) => s.query.includes('phone_quadgrams'))).toBe(false);
  });
});
