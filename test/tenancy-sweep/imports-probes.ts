import type { TestApp } from '../support/test-app';
import { Probe, firstOfSubscription } from './probe';

/** Registry import jobs. */
export function importsProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.importJob': {
      kind: 'foreign-id',
      run: (t, a) => gql(`{ importJob(id: "${a.importJobId}") { id } }`, {}, t),
    },
    'Query.importJobs': {
      kind: 'list',
      run: (t) => gql(`{ importJobs(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.importJobs.edges.map((e: any) => e.node.id),
    },
    'Mutation.cancelImport': {
      kind: 'foreign-id',
      run: (t, a) => gql(`mutation { cancelImport(input: { id: "${a.importJobId}" }) { job { id } } }`, {}, t),
    },
    'Subscription.importJobProgress': {
      kind: 'foreign-id',
      run: (t, a) =>
        firstOfSubscription(app, t, `subscription { importJobProgress(id: "${a.importJobId}") { id status } }`),
    },
  };
}
