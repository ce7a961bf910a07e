import { errorCode, TestApp } from '../support/test-app';
import { Probe, fixtureRef } from './probe';

/** The organization's settings and the installation's job queues. */
export function organizationProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.jobQueues': {
      kind: 'own',
      run: async (t) =>
        expect((await gql(`{ jobQueues { name } }`, {}, t)).data.jobQueues.map((q: any) => q.name)).toEqual([
          'housekeeping',
          'imports',
          'notifications',
        ]),
    },
    'Mutation.updateOrganizationSettings': {
      kind: 'own',
      run: async (t, org) => {
        const r = await gql(
          `mutation { updateOrganizationSettings(input: { selfRegistrationEnabled: false }) { organization { id selfRegistrationEnabled } } }`,
          {},
          t,
        );
        expect(r.data.updateOrganizationSettings.organization).toEqual({
          id: org.organizationId,
          selfRegistrationEnabled: false,
        });
        const [owner] = await app.dataSource.query(
          `SELECT o.self_registration_enabled AS enabled FROM organization o JOIN building b ON b.organization_id = o.id WHERE b.id = $1`,
          [fixtureRef.current!.buildingId],
        );
        expect(owner.enabled).toBe(true);
      },
    },
    // The resident realm belongs to no organization: a staff token is refused, whatever its organization.
    ...Object.fromEntries(
      [
        ['Query.myPremises', `{ myPremises { premisesId } }`],
        ['Query.myRegistrationRequests', `{ myRegistrationRequests { id } }`],
        [
          'Mutation.submitRegistration',
          `mutation { submitRegistration(input: { fullName: "X", street: "Тенантная", house: "1", premisesNumber: "1" }) { request { id } } }`,
        ],
        ['Mutation.signOutResident', `mutation { signOutResident }`],
      ].map(([operation, query]) => [
        operation,
        {
          kind: 'own',
          run: async (t: string) => expect(errorCode(await gql(query, {}, t))).toBe('FORBIDDEN'),
        } as Probe,
      ]),
    ),
  };
}
