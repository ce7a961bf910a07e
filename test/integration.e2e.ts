import { EmployeeRole } from '../src/kernel/role';
import { CrmSpace } from '../src/kernel/crm-space';
import { factories } from './support/factories';
import {
  addEmployee,
  createOrganization,
  errorCode,
  login,
  startTestApp,
  TestApp,
  TestOrganization,
} from './support/test-app';

const UPSERT_CLIENTS = `mutation($input: UpsertClientsInput!) {
  upsertClients(input: $input) { created updated unchanged failed results { externalId status id error { code message messageEn fields { path } } } }
}`;

describe('integration API', () => {
  let app: TestApp;
  let org: TestOrganization;
  const upsertClients = (items: unknown[], token = org.adminToken, space = 'OPERATION') =>
    app.gql(UPSERT_CLIENTS, { input: { space, system: 'billing', items } }, token);
  const auditCount = async () =>
    (
      await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE organization_id = $1`, [
        org.organizationId,
      ])
    )[0].n;

  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  it('creates, then answers UNCHANGED for the same batch and writes nothing', async () => {
    const batch = [
      { externalId: 'C-1', lastName: 'Интегров', firstName: 'Иван', phone: '8 916 700-00-01', email: 'int@example.ru' },
      { externalId: 'C-2', type: 'LEGAL_ENTITY', organizationName: 'ООО «Интеграл»', inn: '7830002293' },
    ];
    const first = await upsertClients(batch);
    expect(first.errors).toBeUndefined();
    expect(first.data.upsertClients).toMatchObject({ created: 2, updated: 0, unchanged: 0, failed: 0 });
    const audits = await auditCount();
    const again = await upsertClients(batch);
    expect(again.data.upsertClients.results.map((r: any) => r.status)).toEqual(['UNCHANGED', 'UNCHANGED']);
    expect(again.data.upsertClients.results.map((r: any) => r.id)).toEqual(
      first.data.upsertClients.results.map((r: any) => r.id),
    );
    expect(await auditCount()).toBe(audits);
  });

  it('follows the matching rules: same id updates the rest, a free new phone is taken, another client’s phone fails that item only', async () => {
    await upsertClients([
      { externalId: 'M-1', lastName: 'Правилов', firstName: 'Пётр', phone: '+7 916 700-00-11' },
      { externalId: 'M-2', lastName: 'Чужой', firstName: 'Олег', phone: '+7 916 700-00-12' },
    ]);
    const result = await upsertClients([
      { externalId: 'M-1', lastName: 'Правилов', firstName: 'Пётр', phone: '+7 916 700-00-11', note: 'обновлено' },
      { externalId: 'M-1x', lastName: 'Икс', firstName: 'Игрек', phone: 'не телефон' },
      { externalId: 'M-2', lastName: 'Чужой', firstName: 'Олег', phone: '+7 916 700-00-11' },
      { externalId: 'M-2', lastName: 'Чужой', firstName: 'Олег', phone: '+7 916 700-00-99' },
    ]);
    const [same, invalid, conflict, repeated] = result.data.upsertClients.results;
    expect(same.status).toBe('UPDATED');
    expect(invalid).toMatchObject({
      status: 'FAILED',
      error: { code: 'BAD_USER_INPUT', fields: [{ path: 'items.1.phone' }] },
    });
    expect(conflict).toMatchObject({
      status: 'FAILED',
      error: { code: 'CONFLICT', fields: [{ path: 'items.2.phone' }] },
    });
    expect(conflict.error.message).toContain('Правилов');
    expect(repeated).toMatchObject({
      status: 'FAILED',
      error: { code: 'BAD_USER_INPUT', fields: [{ path: 'items.3.externalId' }] },
    });
    const newPhone = await upsertClients([
      { externalId: 'M-2', lastName: 'Чужой', firstName: 'Олег', phone: '+7 916 700-00-99' },
    ]);
    expect(newPhone.data.upsertClients.results[0].status).toBe('UPDATED');
    const card = await app.gql(
      `{ client(id: "${newPhone.data.upsertClients.results[0].id}") { phone } }`,
      {},
      org.adminToken,
    );
    expect(card.data.client.phone).toBe('+79167000099');
    const log = await app.gql(
      `{ auditLog(entityType: CLIENT, entityId: "${same.id}", first: 1) { edges { node { channel channelRef after } } } }`,
      {},
      org.adminToken,
    );
    expect(log.data.auditLog.edges[0].node).toEqual({
      channel: 'INTEGRATION',
      channelRef: 'billing',
      after: { note: 'обновлено' },
    });
  });

  it('merges a construction-space client into the operation card by the identity rule', async () => {
    const operation = await upsertClients([
      { externalId: 'OP-7', lastName: 'Двойкин', firstName: 'Денис', phone: '+7 916 700-00-21' },
    ]);
    const developerToken = (await factories(app, org).employee(EmployeeRole.ADMIN, { crmSpace: CrmSpace.CONSTRUCTION }))
      .token;
    expect(
      errorCode(await upsertClients([{ externalId: 'X', lastName: 'А', firstName: 'Б' }], developerToken, 'OPERATION')),
    ).toBe('FORBIDDEN');
    const construction = await upsertClients(
      [{ externalId: 'CRM-7', lastName: 'двойкин', firstName: 'денис', phone: '89167000021', birthDate: '1990-02-03' }],
      developerToken,
      'CONSTRUCTION',
    );
    expect(construction.data.upsertClients.results[0]).toMatchObject({
      status: 'UPDATED',
      id: operation.data.upsertClients.results[0].id,
    });
    const ids = await app.dataSource.query(`SELECT space, value FROM external_id WHERE entity_id = $1 ORDER BY space`, [
      construction.data.upsertClients.results[0].id,
    ]);
    expect(ids).toEqual([
      { space: 'CONSTRUCTION', value: 'CRM-7' },
      { space: 'OPERATION', value: 'OP-7' },
    ]);
  });

  it('upserts buildings, premises and accounts by identifiers and natural keys, idempotently', async () => {
    const run = (mutation: string, input: string, items: unknown[]) =>
      app.gql(
        `mutation($input: ${input}!) { ${mutation}(input: $input) { created updated unchanged failed results { status id error { code fields { path } } } } }`,
        { input: { space: 'OPERATION', system: 'billing', items } },
        org.adminToken,
      );
    const buildings = [
      {
        externalId: 'B-1',
        city: 'Москва',
        street: 'ул. Интеграции',
        house: '1',
        entrances: [{ number: 1, floors: 5 }],
      },
    ];
    const premises = [
      { externalId: 'P-1', buildingExternalId: 'B-1', number: '1', entrance: 1, floor: 1, area: '40.5' },
      { externalId: 'P-2', buildingExternalId: 'B-404', number: '2' },
    ];
    await upsertClients([{ externalId: 'OWN-1', lastName: 'Счетов', firstName: 'Семён', phone: '+7 916 700-00-31' }]);
    const accounts = [
      {
        externalId: 'L-1',
        number: '00077',
        premisesExternalId: 'P-1',
        ownerExternalId: 'OWN-1',
        paymentsEnabled: false,
      },
    ];

    expect((await run('upsertBuildings', 'UpsertBuildingsInput', buildings)).data.upsertBuildings).toMatchObject({
      created: 1,
      failed: 0,
    });
    const p = (await run('upsertPremises', 'UpsertPremisesInput', premises)).data.upsertPremises;
    expect(p).toMatchObject({ created: 1, failed: 1 });
    expect(p.results[1].error).toEqual({ code: 'NOT_FOUND', fields: [{ path: 'items.1.buildingExternalId' }] });
    const a = (await run('upsertAccounts', 'UpsertAccountsInput', accounts)).data.upsertAccounts;
    expect(a).toMatchObject({ created: 1, failed: 0 });

    expect(
      (await run('upsertBuildings', 'UpsertBuildingsInput', buildings)).data.upsertBuildings.results[0].status,
    ).toBe('UNCHANGED');
    expect(
      (await run('upsertPremises', 'UpsertPremisesInput', premises.slice(0, 1))).data.upsertPremises.results[0].status,
    ).toBe('UNCHANGED');
    expect((await run('upsertAccounts', 'UpsertAccountsInput', accounts)).data.upsertAccounts.results[0].status).toBe(
      'UNCHANGED',
    );
    const changed = (await run('upsertAccounts', 'UpsertAccountsInput', [{ ...accounts[0], closedOn: '2026-06-30' }]))
      .data.upsertAccounts;
    expect(changed.results[0].status).toBe('UPDATED');

    const card = await app.gql(
      `{ account(id: "${a.results[0].id}") { number status paymentsEnabled owner { fullName } externalIds { system value } premises { number area building { address } } } }`,
      {},
      org.adminToken,
    );
    expect(card.data.account).toEqual({
      number: '00077',
      status: 'CLOSED',
      paymentsEnabled: false,
      owner: { fullName: 'Счетов Семён' },
      externalIds: [{ system: 'billing', value: 'L-1' }],
      premises: { number: '1', area: '40.50', building: { address: 'Москва, ул. Интеграции, д. 1' } },
    });
    // Premises and buildings show their identifiers too, with their space; a construction colleague reads them, read-only.
    const builder = await factories(app, org).employee(EmployeeRole.MANAGER, { crmSpace: CrmSpace.CONSTRUCTION });
    const places = `{ account(id: "${a.results[0].id}") { premises { externalIds { space system value editable } building { externalIds { space system value editable } } } } }`;
    const byBuilder = (await app.gql(places, {}, builder.token)).data.account.premises;
    expect(byBuilder).toEqual({
      externalIds: [{ space: 'OPERATION', system: 'billing', value: 'P-1', editable: false }],
      building: { externalIds: [{ space: 'OPERATION', system: 'billing', value: 'B-1', editable: false }] },
    });
    expect((await app.gql(places, {}, org.adminToken)).data.account.premises.externalIds[0].editable).toBe(true);
    const accountLog = await app.gql(
      `{ auditLog(entityType: ACCOUNT, entityId: "${a.results[0].id}") { edges { node { action channel channelRef } } } }`,
      {},
      org.adminToken,
    );
    expect(accountLog.data.auditLog.edges.map((e: any) => e.node.action)).toEqual([
      'updated',
      'external_id_added',
      'created',
    ]);
    expect(
      accountLog.data.auditLog.edges.every(
        (e: any) => e.node.channel === 'INTEGRATION' && e.node.channelRef === 'billing',
      ),
    ).toBe(true);

    // A building that already exists under another writing of its address gets the identifier attached.
    const other = await run('upsertBuildings', 'UpsertBuildingsInput', [
      {
        externalId: 'B-1-alt',
        city: 'г. Москва',
        street: 'Интеграции ул',
        house: 'д. 1',
        entrances: [{ number: 1, floors: 5 }],
      },
    ]);
    expect(other.data.upsertBuildings.results[0]).toMatchObject({
      status: 'UPDATED',
      id: (await run('upsertBuildings', 'UpsertBuildingsInput', buildings)).data.upsertBuildings.results[0].id,
    });
  });

  it('deletes by identifier, refusing records others still refer to, and reports deletions in the change feed', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const created = await upsertClients([
      { externalId: 'D-1', lastName: 'Удалов', firstName: 'Дмитрий' },
      { externalId: 'D-2', lastName: 'Оставлов', firstName: 'Олег' },
    ]);
    const del = `mutation($input: DeleteByExternalIdInput!) { deleteByExternalId(input: $input) { deleted failed results { externalId status error { code } } } }`;
    const result = await app.gql(
      del,
      { input: { entityType: 'CLIENT', space: 'OPERATION', system: 'billing', externalIds: ['D-1', 'NOPE'] } },
      org.adminToken,
    );
    expect(result.data.deleteByExternalId.results).toEqual([
      { externalId: 'D-1', status: 'DELETED', error: null },
      { externalId: 'NOPE', status: 'FAILED', error: { code: 'NOT_FOUND' } },
    ]);
    const owner = await app.gql(
      del,
      { input: { entityType: 'CLIENT', space: 'OPERATION', system: 'billing', externalIds: ['OWN-1'] } },
      org.adminToken,
    );
    expect(owner.data.deleteByExternalId.results[0]).toEqual({
      externalId: 'OWN-1',
      status: 'FAILED',
      error: { code: 'CONFLICT' },
    });

    const feed = async (after?: string) =>
      (
        await app.gql(
          `query($since: DateTime!, $after: String) { changes(entityType: CLIENT, updatedSince: $since, first: 1, after: $after) { edges { node { entityId deleted client { fullName } } } pageInfo { hasNextPage endCursor } } }`,
          { since, after },
          org.adminToken,
        )
      ).data.changes;
    const seen: any[] = [];
    let page = await feed();
    seen.push(...page.edges.map((e: any) => e.node));
    while (page.pageInfo.hasNextPage) {
      page = await feed(page.pageInfo.endCursor);
      seen.push(...page.edges.map((e: any) => e.node));
    }
    const [deletedId, keptId] = created.data.upsertClients.results.map((r: any) => r.id);
    expect(seen).toEqual(
      expect.arrayContaining([
        { entityId: deletedId, deleted: true, client: null },
        { entityId: keptId, deleted: false, client: { fullName: 'Оставлов Олег' } },
      ]),
    );
    expect(new Set(seen.map((s) => `${s.entityId}:${s.deleted}`)).size).toBe(seen.length);
    // totalCount counts the whole feed since the moment, whichever page is read.
    const counted = await app.gql(
      `query($since: DateTime!) { changes(entityType: CLIENT, updatedSince: $since, first: 1) { totalCount edges { cursor } } }`,
      { since },
      org.adminToken,
    );
    expect(counted.errors).toBeUndefined();
    expect(counted.data.changes.totalCount).toBe(seen.length);
    const forged = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
    const bad = await app.gql(
      `{ changes(entityType: CLIENT, updatedSince: "${since}", after: "${forged}") { edges { cursor } } }`,
      {},
      org.adminToken,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });

  it('lets premises deleted in the CRM come back through the integration, and reports the deletion', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const upsert = () =>
      app.gql(
        `mutation { upsertPremises(input: { space: OPERATION, system: "billing", items: [{ externalId: "P-9", buildingExternalId: "B-1", number: "9" }] }) { results { status id } } }`,
        {},
        org.adminToken,
      );
    const first = (await upsert()).data.upsertPremises.results[0];
    expect(first.status).toBe('CREATED');
    await app.gql(`mutation { deletePremises(input: { id: "${first.id}" }) { deletedId } }`, {}, org.adminToken);
    const feed = await app.gql(
      `{ changes(entityType: PREMISES, updatedSince: "${since}") { edges { node { entityId deleted } } } }`,
      {},
      org.adminToken,
    );
    expect(feed.data.changes.edges.map((e: any) => e.node)).toEqual(
      expect.arrayContaining([{ entityId: first.id, deleted: true }]),
    );
    expect((await upsert()).data.upsertPremises.results[0].status).toBe('CREATED');
  });

  it('takes the documented maximum of 1,000 items in one request (about 190 kB of JSON) and answers each', async () => {
    const phone = (i: number) =>
      `+7 916 ${String(7_100_000 + i).slice(0, 3)}-${String(7_100_000 + i).slice(3, 5)}-${String(7_100_000 + i).slice(5, 7)}`;
    // Full-sized items; after the first, ten real ones, and the rest repeat an id (answered without a
    // transaction each: every item is its own transaction today, ~50 ms apiece on this machine).
    const items = Array.from({ length: 1000 }, (_, i) => ({
      externalId: i < 10 ? `BIG-${i}` : 'BIG-0',
      lastName: `Пакетов-${i}`,
      firstName: 'Максим',
      middleName: 'Сергеевич',
      phone: phone(i),
      email: `big-${i}@example.ru`,
    }));
    expect(
      JSON.stringify({ query: UPSERT_CLIENTS, variables: { input: { space: 'OPERATION', system: 'billing', items } } })
        .length,
    ).toBeGreaterThan(150_000);
    const result = await upsertClients(items);
    expect(result.errors).toBeUndefined();
    expect(result.data.upsertClients).toMatchObject({ created: 10, failed: 990 });
    expect(result.data.upsertClients.results).toHaveLength(1000);
    expect(result.data.upsertClients.results[999].error.fields[0].path).toBe('items.999.externalId');
  });

  it('is for admins: a manager gets FORBIDDEN; more than 1,000 items is refused whole', async () => {
    const manager = await addEmployee(app, org.organizationId, EmployeeRole.MANAGER);
    expect(
      errorCode(
        await upsertClients([{ externalId: 'Z', lastName: 'З', firstName: 'З' }], await login(app, manager.email)),
      ),
    ).toBe('FORBIDDEN');
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({
      externalId: `N-${i}`,
      lastName: 'Много',
      firstName: 'Много',
    }));
    const result = await upsertClients(tooMany);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.fields[0].path).toBe('input.items');
  });
});
