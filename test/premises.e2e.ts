import { randomUUID } from 'node:crypto';
import {
  addEmployee,
  createOrganization,
  errorCode,
  login,
  startTestApp,
  TestApp,
  TestOrganization,
} from './support/test-app';
import { EmployeeRole } from '../src/kernel/role';

const CREATE_BUILDING = `mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { building { id address city street house block postalIndex entrances { number floors } referenceSheet { html updatedAt } } } }`;
const CREATE_PREMISES = `mutation($input: CreatePremisesInput!) { createPremises(input: $input) { premises { id number type area entrance floor rooms name building { id } } } }`;
const LIST = `query($filter: PremisesFilter, $first: Int, $after: String) {
  premisesList(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { number type } } }
}`;

async function building(app: TestApp, org: TestOrganization, overrides: Record<string, unknown> = {}) {
  const result = await app.gql(
    CREATE_BUILDING,
    {
      input: {
        city: 'Москва',
        street: `ул. Тестовая ${randomUUID().slice(0, 6)}`,
        house: '1',
        entrances: [
          { number: 1, floors: 9 },
          { number: 2, floors: 9 },
        ],
        ...overrides,
      },
    },
    org.adminToken,
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createBuilding.building;
}

async function premisesCount(app: TestApp, organizationId: string): Promise<number> {
  const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM premises WHERE organization_id = $1`, [
    organizationId,
  ]);
  return row.n;
}

describe('buildings and premises', () => {
  let app: TestApp;
  let org: TestOrganization;
  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  it('creates a building with entrances and a sanitized reference sheet', async () => {
    const created = await building(app, org, {
      street: 'ул. Ленина',
      house: '5',
      block: '2',
      postalIndex: '125000',
      referenceSheet:
        '<h2>Аварийная</h2><p onclick="steal()">104</p><script>alert(1)</script><a href="javascript:alert(1)">x</a><a href="tel:+74950000000">звонок</a>',
    });
    expect(created.address).toBe('Москва, ул. Ленина, д. 5, корп. 2');
    expect(created.entrances).toEqual([
      { number: 1, floors: 9 },
      { number: 2, floors: 9 },
    ]);
    const html: string = created.referenceSheet.html;
    expect(html).toContain('<h2>Аварийная</h2>');
    expect(html).toContain('<p>104</p>');
    expect(html).toContain('href="tel:+74950000000"');
    expect(html).not.toMatch(/script|onclick|javascript:/);
    expect(created.referenceSheet.updatedAt).not.toBeNull();
  });

  it('treats differently written addresses of one building as the same (CONFLICT, nothing written)', async () => {
    const street = `Тестовая-${randomUUID().slice(0, 6)}`;
    await building(app, org, { street: `ул. ${street}`, house: '7', block: '1' });
    const duplicate = await app.gql(
      CREATE_BUILDING,
      { input: { city: 'г. Москва', street: `улица ${street}`, house: 'д. 7', block: 'корп. 1' } },
      org.adminToken,
    );
    expect(errorCode(duplicate)).toBe('CONFLICT');
    const [row] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM building WHERE organization_id = $1 AND street ILIKE $2`,
      [org.organizationId, `%${street}%`],
    );
    expect(row.n).toBe(1);
  });

  it('updates the reference sheet with an optimistic version check', async () => {
    const b = await building(app, org, { referenceSheet: '<p>v1</p>' });
    const update = `mutation($input: UpdateReferenceSheetInput!) { updateReferenceSheet(input: $input) { building { referenceSheet { html updatedAt updatedBy { id } } } } }`;
    const dispatcher = await addEmployee(app, org.organizationId, EmployeeRole.DISPATCHER);
    const token = await login(app, dispatcher.email);
    const ok = await app.gql(
      update,
      { input: { buildingId: b.id, html: '<p>v2</p>', expectedUpdatedAt: b.referenceSheet.updatedAt } },
      token,
    );
    expect(ok.data.updateReferenceSheet.building.referenceSheet).toMatchObject({
      html: '<p>v2</p>',
      updatedBy: { id: dispatcher.id },
    });
    const stale = await app.gql(
      update,
      { input: { buildingId: b.id, html: '<p>v3</p>', expectedUpdatedAt: b.referenceSheet.updatedAt } },
      token,
    );
    expect(errorCode(stale)).toBe('CONFLICT');
    const current = await app.gql(
      `query($id: ID!) { building(id: $id) { referenceSheet { html } } }`,
      { id: b.id },
      token,
    );
    expect(current.data.building.referenceSheet.html).toBe('<p>v2</p>');
  });

  it('creates premises with an exact decimal area and a display name', async () => {
    const b = await building(app, org);
    const result = await app.gql(
      CREATE_PREMISES,
      { input: { buildingId: b.id, number: '12А', area: '54,30', entrance: 1, floor: 3, rooms: 2 } },
      org.adminToken,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.createPremises.premises).toMatchObject({
      number: '12А',
      type: 'FLAT',
      area: '54.30',
      entrance: 1,
      floor: 3,
      rooms: 2,
      building: { id: b.id },
    });
    expect(result.data.createPremises.premises.name).toBe(`${b.address}, кв. 12А`);
    const [row] = await app.dataSource.query(`SELECT area::text FROM premises WHERE id = $1`, [
      result.data.createPremises.premises.id,
    ]);
    expect(row.area).toBe('54.30');
  });

  it('rejects a premises number that already exists in any writing (CONFLICT) and writes nothing', async () => {
    const b = await building(app, org);
    await app.gql(CREATE_PREMISES, { input: { buildingId: b.id, number: '12А' } }, org.adminToken);
    const before = await premisesCount(app, org.organizationId);
    for (const number of ['12а', '12 A', 'кв. 12-А']) {
      const duplicate = await app.gql(CREATE_PREMISES, { input: { buildingId: b.id, number } }, org.adminToken);
      expect(errorCode(duplicate)).toBe('CONFLICT');
      expect(duplicate.errors![0].extensions!.fields).toEqual([expect.objectContaining({ path: 'input.number' })]);
    }
    expect(await premisesCount(app, org.organizationId)).toBe(before);
    // The same number of another type is another premises.
    const parking = await app.gql(
      CREATE_PREMISES,
      { input: { buildingId: b.id, number: '12А', type: 'PARKING' } },
      org.adminToken,
    );
    expect(parking.errors).toBeUndefined();
  });

  it('answers concurrent creation of the same number with one success and CONFLICTs', async () => {
    const b = await building(app, org);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        app.gql(CREATE_PREMISES, { input: { buildingId: b.id, number: '77' } }, org.adminToken),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(4);
  });

  it('rejects an unknown building id with NOT_FOUND on input.buildingId and writes nothing', async () => {
    const before = await premisesCount(app, org.organizationId);
    for (const buildingId of [randomUUID(), 'not-a-uuid']) {
      const result = await app.gql(CREATE_PREMISES, { input: { buildingId, number: '1' } }, org.adminToken);
      expect(errorCode(result)).toBe('NOT_FOUND');
      expect(result.errors![0].message).toContain('Дом не найден');
      expect(result.errors![0].extensions!.fields).toEqual([expect.objectContaining({ path: 'input.buildingId' })]);
    }
    expect(await premisesCount(app, org.organizationId)).toBe(before);
  });

  it('lists every invalid field at once, in Russian with an English twin', async () => {
    const b = await building(app, org);
    const result = await app.gql(
      CREATE_PREMISES,
      { input: { buildingId: b.id, number: '--', rooms: -1, floor: 500, cadastralNumber: '123' } },
      org.adminToken,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    const fields = result.errors![0].extensions!.fields as { path: string; message: string; messageEn: string }[];
    expect(fields.map((f) => f.path).sort()).toEqual([
      'input.cadastralNumber',
      'input.floor',
      'input.number',
      'input.rooms',
    ]);
    for (const field of fields) {
      expect(field.message).toMatch(/[а-я]/);
      expect(field.messageEn).toMatch(/^[\x20-\x7E–]+$/);
    }
  });

  it('checks entrance and floor against the building', async () => {
    const b = await building(app, org);
    const noEntrance = await app.gql(
      CREATE_PREMISES,
      { input: { buildingId: b.id, number: '5', entrance: 3 } },
      org.adminToken,
    );
    expect(noEntrance.errors![0].extensions!.fields[0]).toMatchObject({ path: 'input.entrance' });
    const tooHigh = await app.gql(
      CREATE_PREMISES,
      { input: { buildingId: b.id, number: '5', entrance: 1, floor: 10 } },
      org.adminToken,
    );
    expect(tooHigh.errors![0].extensions!.fields[0]).toMatchObject({ path: 'input.floor' });
    const badArea = await app.gql(
      CREATE_PREMISES,
      { input: { buildingId: b.id, number: '5', area: '12.345' } },
      org.adminToken,
    );
    expect(errorCode(badArea)).toBe('BAD_USER_INPUT');
    expect(badArea.errors![0].extensions!.fields[0].path).toBe('input.area');
  });

  it('pages premises in natural number order with keyset cursors', async () => {
    const b = await building(app, org);
    const numbers = ['10', '2', '1', '10А', '3', '100', '20', 'П-3', '9', '11'];
    for (const number of numbers)
      await app.gql(CREATE_PREMISES, { input: { buildingId: b.id, number } }, org.adminToken);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = await app.gql(LIST, { filter: { buildingId: b.id }, first: 3, after }, org.adminToken);
      expect(page.data.premisesList.totalCount).toBe(numbers.length);
      seen.push(...page.data.premisesList.edges.map((e: any) => e.node.number));
      after = page.data.premisesList.pageInfo.hasNextPage ? page.data.premisesList.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(4);
    expect(seen).toEqual(['1', '2', '3', '9', '10', '10А', '11', '20', '100', 'П-3']);
  });

  it('rejects a malformed cursor and an oversized page with BAD_USER_INPUT', async () => {
    expect(errorCode(await app.gql(LIST, { after: 'garbage' }, org.adminToken))).toBe('BAD_USER_INPUT');
    const big = await app.gql(LIST, { first: 1000 }, org.adminToken);
    expect(errorCode(big)).toBe('BAD_USER_INPUT');
    expect(big.errors![0].extensions!.fields[0].path).toBe('first');
  });

  it('finds premises by number and by address words', async () => {
    // Letters only: a street named with digits ("Поисковая12a4") would rightly match the word "12" by address.
    const street = `Поисковая${randomUUID()
      .slice(0, 4)
      .replace(/[0-9]/g, (digit) => 'абвгдежзик'[Number(digit)])}`;
    const b = await building(app, org, { street: `ул. ${street}`, house: '15' });
    for (const number of ['12', '120', '7'])
      await app.gql(CREATE_PREMISES, { input: { buildingId: b.id, number } }, org.adminToken);
    const byAddress = await app.gql(LIST, { filter: { search: `${street} 15 кв. 12` } }, org.adminToken);
    expect(byAddress.data.premisesList.edges.map((e: any) => e.node.number)).toEqual(['12', '120']);
    const byStreet = await app.gql(LIST, { filter: { search: street.toLowerCase() } }, org.adminToken);
    expect(byStreet.data.premisesList.totalCount).toBe(3);
    const byType = await app.gql(LIST, { filter: { buildingId: b.id, type: 'PARKING' } }, org.adminToken);
    expect(byType.data.premisesList.totalCount).toBe(0);
  });

  it('updates and deletes premises; a viewer may read but not write', async () => {
    const b = await building(app, org);
    const created = await app.gql(CREATE_PREMISES, { input: { buildingId: b.id, number: '40' } }, org.adminToken);
    const id = created.data.createPremises.premises.id;
    const viewer = await addEmployee(app, org.organizationId, EmployeeRole.VIEWER);
    const viewerToken = await login(app, viewer.email);
    const denied = await app.gql(
      `mutation { updatePremises(input: { id: "${id}", number: "41" }) { premises { number } } }`,
      {},
      viewerToken,
    );
    expect(errorCode(denied)).toBe('FORBIDDEN');
    const read = await app.gql(`{ premises(id: "${id}") { number } }`, {}, viewerToken);
    expect(read.data.premises.number).toBe('40');

    const updated = await app.gql(
      `mutation { updatePremises(input: { id: "${id}", number: "41", area: 33.5 }) { premises { number area } } }`,
      {},
      org.adminToken,
    );
    expect(updated.data.updatePremises.premises).toEqual({ number: '41', area: '33.5' });
    const deleted = await app.gql(
      `mutation { deletePremises(input: { id: "${id}" }) { deletedId } }`,
      {},
      org.adminToken,
    );
    expect(deleted.data.deletePremises.deletedId).toBe(id);
    expect(errorCode(await app.gql(`{ premises(id: "${id}") { number } }`, {}, org.adminToken))).toBe('NOT_FOUND');
  });
});
