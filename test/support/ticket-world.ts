import { EmployeeRole } from '../../src/kernel/role';
import { Factories, factories } from './factories';
import { createOrganization, TestApp, TestOrganization } from './test-app';

/* What the ticket suites (test/tickets*.e2e.ts) share: the operations they send and the world they build. */

export const TICKET = `id number status description contactName contactPhone contactAddress entrance floor emergency closedAt
  category { id name } premises { id number } building { id } client { id }`;
export const CREATE_TICKET = `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { ${TICKET} } } }`;
export const CARD = `query($phone: String, $contactId: ID, $first: Int, $after: String) {
  contactCard(phone: $phone, contactId: $contactId) {
    contact { id kind fullName phone phones email client { id } }
    addresses { role address premises { id number } building { id } referenceSheet { html }
      tickets(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { number description contactName category { name } } } } }
    appStatus { usesApp lastSeenAt }
    paymentAccess { enabled accounts { number } }
  }
}`;
export const TYPEAHEAD = `query($q: String!) { contactsByPhone(query: $q) { contact { id kind fullName phone } addresses { address role } } }`;

export interface World {
  org: TestOrganization;
  make: Factories;
  buildingId: string;
  flat12: string;
  flat13: string;
  categories: Record<string, string>;
}

/** The suites' helpers over the app `app()` returns (started in their beforeAll). */
export function ticketWorlds(app: () => TestApp) {
  const gql = (query: string, variables: Record<string, unknown>, token: string) => app().gql(query, variables, token);

  /** An organization serving "Москва, ул. Ленина, д. 5" (two entrances) with flats 12 and 13, and its classifier by name. */
  async function world(street = 'ул. Ленина'): Promise<World> {
    const org = await createOrganization(app());
    const make = factories(app(), org);
    const buildingId = await make.building({
      city: 'Москва',
      street,
      house: '5',
      entrances: [
        { number: 1, floors: 9 },
        { number: 2, floors: 9 },
      ],
      referenceSheet: '<p>Аварийная служба: 112</p>',
    });
    const flat12 = await make.premises(buildingId, '12', { entrance: 1, floor: 3 });
    const flat13 = await make.premises(buildingId, '13', { entrance: 2, floor: 3 });
    return { org, make, buildingId, flat12, flat13, categories: await make.categories() };
  }

  async function ticket(w: World, input: Record<string, unknown>, token = w.org.adminToken) {
    const result = await gql(
      CREATE_TICKET,
      { input: { buildingId: w.buildingId, description: 'Течёт кран', ...input } },
      token,
    );
    expect(result.errors).toBeUndefined();
    return result.data.createTicket.ticket;
  }

  /** A dispatcher specialized in the named categories (none: every category), signed in. */
  async function employeeWith(w: World, categoryNames: string[]): Promise<string> {
    return (
      await w.make.employee(EmployeeRole.DISPATCHER, { specializationIds: categoryNames.map((n) => w.categories[n]) })
    ).token;
  }

  return { gql, world, ticket, employeeWith };
}
