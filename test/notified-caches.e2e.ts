import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PgNotifyBus } from '../src/common/notify/pg-notify-bus';
import { EmployeeRole } from '../src/kernel/role';
import { factories } from './support/factories';
import { addEmployee, createOrganization, errorCode, login, startTestApp, TestApp } from './support/test-app';

const ME = `{ me { id role } }`;
const UPDATE_EMPLOYEE = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id } } }`;

/**
 * The API keeps checked sessions and the ticket classifier in memory; these tests hold it to what
 * that must not change. Blocking, logout, a role change or a revoked session take effect on the very
 * next request of the process that made them, and as soon as the notification arrives when another
 * process (here: a separate database connection) writes them.
 */
describe('caches kept exact by notifications', () => {
  let app: TestApp;
  let outside: Client;
  beforeAll(async () => {
    app = await startTestApp();
    outside = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await outside.connect();
  });
  afterAll(async () => {
    await outside.end();
    await app.close();
  });

  /** Requests until the session is served from memory (the cache starts listening on the first lookup). */
  async function untilCached(token: string): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await app.countStatements(() => app.gql(ME, {}, token))) === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the session was never served from the cache');
  }

  /**
   * Whether the token's session may manage employees (ADMIN only), which the session's cached role
   * decides. Asked about an employee that does not exist, so the probe changes nothing (a change
   * would drop the cache entry itself): NOT_FOUND means allowed, FORBIDDEN not.
   */
  async function managesEmployees(token: string): Promise<boolean> {
    const code = errorCode(
      await app.gql(UPDATE_EMPLOYEE, { input: { id: randomUUID(), fullName: 'Проверка роли' } }, token),
    );
    if (code !== 'NOT_FOUND' && code !== 'FORBIDDEN') throw new Error(`unexpected answer ${code}`);
    return code === 'NOT_FOUND';
  }

  /** Requests until `check` holds, for at most 2 s: another process's change arrives as a notification. */
  async function eventually(check: () => Promise<boolean>): Promise<number> {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > 2000) throw new Error('the change did not reach the cache within 2 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return Date.now() - start;
  }

  it('checks a session in the database once, then answers from memory', async () => {
    const org = await createOrganization(app);
    const token = await login(app, org.adminEmail);
    await untilCached(token);
    // `me` itself reads the employee: one statement, none for the session.
    expect(await app.countStatements(() => app.gql(ME, {}, token))).toBe(1);
    expect((await app.gql(ME, {}, token)).data.me.role).toBe('ADMIN');
  });

  it('ends a cached session at once on logout and on blocking', async () => {
    const org = await createOrganization(app);
    const dispatcher = await addEmployee(app, org.organizationId, EmployeeRole.DISPATCHER);
    const dispatcherToken = await login(app, dispatcher.email);
    const adminToken = await login(app, org.adminEmail);
    await untilCached(dispatcherToken);
    await untilCached(adminToken);

    await app.gql(
      `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id } } }`,
      { input: { id: dispatcher.id, blocked: true } },
      adminToken,
    );
    expect(errorCode(await app.gql(ME, {}, dispatcherToken))).toBe('UNAUTHENTICATED');

    expect((await app.gql(`mutation { logout { signedOut } }`, {}, adminToken)).errors).toBeUndefined();
    expect(errorCode(await app.gql(ME, {}, adminToken))).toBe('UNAUTHENTICATED');
  });

  it('drops a cached session when another process revokes it, blocks the employee or changes the role', async () => {
    const org = await createOrganization(app);
    const first = await addEmployee(app, org.organizationId, EmployeeRole.DISPATCHER);
    const second = await addEmployee(app, org.organizationId, EmployeeRole.DISPATCHER);
    const third = await addEmployee(app, org.organizationId, EmployeeRole.DISPATCHER);
    const [firstToken, secondToken, thirdToken] = [
      await login(app, first.email),
      await login(app, second.email),
      await login(app, third.email),
    ];
    for (const token of [firstToken, secondToken, thirdToken]) await untilCached(token);

    await outside.query(`UPDATE auth_session SET revoked_at = now() WHERE employee_id = $1`, [first.id]);
    await eventually(async () => errorCode(await app.gql(ME, {}, firstToken)) === 'UNAUTHENTICATED');

    await outside.query(`UPDATE employee SET blocked = true WHERE id = $1`, [second.id]);
    await eventually(async () => errorCode(await app.gql(ME, {}, secondToken)) === 'FORBIDDEN');

    expect(await managesEmployees(thirdToken)).toBe(false);
    await untilCached(thirdToken);
    await outside.query(`UPDATE employee SET role = 'ADMIN' WHERE id = $1`, [third.id]);
    await eventually(() => managesEmployees(thirdToken));
  });

  const TICKETS = `{ tickets(first: 50) { edges { node { id category { id name } } } } }`;

  async function ticketWorld() {
    const org = await createOrganization(app);
    const make = factories(app, org);
    const buildingId = await make.building({ city: 'Москва', street: 'ул. Кэшевая', house: '1' });
    const categories: { id: string; name: string; parentId: string | null }[] = (
      await app.gql(`{ ticketCategories { id name parentId } }`, {}, org.adminToken)
    ).data.ticketCategories;
    // A category with subcategories, and a subcategory elsewhere in the tree.
    const parent = categories.find((c) => categories.some((child) => child.parentId === c.id))!;
    const other = categories.find(
      (c) =>
        c.parentId &&
        c.parentId !== parent.id &&
        c.id !== parent.parentId &&
        !categories.some((x) => x.parentId === c.id),
    )!;
    const ticket = async (categoryId: string) =>
      (await make.ticket({ buildingId, description: 'Проверка', categoryId })).id;
    const { token, ...dispatcher } = await make.employee(EmployeeRole.DISPATCHER);
    const visible = async () =>
      ((await app.gql(TICKETS, {}, token)).data.tickets.edges as { node: { id: string } }[])
        .map((e) => e.node.id)
        .sort();
    return { org, parent, other, ticket, dispatcher, token, visible };
  }

  it("narrows an employee's tickets when another process gives them a specialization", async () => {
    const w = await ticketWorld();
    const mine = await w.ticket(w.parent.id);
    const notMine = await w.ticket(w.other.id);
    expect(await w.visible()).toEqual([mine, notMine].sort());
    await untilCached(w.token);

    await outside.query(
      `INSERT INTO employee_specialization (organization_id, employee_id, category_id) VALUES ($1, $2, $3)`,
      [w.org.organizationId, w.dispatcher.id, w.parent.id],
    );
    await eventually(async () => JSON.stringify(await w.visible()) === JSON.stringify([mine]));
  });

  it('shows a specialist the tickets of a subcategory another process adds, and the names it changes', async () => {
    const w = await ticketWorld();
    await app.gql(
      UPDATE_EMPLOYEE,
      { input: { id: w.dispatcher.id, specializationIds: [w.parent.id] } },
      w.org.adminToken,
    );
    const token = await login(app, w.dispatcher.email);
    const visible = async () =>
      ((await app.gql(TICKETS, {}, token)).data.tickets.edges as { node: { id: string } }[]).map((e) => e.node.id);
    expect(await visible()).toEqual([]);
    await untilCached(token);
    // The classifier is served from memory too before it changes (else the test would pass without the notification).
    await eventually(
      async () => (await app.countStatements(() => app.gql(`{ ticketCategories { id } }`, {}, token))) === 0,
    );

    const [{ id: added }] = (
      await outside.query(
        `INSERT INTO ticket_category (organization_id, parent_id, name) VALUES ($1, $2, 'Новая подкатегория') RETURNING id`,
        [w.org.organizationId, w.parent.id],
      )
    ).rows;
    const ticket = await w.ticket(added);
    await eventually(async () => JSON.stringify(await visible()) === JSON.stringify([ticket]));

    await outside.query(`UPDATE ticket_category SET name = 'Переименована' WHERE id = $1`, [added]);
    await eventually(
      async () => (await app.gql(TICKETS, {}, token)).data.tickets.edges[0]?.node.category.name === 'Переименована',
    );
  });

  it('forgets every session when its notification connection drops, since changes made meanwhile are not announced to it', async () => {
    const org = await createOrganization(app);
    const token = await login(app, org.adminEmail);
    await untilCached(token);

    // Waits until the listening backend has exited, so the change below is announced to nobody.
    const { rows } = await outside.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid, 5000) AS ended FROM pg_stat_activity WHERE application_name LIKE $1 AND datname = current_database()`,
      [`%-listen:${process.pid}`],
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((row) => row.ended)).toBe(true);
    await outside.query(`UPDATE employee SET role = 'DISPATCHER' WHERE id = $1`, [org.adminId]);
    await eventually(async () => !(await managesEmployees(token)));

    // Listening again after the reconnect, it caches again, and what it caches is the new role.
    await untilCached(token);
    expect(await managesEmployees(token)).toBe(false);
  });

  it('counts a listening connection that stops answering as lost (a half-open socket raises no error)', async () => {
    const org = await createOrganization(app);
    const token = await login(app, org.adminEmail);
    await untilCached(token);
    const { rows } = await outside.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name LIKE $1 AND datname = current_database()`,
      [`%-listen:${process.pid}`],
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    // The server process stops answering, as behind a dead link: no error, no end of stream.
    for (const { pid } of rows) process.kill(pid, 'SIGSTOP');
    try {
      await app.server.app.get(PgNotifyBus).beat(300);
      // Nothing is served from memory any more: the session is read again.
      expect(await app.countStatements(() => app.gql(ME, {}, token))).toBe(2);
    } finally {
      for (const { pid } of rows) process.kill(pid, 'SIGCONT');
    }
    await untilCached(token);
  });
});
