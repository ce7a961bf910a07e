import type { TestApp } from '../support/test-app';
import { Probe } from './probe';

/** Buildings and premises. */
export function registryProbes(app: TestApp): Record<string, Probe> {
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
    'Mutation.createBuilding': {
      kind: 'own',
      run: async (t, org) => {
        const r = await gql(
          `mutation { createBuilding(input: { city: "Тверь", street: "Сквозная", house: "1" }) { building { id } } }`,
          {},
          t,
        );
        const [row] = await app.dataSource.query(`SELECT organization_id FROM building WHERE id = $1`, [
          r.data.createBuilding.building.id,
        ]);
        expect(row.organization_id).toBe(org.organizationId);
      },
    },
    'Mutation.updateBuilding': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`mutation { updateBuilding(input: { id: "${a.buildingId}", house: "99" }) { building { id } } }`, {}, t),
    },
    'Mutation.updateReferenceSheet': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { updateReferenceSheet(input: { buildingId: "${a.buildingId}", html: "<p>hijack</p>" }) { building { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.createPremises': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { createPremises(input: { buildingId: "${a.buildingId}", number: "666" }) { premises { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.updatePremises': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`mutation { updatePremises(input: { id: "${a.premisesId}", number: "666" }) { premises { id } } }`, {}, t),
    },
    'Mutation.deletePremises': {
      kind: 'foreign-id',
      run: (t, a) => gql(`mutation { deletePremises(input: { id: "${a.premisesId}" }) { deletedId } }`, {}, t),
    },
  };
}
