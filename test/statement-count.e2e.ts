import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

const PAGE = `query($first: Int) {
  premisesList(first: $first) {
    totalCount
    edges { node { id number name area building { id address entrances { number } referenceSheet { html updatedBy { email organization { name } } } } } }
  }
}`;

/** Seeds `count` premises, each in its own building, the worst case for the premises → building relation. */
async function seed(app: TestApp, organizationId: string, employeeId: string, count: number): Promise<void> {
  await app.dataSource.query(
    `WITH b AS (
       INSERT INTO building (organization_id, city, street, house, address_key, search_text, entrances, reference_sheet_html, reference_sheet_updated_by)
       SELECT $1, 'Москва', 'Счётная', g::text, 'москва|счетная|' || g || '|', 'москва, счетная, д. ' || g, '[]'::jsonb, '<p>x</p>', $2
         FROM generate_series(1, $3) g
       RETURNING id, house)
     INSERT INTO premises (organization_id, building_id, type, number, number_key, number_sort)
     SELECT $1, b.id, 'FLAT', b.house, b.house, lpad(b.house, 10, '0') FROM b`,
    [organizationId, employeeId, count],
  );
}

describe('DataLoader batching', () => {
  let app: TestApp;
  let org: TestOrganization;
  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
    await seed(app, org.organizationId, org.adminId, 100);
  });
  afterAll(() => app.close());

  it('lists 100 premises with their buildings for the same number of SQL statements as 10', async () => {
    let ten: any;
    let hundred: any;
    const tenCost = await app.countStatements(async () => (ten = await app.gql(PAGE, { first: 10 }, org.adminToken)));
    const hundredCost = await app.countStatements(async () => (hundred = await app.gql(PAGE, { first: 100 }, org.adminToken)));
    expect(ten.errors).toBeUndefined();
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data.premisesList.edges).toHaveLength(100);
    expect(new Set(hundred.data.premisesList.edges.map((e: any) => e.node.building.id)).size).toBe(100);
    expect(hundred.data.premisesList.edges[0].node.building.referenceSheet.updatedBy.email).toBe(org.adminEmail);
    // session check, count, page, buildings, employees (updatedBy), organizations
    expect(hundredCost).toBe(6);
    expect(hundredCost).toBe(tenCost);
  });
});
