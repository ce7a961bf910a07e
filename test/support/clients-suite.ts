import { Factories, factories } from './factories';
import { createOrganization, GraphqlResult, startTestApp, TestApp, TestOrganization } from './test-app';

/** What the clients suites (test/clients-*.e2e.ts) share: the card's fields, the create and search operations, the setup. */
export const CLIENT_FIELDS = `id fullName type status phone extraPhones inn snils passportSeries passportNumber passportIssuedOn postalIndex email birthDate
  tags { id name } externalIds { id space system value note } premises { role keepOnSync source premises { id } }`;
export const CREATE = `mutation($input: CreateClientInput!) { createClient(input: $input) { merged client { ${CLIENT_FIELDS} } } }`;
export const SEARCH = `query($filter: ClientFilter) { clients(first: 100, filter: $filter) { totalCount edges { node { id } } } }`;

/** The paths of the fields an error names. */
export function fields(result: GraphqlResult): string[] {
  return (result.errors?.[0]?.extensions?.fields ?? []).map((f: { path: string }) => f.path);
}

/** A valid individual with a phone unique to the suite's run: each call gives the next phone. */
export function personMaker(): (overrides?: Record<string, unknown>) => Record<string, unknown> {
  let seq = 0;
  return (overrides = {}) => ({
    lastName: 'Иванов',
    firstName: 'Иван',
    phone: `+7 916 ${String(1_000_000 + ++seq * 7919).slice(-7)}`,
    ...overrides,
  });
}

export interface ClientsSuite {
  app: TestApp;
  org: TestOrganization;
  make: Factories;
  /** Two premises of one building of the organization. */
  premisesId: string;
  otherPremisesId: string;
}

export async function startClientsSuite(): Promise<ClientsSuite> {
  const app = await startTestApp();
  const org = await createOrganization(app);
  const make = factories(app, org);
  const buildingId = await make.building({ city: 'Москва', street: 'Клиентская', house: '3' });
  const premisesId = await make.premises(buildingId, '12');
  const otherPremisesId = await make.premises(buildingId, '13');
  return { app, org, make, premisesId, otherPremisesId };
}
