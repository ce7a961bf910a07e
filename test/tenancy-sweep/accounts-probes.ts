import type { TestApp } from '../support/test-app';
import { Probe } from './probe';

/** Personal accounts and who lives where. */
export function accountsProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.account': { kind: 'foreign-id', run: (t, a) => gql(`{ account(id: "${a.accountId}") { id } }`, {}, t) },
    'Query.accounts': {
      kind: 'list',
      run: (t) => gql(`{ accounts(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.accounts.edges.map((e: any) => e.node.id),
    },
    'Mutation.attachClientToPremises': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { attachClientToPremises(input: { clientId: "${a.clientId}", premisesId: "${a.premisesId}", role: OWNER }) { occupancy { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.detachClientFromPremises': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { detachClientFromPremises(input: { clientId: "${a.clientId}", premisesId: "${a.premisesId}" }) { clientId } }`,
          {},
          t,
        ),
    },
    'Mutation.createAccount': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { createAccount(input: { number: "SWEEP-1", premisesId: "${a.premisesId}" }) { account { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.updateAccount': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { updateAccount(input: { id: "${a.accountId}", paymentsEnabled: false }) { account { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.closeAccount': {
      kind: 'foreign-id',
      run: (t, a) => gql(`mutation { closeAccount(input: { id: "${a.accountId}" }) { account { id } } }`, {}, t),
    },
  };
}
