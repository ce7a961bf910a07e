import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  createOrganization,
  errorCode,
  GraphqlResult,
  startTestApp,
  TestApp,
  TestOrganization,
} from './support/test-app';
import { factories } from './support/factories';
import { EmployeeRole } from '../src/kernel/role';
import { ImportMode } from '../src/imports/job/import-enums';
import { ImportJobsService } from '../src/imports/job/import-jobs.service';
import { CrmSpace } from '../src/kernel/crm-space';
import { Subscription, wsClient } from './support/ws-subscription';

/** What organization A owns; organization B's admin probes every operation with these ids. */
interface Fixture {
  buildingId: string;
  premisesId: string;
  employeeId: string;
  categoryId: string;
  clientId: string;
  tagId: string;
  externalIdId: string;
  accountId: string;
  registrationRequestId: string;
  ticketId: string;
  callerId: string;
  importJobId: string;
}

type Probe =
  /** Called with A's ids by B: must answer NOT_FOUND. */
  | { kind: 'foreign-id'; run: (b: string, a: Fixture) => Promise<GraphqlResult> }
  /** A list read by B: none of A's ids may appear. */
  | { kind: 'list'; run: (b: string) => Promise<GraphqlResult>; ids: (result: GraphqlResult) => string[] }
  /** Acts only on the caller (me, logout, login): checked to return the caller's own data. */
  | { kind: 'own'; run: (b: string, org: TestOrganization) => Promise<void> };

/** Probes that name A's ids inside a list query read them from here once the fixture exists. */
const fixtureRef: { current?: Fixture } = {};

/** The first result of a subscription over graphql-ws (the refusal, for a foreign id). */
async function firstOfSubscription(app: TestApp, token: string, query: string): Promise<GraphqlResult> {
  const client = wsClient(app.url, { authorization: `Bearer ${token}` });
  const subscription = new Subscription(client, query, {});
  try {
    return await subscription.next('the first result');
  } finally {
    await subscription.stop();
    await client.dispose();
  }
}

function probes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.building': { kind: 'foreign-id', run: (t, a) => gql(`{ building(id: "${a.buildingId}") { id } }`, {}, t) },
    'Query.buildings': {
      kind: 'list',
      run: (t) => gql(`{ buildings(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.buildings.edges.map((e: any) => e.node.id),
    },
    'Query.premises': { kind: 'foreign-id', run: (t, a) => gql(`{ premises(id: "${a.premisesId}") { id } }`, {}, t) },
    'Query.premisesList': {
      kind: 'list',
      run: (t) => gql(`{ premisesList(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.premisesList.edges.map((e: any) => e.node.id),
    },
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
    'Query.jobQueues': {
      kind: 'own',
      run: async (t) =>
        expect((await gql(`{ jobQueues { name } }`, {}, t)).data.jobQueues.map((q: any) => q.name)).toEqual([
          'housekeeping',
          'imports',
          'notifications',
        ]),
    },
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
    'Mutation.createBuilding': {
      kind: 'own',
      run: async (t, org) => {
        const r = await gql(
          `mutation { createBuilding(input: { city: "Тверь", street: "Сквозная", house: "1" }) { building { id } } }`,
          {},
          t,
        );
        const [row] = await app.dataSource.query(`SELECT organization_id FROM building WHERE id = $1`, [
          r.data.createBuilding.building.id,
        ]);
        expect(row.organization_id).toBe(org.organizationId);
      },
    },
    'Mutation.updateBuilding': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`mutation { updateBuilding(input: { id: "${a.buildingId}", house: "99" }) { building { id } } }`, {}, t),
    },
    'Mutation.updateReferenceSheet': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { updateReferenceSheet(input: { buildingId: "${a.buildingId}", html: "<p>hijack</p>" }) { building { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.createPremises': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { createPremises(input: { buildingId: "${a.buildingId}", number: "666" }) { premises { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.updatePremises': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`mutation { updatePremises(input: { id: "${a.premisesId}", number: "666" }) { premises { id } } }`, {}, t),
    },
    'Mutation.deletePremises': {
      kind: 'foreign-id',
      run: (t, a) => gql(`mutation { deletePremises(input: { id: "${a.premisesId}" }) { deletedId } }`, {}, t),
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
    'Query.client': { kind: 'foreign-id', run: (t, a) => gql(`{ client(id: "${a.clientId}") { id } }`, {}, t) },
    'Query.clients': {
      kind: 'list',
      run: (t) => gql(`{ clients(first: 100, filter: { phone: "9161112233" }) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.clients.edges.map((e: any) => e.node.id),
    },
    'Query.tags': {
      kind: 'list',
      run: (t) => gql(`{ tags(prefix: "свип") { id } }`, {}, t),
      ids: (r) => r.data.tags.map((tag: any) => tag.id),
    },
    'Query.account': { kind: 'foreign-id', run: (t, a) => gql(`{ account(id: "${a.accountId}") { id } }`, {}, t) },
    'Query.accounts': {
      kind: 'list',
      run: (t) => gql(`{ accounts(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.accounts.edges.map((e: any) => e.node.id),
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
    'Query.ticketCategories': {
      kind: 'list',
      run: (t) => gql(`{ ticketCategories { id } }`, {}, t),
      ids: (r) => r.data.ticketCategories.map((c: any) => c.id),
    },
    'Query.tickets': {
      kind: 'list',
      run: (t) => gql(`{ tickets(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.tickets.edges.map((e: any) => e.node.id),
    },
    'Query.ticket': { kind: 'foreign-id', run: (t, a) => gql(`{ ticket(id: "${a.ticketId}") { id } }`, {}, t) },
    'Query.houseTickets': {
      kind: 'foreign-id',
      run: (t, a) => gql(`{ houseTickets(buildingId: "${a.buildingId}") { edges { node { id } } } }`, {}, t),
    },
    'Query.similarOpenTickets': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`{ similarOpenTickets(buildingId: "${a.buildingId}", categoryId: "${a.categoryId}") { id } }`, {}, t),
    },
    'Query.contactsByPhone': {
      kind: 'list',
      run: (t) => gql(`{ contactsByPhone(query: "8916") { contact { id } addresses { premises { id } } } }`, {}, t),
      ids: (r) =>
        r.data.contactsByPhone.flatMap((m: any) => [m.contact.id, ...m.addresses.map((x: any) => x.premises?.id)]),
    },
    'Query.contactCard': {
      kind: 'foreign-id',
      run: (t, a) => gql(`{ contactCard(contactId: "${a.clientId}") { contact { id } } }`, {}, t),
    },
    'Mutation.createTicket': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { createTicket(input: { buildingId: "${a.buildingId}", description: "x" }) { ticket { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.updateTicket': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`mutation { updateTicket(input: { id: "${a.ticketId}", description: "x" }) { ticket { id } } }`, {}, t),
    },
    'Mutation.changeTicketStatus': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { changeTicketStatus(input: { id: "${a.ticketId}", status: IN_PROGRESS }) { ticket { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.createTicketCategory': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { createTicketCategory(input: { name: "x", parentId: "${a.categoryId}" }) { category { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.renameTicketCategory': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { renameTicketCategory(input: { id: "${a.categoryId}", name: "x" }) { category { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.createTicketFromCard': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { createTicketFromCard(input: { contactId: "${a.clientId}", description: "x" }) { ticket { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.updateContact': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { updateContact(input: { contactId: "${a.callerId}", fullName: "Чужой Человек" }) { ticketsUpdated } }`,
          {},
          t,
        ),
    },
    'Mutation.addContactAddress': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { addContactAddress(input: { contactId: "${a.clientId}", street: "Тенантная", house: "1", premisesNumber: "1", role: OWNER }) { contact { id } } }`,
          {},
          t,
        ),
    },
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
    'Mutation.updateEmployee': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`mutation { updateEmployee(input: { id: "${a.employeeId}", blocked: true }) { employee { id } } }`, {}, t),
    },
  };
}

async function snapshot(app: TestApp, organizationId: string): Promise<string> {
  const tables = [
    'building',
    'premises',
    'employee',
    'employee_specialization',
    'ticket_category',
    'client',
    'tag',
    'client_tag',
    'external_id',
    'account',
    'occupancy',
    'audit_entry',
    'registration_request',
    'registration_event',
    'ticket',
    'ticket_caller',
    'ticket_counter',
    'import_job',
  ];
  // Ordered by the row itself (jsonb compares deterministically); "ORDER BY 1::text" had sorted by a
  // constant, leaving the order to the plan, which made the before/after comparison flaky.
  const rows = await Promise.all(
    tables.map((table) =>
      app.dataSource.query(
        `SELECT to_jsonb(t) - 'updated_at' AS row FROM ${table} t WHERE organization_id = $1 ORDER BY 1`,
        [organizationId],
      ),
    ),
  );
  return JSON.stringify(rows);
}

describe('tenancy sweep over every query, mutation and subscription of the schema', () => {
  let app: TestApp;
  let a: TestOrganization;
  let b: TestOrganization;
  let fixture: Fixture;

  beforeAll(async () => {
    app = await startTestApp();
    a = await createOrganization(app);
    b = await createOrganization(app);
    const make = factories(app, a);
    const buildingId = await make.building({
      city: 'Москва',
      street: 'Тенантная',
      house: '1',
      referenceSheet: '<p>A</p>',
    });
    const premisesId = await make.premises(buildingId, '1');
    const employee = await make.employee(EmployeeRole.DISPATCHER);
    const categoryId = await make.category('Лифт');
    const clientId = await make.client({ lastName: 'Свипов', firstName: 'Пётр', phone: '+7 916 111-22-33' });
    const externalIdId = await make.externalId(clientId, { system: '1С', value: 'A-1' });
    const tagId = await make.tag(clientId, 'Свип');
    await make.occupancy(clientId, premisesId, 'OWNER');
    const accountId = await make.account(premisesId, 'A-0001', { ownerClientId: clientId });
    // A resident's request comes through the resident app (a signed-in phone, an SMS gateway): stored as it would be.
    const [registration] = await app.dataSource.query(
      `INSERT INTO registration_request (organization_id, phone, full_name, client_type, street, house, premises_number, role, dedup_key, building_id)
       VALUES ($1, '+79160001122', 'Заявкин Иван', 'INDIVIDUAL', 'Тенантная', '1', '7', 'OWNER', 'address:x|7', $2) RETURNING id`,
      [a.organizationId, buildingId],
    );
    const ticket = await make.ticket({
      buildingId,
      premisesId,
      categoryId,
      description: 'Лифт',
      contactPhone: '+7 916 222-33-44',
      contactName: 'Звонящий',
    });
    const importJob = await app.server.app.get(ImportJobsService).create(
      {
        realm: 'staff',
        employeeId: a.adminId,
        organizationId: a.organizationId,
        role: EmployeeRole.ADMIN,
        sessionId: a.adminId,
        crmSpace: CrmSpace.OPERATION,
        specializationIds: [],
        viewsPersonalData: true,
      },
      { mode: ImportMode.MERGE, sync: false, fileName: 'Реестр.xlsx', fileSize: 1 },
    );
    fixture = {
      importJobId: importJob.id,
      registrationRequestId: registration.id,
      ticketId: ticket.id,
      callerId: await make.callerId('+79162223344'),
      buildingId,
      premisesId,
      employeeId: employee.id,
      categoryId,
      clientId,
      tagId,
      externalIdId,
      accountId,
    };
    fixtureRef.current = fixture;
  });
  afterAll(() => app.close());

  it('has a probe for every operation the schema exposes', () => {
    const schema = app.server.app.get(GraphQLSchemaHost).schema;
    const operations = [
      ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()!.getFields()).map((f) => `Mutation.${f}`),
      ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).map((f) => `Subscription.${f}`),
    ].sort();
    expect(Object.keys(probes(app)).sort()).toEqual(operations);
  });

  it("answers NOT_FOUND for another organization's ids, hides its rows from lists, and changes none of them", async () => {
    const before = await snapshot(app, a.organizationId);
    const aIds = new Set(Object.values(fixture));
    for (const [operation, probe] of Object.entries(probes(app))) {
      if (probe.kind === 'foreign-id') {
        const result = await probe.run(b.adminToken, fixture);
        expect({ operation, code: errorCode(result) }).toEqual({ operation, code: 'NOT_FOUND' });
      } else if (probe.kind === 'list') {
        const result = await probe.run(b.adminToken);
        expect({ operation, errors: result.errors }).toEqual({ operation, errors: undefined });
        expect({ operation, leaked: probe.ids(result).filter((id) => aIds.has(id)) }).toEqual({
          operation,
          leaked: [],
        });
      } else {
        await probe.run(b.adminToken, b);
      }
    }
    expect(await snapshot(app, a.organizationId)).toBe(before);
  });
});
