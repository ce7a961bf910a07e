import type { TestApp } from '../support/test-app';
import { Probe, fixtureRef } from './probe';

/** Bulk upserts by external id and the change feed. */
export function integrationProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Mutation.upsertClients': {
      kind: 'own',
      run: async (t, org) => {
        // A's identifier value in B's call: B gets its own client, A's card is untouched.
        const r = await gql(
          `mutation { upsertClients(input: { space: OPERATION, system: "1С", items: [{ externalId: "A-1", lastName: "Свипов", firstName: "Пётр", phone: "+7 916 111-22-33" }] }) { results { status id } } }`,
          {},
          t,
        );
        const [row] = await app.dataSource.query(`SELECT organization_id FROM client WHERE id = $1`, [
          r.data.upsertClients.results[0].id,
        ]);
        expect(row.organization_id).toBe(org.organizationId);
      },
    },
    'Mutation.upsertBuildings': {
      kind: 'own',
      run: async (t, org) => {
        const r = await gql(
          `mutation { upsertBuildings(input: { space: OPERATION, system: "1С", items: [{ externalId: "B-1", city: "Москва", street: "Тенантная", house: "1" }] }) { results { status id } } }`,
          {},
          t,
        );
        expect(r.data.upsertBuildings.results[0].status).toBe('CREATED'); // A's building at this address stays A's
        const [row] = await app.dataSource.query(`SELECT organization_id FROM building WHERE id = $1`, [
          r.data.upsertBuildings.results[0].id,
        ]);
        expect(row.organization_id).toBe(org.organizationId);
      },
    },
    'Mutation.upsertPremises': {
      kind: 'own',
      run: async (t) => {
        const r = await gql(
          `mutation { upsertPremises(input: { space: OPERATION, system: "1С", items: [{ externalId: "P-1", buildingId: "${fixtureRef.current!.buildingId}", number: "5" }] }) { results { status error { code } } } }`,
          {},
          t,
        );
        expect(r.data.upsertPremises.results[0]).toEqual({ status: 'FAILED', error: { code: 'NOT_FOUND' } });
      },
    },
    'Mutation.upsertAccounts': {
      kind: 'own',
      run: async (t) => {
        const r = await gql(
          `mutation { upsertAccounts(input: { space: OPERATION, system: "1С", items: [{ externalId: "L-1", number: "A-0001", premisesId: "${fixtureRef.current!.premisesId}" }] }) { results { status error { code } } } }`,
          {},
          t,
        );
        expect(r.data.upsertAccounts.results[0]).toEqual({ status: 'FAILED', error: { code: 'NOT_FOUND' } });
      },
    },
    'Mutation.deleteByExternalId': {
      kind: 'own',
      run: async (t) => {
        const r = await gql(
          `mutation { deleteByExternalId(input: { entityType: CLIENT, space: OPERATION, system: "1С", externalIds: ["A-1-missing"] }) { results { status error { code } } } }`,
          {},
          t,
        );
        expect(r.data.deleteByExternalId.results[0]).toEqual({ status: 'FAILED', error: { code: 'NOT_FOUND' } });
      },
    },
    'Query.changes': {
      kind: 'list',
      run: (t) =>
        gql(
          `{ changes(entityType: CLIENT, updatedSince: "2000-01-01T00:00:00Z", first: 100) { edges { node { entityId } } } }`,
          {},
          t,
        ),
      ids: (r) => r.data.changes.edges.map((e: any) => e.node.entityId),
    },
  };
}
