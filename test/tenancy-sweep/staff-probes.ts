import type { TestApp } from '../support/test-app';
import { Probe } from './probe';

/** Staff: sign-in and employees. */
export function staffProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.employee': { kind: 'foreign-id', run: (t, a) => gql(`{ employee(id: "${a.employeeId}") { id } }`, {}, t) },
    'Query.employees': {
      kind: 'list',
      run: (t) => gql(`{ employees(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.employees.edges.map((e: any) => e.node.id),
    },
    'Query.me': {
      kind: 'own',
      run: async (t, org) =>
        expect((await gql(`{ me { id organization { id } } }`, {}, t)).data.me).toEqual({
          id: org.adminId,
          organization: { id: org.organizationId },
        }),
    },
    // Installation-wide counts with no organization's rows in them; admins only (test/queue-dashboard.e2e.ts).
    'Mutation.login': {
      kind: 'own',
      run: async (_t, org) => {
        const result = await gql(
          `mutation { login(input: { email: "${org.adminEmail}", password: "correct-horse-battery" }) { employee { organization { id } } } }`,
        );
        expect(result.data.login.employee.organization.id).toBe(org.organizationId);
      },
    },
    'Mutation.logout': {
      kind: 'own',
      run: async () => undefined /* covered by auth.e2e: revokes only the caller's own session */,
    },
    'Mutation.createEmployee': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { employee { id } } }`,
          {
            input: {
              email: `sweep-${Date.now()}@test.local`,
              password: 'long-enough-password',
              fullName: 'X',
              role: 'TECHNICIAN',
              specializationIds: [a.categoryId],
            },
          },
          t,
        ),
    },
    'Mutation.updateEmployee': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`mutation { updateEmployee(input: { id: "${a.employeeId}", blocked: true }) { employee { id } } }`, {}, t),
    },
  };
}
