import { randomInt } from 'node:crypto';
import { CrmSpace } from '../../src/kernel/crm-space';
import { EmployeeRole } from '../../src/kernel/role';
import { TICKET_TRANSITIONS, TicketStatus } from '../../src/tickets/ticket-enums';
import { addEmployee, login, NewEmployee, TestApp, TestOrganization } from './test-app';

/**
 * Test data made the way the product makes it: through the GraphQL API with a real token (the admin's
 * unless `as(token)` says otherwise), so every key, default, audit entry, caller row and link is the
 * application's own. Suites say what they need (a building, a flat, a client with two phones, a closed
 * ticket) and never type SQL keys. The one SQL path is test/support/bulk-rows.ts, for thousands of rows.
 */
export type Input = Record<string, unknown>;

export interface CreatedTicket {
  id: string;
  number: number;
}

export interface Staff {
  id: string;
  email: string;
  token: string;
}

/** Specializations, CRM space, phone, whether they receive registration requests. */
export type EmployeeOptions = Omit<NewEmployee, 'password'>;

export interface Factories {
  readonly organization: TestOrganization;
  /** The same factories acting as another employee of the organization. */
  as(token: string): Factories;
  /** A building at a new address of the organization ("Москва, ул. Фабричная, д. N" unless given). */
  building(input?: Input): Promise<string>;
  /** Premises (a flat unless `type` says otherwise) in the building. */
  premises(buildingId: string, number: string, input?: Input): Promise<string>;
  /** A client card; phones as people type them. */
  client(input?: Input): Promise<string>;
  /** Attaches the client to the premises ("привязать к помещению"). */
  occupancy(clientId: string, premisesId: string, role?: string, input?: Input): Promise<string>;
  /** A personal account of the premises. */
  account(premisesId: string, number: string, input?: Input): Promise<string>;
  /** The organization's ticket classifier (the default tree and any additions), by name. */
  categories(): Promise<Record<string, string>>;
  category(name: string, parentId?: string): Promise<string>;
  /** A ticket (createTicket), then moved through legal transitions to `status` when given. */
  ticket(input: Input & { status?: TicketStatus }): Promise<CreatedTicket>;
  /** The caller a ticket from this phone made (callers exist only by filing tickets). */
  callerId(phone: string): Promise<string>;
  /** An employee of the role, signed in. */
  employee(role: EmployeeRole, options?: EmployeeOptions): Promise<Staff>;
  /** A tag on the client; returns the tag's id. */
  tag(clientId: string, name: string): Promise<string>;
  /** An external identifier of the client in `space` (OPERATION unless given); the acting employee must work in that space. */
  externalId(clientId: string, input: { system: string; value: string; space?: CrmSpace }): Promise<string>;
}

let sequence = 0;

/**
 * A mobile number unique to the test run (the +7 958 range unless another prefix of 5 characters is
 * given). No fixed or generated number of the suites is in +7 958 (the registry generator, the clients
 * suite and the integration test count through +7 916 …), so a random one never meets a generated one
 * that another suite, running at the same time on the same database, has put in.
 */
export function uniquePhone(prefix = '+7958'): string {
  return `${prefix}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/** Runs a mutation and returns the object at `field` of its answer; any error fails the setup loudly. */
async function mutate<T = any>(
  app: TestApp,
  token: string,
  operation: string,
  field: string,
  selection: string,
  input: Input,
): Promise<T> {
  const type = `${operation.charAt(0).toUpperCase()}${operation.slice(1)}Input`;
  const result = await app.gql(
    `mutation($input: ${type}!) { ${operation}(input: $input) { ${field} { ${selection} } } }`,
    { input },
    token,
  );
  if (result.errors || !result.data) throw new Error(`${operation} failed: ${JSON.stringify(result.errors)}`);
  return result.data[operation][field];
}

/** The shortest way from NEW to `status` through the ticket's status machine. */
function pathTo(status: TicketStatus): TicketStatus[] {
  const paths = new Map<TicketStatus, TicketStatus[]>([[TicketStatus.NEW, []]]);
  const queue = [TicketStatus.NEW];
  while (queue.length && !paths.has(status)) {
    const from = queue.shift()!;
    for (const to of TICKET_TRANSITIONS[from]) {
      if (paths.has(to)) continue;
      paths.set(to, [...paths.get(from)!, to]);
      queue.push(to);
    }
  }
  const path = paths.get(status);
  if (!path) throw new Error(`no way from NEW to ${status}`);
  return path;
}

export function factories(app: TestApp, organization: TestOrganization, token = organization.adminToken): Factories {
  const run = <T = any>(operation: string, field: string, selection: string, input: Input) =>
    mutate<T>(app, token, operation, field, selection, input);
  const self: Factories = {
    organization,
    as: (other) => factories(app, organization, other),
    async building(input = {}) {
      const address = { city: 'Москва', street: 'ул. Фабричная', house: String(++sequence) };
      return (await run('createBuilding', 'building', 'id', { ...address, ...input })).id;
    },
    async premises(buildingId, number, input = {}) {
      return (await run('createPremises', 'premises', 'id', { buildingId, number, ...input })).id;
    },
    async client(input = {}) {
      return (await run('createClient', 'client', 'id', { lastName: 'Тестов', firstName: 'Иван', ...input })).id;
    },
    async occupancy(clientId, premisesId, role = 'OWNER', input = {}) {
      return (await run('attachClientToPremises', 'occupancy', 'id', { clientId, premisesId, role, ...input })).id;
    },
    async account(premisesId, number, input = {}) {
      return (await run('createAccount', 'account', 'id', { premisesId, number, ...input })).id;
    },
    async categories() {
      const result = await app.gql(`{ ticketCategories { id name } }`, {}, token);
      if (result.errors) throw new Error(`ticketCategories failed: ${JSON.stringify(result.errors)}`);
      return Object.fromEntries(result.data.ticketCategories.map((c: { id: string; name: string }) => [c.name, c.id]));
    },
    async category(name, parentId) {
      return (await run('createTicketCategory', 'category', 'id', { name, ...(parentId ? { parentId } : {}) })).id;
    },
    async ticket({ status, ...input }) {
      const ticket = await run<CreatedTicket>('createTicket', 'ticket', 'id number', {
        description: 'Течёт кран',
        ...input,
      });
      for (const next of status ? pathTo(status) : [])
        await run('changeTicketStatus', 'ticket', 'id', { id: ticket.id, status: next });
      return ticket;
    },
    async callerId(phone) {
      const rows: { id: string }[] = await app.dataSource.query(
        `SELECT id FROM ticket_caller WHERE organization_id = $1 AND phone = $2`,
        [organization.organizationId, phone],
      );
      if (rows.length !== 1) throw new Error(`no caller with the phone ${phone}: file a ticket from it first`);
      return rows[0].id;
    },
    async employee(role, options = {}) {
      const employee = await addEmployee(app, organization.organizationId, role, options);
      return { id: employee.id, email: employee.email, token: await login(app, employee.email) };
    },
    async tag(clientId, name) {
      const client = await run<{ tags: { id: string; name: string }[] }>('addClientTag', 'client', 'tags { id name }', {
        clientId,
        tagName: name,
      });
      const tag = client.tags.find((t) => t.name.toLowerCase() === name.trim().toLowerCase());
      if (!tag) throw new Error(`addClientTag returned no tag named ${name}`);
      return tag.id;
    },
    async externalId(clientId, { space = CrmSpace.OPERATION, ...input }) {
      return (await run('addExternalId', 'externalId', 'id', { clientId, space, ...input })).id;
    },
  };
  return self;
}
