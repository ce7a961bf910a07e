import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createOrganization, errorCode, GraphqlResult, startTestApp, TestApp, TestOrganization } from './support/test-app';
import { addEmployee } from './support/test-app';
import { EmployeeRole } from '../src/organizations/role';

/** What organization A owns; organization B's admin probes every operation with these ids. */
interface Fixture {
  buildingId: string;
  premisesId: string;
  employeeId: string;
  categoryId: string;
}

type Probe =
  /** Called with A's ids by B: must answer NOT_FOUND. */
  | { kind: 'foreign-id'; run: (b: string, a: Fixture) => Promise<GraphqlResult> }
  /** A list read by B: none of A's ids may appear. */
  | { kind: 'list'; run: (b: string) => Promise<GraphqlResult>; ids: (result: GraphqlResult) => string[] }
  /** Acts only on the caller (me, logout, login): checked to return the caller's own data. */
  | { kind: 'own'; run: (b: string, org: TestOrganization) => Promise<void> };

function probes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.building': { kind: 'foreign-id', run: (t, a) => gql(`{ building(id: "${a.buildingId}") { id } }`, {}, t) },
    'Query.buildings': {
      kind: 'list',
      run: (t) => gql(`{ buildings(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.buildings.edges.map((e: any) => e.node.id),
    },
    'Query.premises': { kind: 'foreign-id', run: (t, a) => gql(`{ premises(id: "${a.premisesId}") { id } }`, {}, t) },
    'Query.premisesList': {
      kind: 'list',
      run: (t) => gql(`{ premisesList(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.premisesList.edges.map((e: any) => e.node.id),
    },
    'Query.employee': { kind: 'foreign-id', run: (t, a) => gql(`{ employee(id: "${a.employeeId}") { id } }`, {}, t) },
    'Query.employees': {
      kind: 'list',
      run: (t) => gql(`{ employees(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.employees.edges.map((e: any) => e.node.id),
    },
    'Query.me': {
      kind: 'own',
      run: async (t, org) => expect((await gql(`{ me { id organization { id } } }`, {}, t)).data.me).toEqual({ id: org.adminId, organization: { id: org.organizationId } }),
    },
    'Mutation.login': {
      kind: 'own',
      run: async (_t, org) => {
        const result = await gql(`mutation { login(input: { email: "${org.adminEmail}", password: "correct-horse-battery" }) { employee { organization { id } } } }`);
        expect(result.data.login.employee.organization.id).toBe(org.organizationId);
      },
    },
    'Mutation.logout': { kind: 'own', run: async () => undefined /* covered by auth.e2e: revokes only the caller's own session */ },
    'Mutation.createBuilding': {
      kind: 'own',
      run: async (t, org) => {
        const r = await gql(`mutation { createBuilding(input: { city: "Тверь", street: "Сквозная", house: "1" }) { building { id } } }`, {}, t);
        const [row] = await app.dataSource.query(`SELECT organization_id FROM building WHERE id = $1`, [r.data.createBuilding.building.id]);
        expect(row.organization_id).toBe(org.organizationId);
      },
    },
    'Mutation.updateBuilding': { kind: 'foreign-id', run: (t, a) => gql(`mutation { updateBuilding(input: { id: "${a.buildingId}", house: "99" }) { building { id } } }`, {}, t) },
    'Mutation.updateReferenceSheet': {
      kind: 'foreign-id',
      run: (t, a) => gql(`mutation { updateReferenceSheet(input: { buildingId: "${a.buildingId}", html: "<p>hijack</p>" }) { building { id } } }`, {}, t),
    },
    'Mutation.createPremises': {
      kind: 'foreign-id',
      run: (t, a) => gql(`mutation { createPremises(input: { buildingId: "${a.buildingId}", number: "666" }) { premises { id } } }`, {}, t),
    },
    'Mutation.updatePremises': { kind: 'foreign-id', run: (t, a) => gql(`mutation { updatePremises(input: { id: "${a.premisesId}", number: "666" }) { premises { id } } }`, {}, t) },
    'Mutation.deletePremises': { kind: 'foreign-id', run: (t, a) => gql(`mutation { deletePremises(input: { id: "${a.premisesId}" }) { deletedId } }`, {}, t) },
    'Mutation.createEmployee': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { employee { id } } }`,
          { input: { email: `sweep-${Date.now()}@test.local`, password: 'long-enough-password', fullName: 'X', role: 'TECHNICIAN', specializationIds: [a.categoryId] } },
          t,
        ),
    },
    'Mutation.updateEmployee': { kind: 'foreign-id', run: (t, a) => gql(`mutation { updateEmployee(input: { id: "${a.employeeId}", blocked: true }) { employee { id } } }`, {}, t) },
  };
}

async function snapshot(app: TestApp, organizationId: string): Promise<string> {
  const tables = ['building', 'premises', 'employee', 'employee_specialization', 'ticket_category'];
  const rows = await Promise.all(
    tables.map((table) => app.dataSource.query(`SELECT to_jsonb(t) - 'updated_at' AS row FROM ${table} t WHERE organization_id = $1 ORDER BY 1::text`, [organizationId])),
  );
  return JSON.stringify(rows);
}

describe('tenancy sweep over every query and mutation of the schema', () => {
  let app: TestApp;
  let a: TestOrganization;
  let b: TestOrganization;
  let fixture: Fixture;

  beforeAll(async () => {
    app = await startTestApp();
    a = await createOrganization(app);
    b = await createOrganization(app);
    const building = await app.gql(`mutation { createBuilding(input: { city: "Москва", street: "Тенантная", house: "1", referenceSheet: "<p>A</p>" }) { building { id } } }`, {}, a.adminToken);
    const buildingId = building.data.createBuilding.building.id;
    const premises = await app.gql(`mutation { createPremises(input: { buildingId: "${buildingId}", number: "1" }) { premises { id } } }`, {}, a.adminToken);
    const employee = await addEmployee(app, a.organizationId, EmployeeRole.DISPATCHER);
    const [category] = await app.dataSource.query(`INSERT INTO ticket_category (organization_id, name) VALUES ($1, 'Лифт') RETURNING id`, [a.organizationId]);
    fixture = { buildingId, premisesId: premises.data.createPremises.premises.id, employeeId: employee.id, categoryId: category.id };
  });
  afterAll(() => app.close());

  it('has a probe for every operation the schema exposes', () => {
    const schema = app.server.app.get(GraphQLSchemaHost).schema;
    const operations = [
      ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()!.getFields()).map((f) => `Mutation.${f}`),
    ].sort();
    expect(Object.keys(probes(app)).sort()).toEqual(operations);
  });

  it("answers NOT_FOUND for another organization's ids, hides its rows from lists, and changes none of them", async () => {
    const before = await snapshot(app, a.organizationId);
    const aIds = new Set(Object.values(fixture));
    for (const [operation, probe] of Object.entries(probes(app))) {
      if (probe.kind === 'foreign-id') {
        const result = await probe.run(b.adminToken, fixture);
        expect({ operation, code: errorCode(result) }).toEqual({ operation, code: 'NOT_FOUND' });
      } else if (probe.kind === 'list') {
        const result = await probe.run(b.adminToken);
        expect({ operation, errors: result.errors }).toEqual({ operation, errors: undefined });
        expect({ operation, leaked: probe.ids(result).filter((id) => aIds.has(id)) }).toEqual({ operation, leaked: [] });
      } else {
        await probe.run(b.adminToken, b);
      }
    }
    expect(await snapshot(app, a.organizationId)).toBe(before);
  });
});
