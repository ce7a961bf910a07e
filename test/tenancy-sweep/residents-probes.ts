import { errorCode, TestApp } from '../support/test-app';
import { Probe } from './probe';

/** The resident app: sign-in by SMS code and registration requests. */
export function residentsProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.registrationRequests': {
      kind: 'list',
      run: (t) => gql(`{ registrationRequests(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.registrationRequests.edges.map((e: any) => e.node.id),
    },
    'Mutation.approveRegistration': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { approveRegistration(input: { id: "${a.registrationRequestId}", role: OWNER, premisesId: "${a.premisesId}" }) { request { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.rejectRegistration': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { rejectRegistration(input: { id: "${a.registrationRequestId}", reason: "x" }) { request { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.commentRegistration': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { commentRegistration(input: { id: "${a.registrationRequestId}", comment: "x" }) { request { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.requestSignInCode': {
      kind: 'own',
      run: async () =>
        expect(
          (await gql(`mutation { requestSignInCode(input: { phone: "8 916 555-00-11" }) { phone } }`)).data
            .requestSignInCode.phone,
        ).toBe('+79165550011'),
    },
    'Mutation.signIn': {
      kind: 'own',
      run: async () =>
        expect(
          errorCode(
            await gql(`mutation { signIn(input: { phone: "8 916 555-00-11", code: "000000" }) { accessToken } }`),
          ),
        ).toBe('UNAUTHENTICATED'),
    },
  };
}
