import type { TestApp } from '../support/test-app';
import { Probe } from './probe';

/** Client cards. */
export function clientsProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.client': { kind: 'foreign-id', run: (t, a) => gql(`{ client(id: "${a.clientId}") { id } }`, {}, t) },
    'Query.clients': {
      kind: 'list',
      run: (t) => gql(`{ clients(first: 100, filter: { phone: "9161112233" }) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.clients.edges.map((e: any) => e.node.id),
    },
    'Mutation.createClient': {
      kind: 'own',
      run: async (t, org) => {
        // Same name and phone as A's client: the identity rule must not reach across organizations.
        const r = await gql(
          `mutation { createClient(input: { lastName: "Свипов", firstName: "Пётр", phone: "8 916 111-22-33" }) { merged client { id } } }`,
          {},
          t,
        );
        expect(r.data.createClient.merged).toBe(false);
        const [row] = await app.dataSource.query(`SELECT organization_id FROM client WHERE id = $1`, [
          r.data.createClient.client.id,
        ]);
        expect(row.organization_id).toBe(org.organizationId);
      },
    },
    'Mutation.updateClient': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`mutation { updateClient(input: { id: "${a.clientId}", note: "x" }) { client { id } } }`, {}, t),
    },
    'Mutation.blockClient': {
      kind: 'foreign-id',
      run: (t, a) => gql(`mutation { blockClient(input: { id: "${a.clientId}" }) { client { id } } }`, {}, t),
    },
    'Mutation.unblockClient': {
      kind: 'foreign-id',
      run: (t, a) => gql(`mutation { unblockClient(input: { id: "${a.clientId}" }) { client { id } } }`, {}, t),
    },
    'Mutation.changeClientPhone': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { changeClientPhone(input: { id: "${a.clientId}", phone: "+79160000000" }) { client { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.mergeClients': {
      kind: 'foreign-id',
      run: async (t, a) => {
        const own = await gql(
          `mutation { createClient(input: { lastName: "Своя", firstName: "Карточка" }) { client { id } } }`,
          {},
          t,
        );
        return gql(
          `mutation { mergeClients(input: { targetId: "${own.data.createClient.client.id}", sourceId: "${a.clientId}" }) { removedClientId } }`,
          {},
          t,
        );
      },
    },
  };
}
