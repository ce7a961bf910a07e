import type { TestApp } from '../support/test-app';
import { Probe, fixtureRef } from './probe';

/** Tags and external ids of client cards, and the audit log. */
export function clientLabelsProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.tags': {
      kind: 'list',
      run: (t) => gql(`{ tags(prefix: "свип") { id } }`, {}, t),
      ids: (r) => r.data.tags.map((tag: any) => tag.id),
    },
    'Query.auditLog': {
      kind: 'list',
      run: (t) =>
        gql(
          `{ auditLog(entityType: CLIENT, entityId: "${fixtureRef.current!.clientId}", first: 100) { edges { node { entityId } } } }`,
          {},
          t,
        ),
      ids: (r) => r.data.auditLog.edges.map((e: any) => e.node.entityId),
    },
    'Mutation.addClientTag': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { addClientTag(input: { clientId: "${a.clientId}", tagName: "чужая" }) { client { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.removeClientTag': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { removeClientTag(input: { clientId: "${a.clientId}", tagId: "${a.tagId}" }) { client { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.addExternalId': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { addExternalId(input: { clientId: "${a.clientId}", space: OPERATION, system: "1С", value: "X" }) { externalId { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.updateExternalId': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { updateExternalId(input: { id: "${a.externalIdId}", note: "x" }) { externalId { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.removeExternalId': {
      kind: 'foreign-id',
      run: (t, a) => gql(`mutation { removeExternalId(input: { id: "${a.externalIdId}" }) { removedId } }`, {}, t),
    },
  };
}
