import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getNamedType, GraphQLSchema, isObjectType } from 'graphql';
import { PERSONAL_DATA_FIELDS } from '../src/clients/personal-data';
import { EmployeeRole } from '../src/kernel/role';
import { canSeeTicket } from '../src/tickets/ticket-visibility';
import { factories } from './support/factories';
import { createOrganization, errorCode, startTestApp, TestApp, TestOrganization } from './support/test-app';

/** Types whose every field is a way to a ticket, its history, or an address of a contact. */
const CONCERNED_TYPES = new Set(['Ticket', 'TicketConnection', 'AuditEntry', 'AuditEntryConnection', 'ContactAddress']);

/** Valid documents (checksums hold), so the card stores them as they are. */
const DOCUMENTS = {
  passportSeries: '4509',
  passportNumber: '123456',
  passportIssuedBy: 'ОВД Тверского района',
  passportIssuedOn: '2010-05-01',
  passportComment: 'выдан взамен утраченного',
  snils: '11223344595',
  inn: '500100732259',
  birthDate: '1980-03-15',
  registrationAddress: 'Москва, ул. Ленина, д. 1, кв. 1',
};

interface World {
  org: TestOrganization;
  buildingId: string;
  flat12: string;
  flat13: string;
  /** A dispatcher specialized in «Подъезд» only: no VIEW_PERSONAL_DATA, and plumbing tickets are hidden. */
  restricted: string;
  manager: string;
  hidden: { id: string; number: number };
  visible: { id: string; number: number };
  clientId: string;
  callerId: string;
  callerPhone: string;
}

describe('one visibility policy on every path (tickets, their history, addresses, personal data)', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let w: World;
  const gql = (query: string, variables: Record<string, unknown>, token: string) => app.gql(query, variables, token);

  beforeAll(async () => {
    app = await startTestApp();
    schema = app.server.app.get(GraphQLSchemaHost).schema;
    const org = await createOrganization(app);
    const make = factories(app, org);
    const buildingId = await make.building({ city: 'Москва', street: 'ул. Видимости', house: '3' });
    const categories = await make.categories();
    const restricted = await make.employee(EmployeeRole.DISPATCHER, { specializationIds: [categories['Подъезд']] });
    const manager = await make.employee(EmployeeRole.MANAGER);
    const clientId = await make.client({
      lastName: 'Личнов',
      firstName: 'Пётр',
      phone: '+7 916 810-00-01',
      ...DOCUMENTS,
    });
    const [flat12, flat13] = [await make.premises(buildingId, '12'), await make.premises(buildingId, '13')];
    await make.occupancy(clientId, flat13, 'OWNER');
    // A caller without a card: a leak at flat 12 (plumbing, hidden) and a lift at flat 13 (visible), and a plumbing ticket house-wide.
    const callerPhone = '+79168100002';
    const call = { contactPhone: callerPhone, contactName: 'Звонков' };
    const hidden = await make.ticket({
      premisesId: flat12,
      categoryId: categories['Течь'],
      description: 'Протечка с потолка, хозяин в отъезде до 20-го',
      ...call,
    });
    const visible = await make.ticket({
      premisesId: flat13,
      categoryId: categories['Лифт не работает'],
      description: 'Лифт стоит',
      ...call,
    });
    await make.ticket({ buildingId, categoryId: categories['Течь'], description: 'Течь в подвале', ...call });
    w = {
      org,
      buildingId,
      flat12,
      flat13,
      restricted: restricted.token,
      manager: manager.token,
      hidden,
      visible,
      clientId,
      callerId: await make.callerId(callerPhone),
      callerPhone,
    };
    await app.warmSession(w.restricted);
  });
  afterAll(() => app?.close());

  const ticketIds = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);
  const cardAddresses = async (token: string) =>
    (
      await gql(
        `query($id: ID) { contactCard(contactId: $id) { addresses { premises { number } tickets { totalCount edges { node { id } } } } } }`,
        { id: w.callerId },
        token,
      )
    ).data.contactCard.addresses as any[];

  /** Each concerned schema field, and what the restricted dispatcher (and, for personal data, a role without it) gets through it. */
  const probes: Record<string, () => Promise<void>> = {
    'Query.ticket': async () => {
      expect(errorCode(await gql(`{ ticket(id: "${w.hidden.id}") { id } }`, {}, w.restricted))).toBe('NOT_FOUND');
      expect((await gql(`{ ticket(id: "${w.visible.id}") { id } }`, {}, w.restricted)).data.ticket.id).toBe(
        w.visible.id,
      );
    },
    'Query.tickets': async () => {
      const list = (await gql(`{ tickets { totalCount edges { node { id } } } }`, {}, w.restricted)).data.tickets;
      expect(ticketIds(list)).toEqual([w.visible.id]);
      expect(list.totalCount).toBe(1);
    },
    'TicketEdge.node': async () =>
      expect(
        ticketIds(
          (await gql(`{ tickets(filter: { contactId: "${w.callerId}" }) { edges { node { id } } } }`, {}, w.restricted))
            .data.tickets,
        ),
      ).toEqual([w.visible.id]),
    'Query.houseTickets': async () => {
      const house = (
        await gql(
          `{ houseTickets(buildingId: "${w.buildingId}") { totalCount edges { node { id } } } }`,
          {},
          w.restricted,
        )
      ).data.houseTickets;
      expect([ticketIds(house), house.totalCount]).toEqual([[w.visible.id], 1]);
    },
    'Query.similarOpenTickets': async () => {
      const categories = Object.fromEntries(
        (await gql(`{ ticketCategories { id name } }`, {}, w.org.adminToken)).data.ticketCategories.map((c: any) => [
          c.name,
          c.id,
        ]),
      );
      const similar = await gql(
        `{ similarOpenTickets(buildingId: "${w.buildingId}", categoryId: "${categories['Сантехника']}") { id } }`,
        {},
        w.restricted,
      );
      expect(similar.data.similarOpenTickets).toEqual([]);
    },
    'Query.auditLog': async () => {
      const hidden = (
        await gql(
          `{ auditLog(entityType: TICKET, entityId: "${w.hidden.id}") { totalCount edges { node { after } } } }`,
          {},
          w.restricted,
        )
      ).data.auditLog;
      expect([hidden.totalCount, hidden.edges]).toEqual([0, []]);
      expect(JSON.stringify(hidden)).not.toContain('Протечка');
      const visible = (
        await gql(`{ auditLog(entityType: TICKET, entityId: "${w.visible.id}") { totalCount } }`, {}, w.restricted)
      ).data.auditLog;
      expect(visible.totalCount).toBeGreaterThan(0);
    },
    'AuditEntryEdge.node': async () => {
      // The client's creation snapshot holds the documents: masked for a role without VIEW_PERSONAL_DATA.
      const node = (token: string) =>
        gql(
          `{ auditLog(entityType: CLIENT, entityId: "${w.clientId}", first: 50) { edges { node { action after } } } }`,
          {},
          token,
        );
      const created = (result: any) =>
        result.data.auditLog.edges.map((e: any) => e.node).find((n: any) => n.action === 'created').after;
      expect(created(await node(w.restricted))).toMatchObject({
        passportNumber: '••••',
        inn: '•••• 59',
        snils: '•••• 95',
      });
      expect(created(await node(w.manager))).toMatchObject({ passportNumber: '123456', inn: '500100732259' });
    },
    'ContactCard.addresses': async () => {
      // The flat of the plumbing leak and the house-wide plumbing ticket are no reason to show an address to this dispatcher.
      const addresses = await cardAddresses(w.restricted);
      expect(addresses.map((a) => a.premises?.number ?? 'house')).toEqual(['13']);
      expect((await cardAddresses(w.org.adminToken)).map((a) => a.premises?.number ?? 'house').sort()).toEqual([
        '12',
        '13',
        'house',
      ]);
    },
    'ContactAddress.tickets': async () => {
      const addresses = await cardAddresses(w.restricted);
      expect(addresses.flatMap((a) => ticketIds(a.tickets))).toEqual([w.visible.id]);
      expect(addresses.reduce((n, a) => n + a.tickets.totalCount, 0)).toBe(1);
    },
    'ContactMatch.addresses': async () => {
      const matches = (
        await gql(
          `{ contactsByPhone(query: "916 810-00-02") { contact { id } addresses { premises { number } } } }`,
          {},
          w.restricted,
        )
      ).data.contactsByPhone;
      expect(
        matches.find((m: any) => m.contact.id === w.callerId).addresses.map((a: any) => a.premises?.number ?? 'house'),
      ).toEqual(['13']);
    },
    'TicketPayload.ticket': async () => {
      const hidden = await gql(
        `mutation { updateTicket(input: { id: "${w.hidden.id}", description: "Подсмотрено" }) { ticket { id description } } }`,
        {},
        w.restricted,
      );
      expect(errorCode(hidden)).toBe('NOT_FOUND');
      expect(JSON.stringify(hidden)).not.toContain('Протечка');
    },
    'CreateTicketFromCardPayload.ticket': async () => {
      const categories = Object.fromEntries(
        (await gql(`{ ticketCategories { id name } }`, {}, w.org.adminToken)).data.ticketCategories.map((c: any) => [
          c.name,
          c.id,
        ]),
      );
      const outside = await gql(
        `mutation { createTicketFromCard(input: { contactId: "${w.callerId}", premisesId: "${w.flat12}", categoryId: "${categories['Течь']}", description: "x" }) { ticket { id } } }`,
        {},
        w.restricted,
      );
      expect(errorCode(outside)).toBe('BAD_USER_INPUT');
    },
  };
  for (const field of PERSONAL_DATA_FIELDS) {
    probes[`Client.${field}`] = async () => {
      const read = async (token: string) => {
        const byId = (await gql(`{ client(id: "${w.clientId}") { ${field} } }`, {}, token)).data.client[field];
        const onCard = (
          await gql(`{ contactCard(contactId: "${w.clientId}") { contact { client { ${field} } } } }`, {}, token)
        ).data.contactCard.contact.client[field];
        return [byId, onCard];
      };
      const [restrictedById, restrictedOnCard] = await read(w.restricted);
      expect(restrictedById).toMatch(/^••••/);
      expect(restrictedOnCard).toBe(restrictedById);
      expect(await read(w.manager)).toEqual([DOCUMENTS[field], DOCUMENTS[field]]);
    };
  }

  it('has a probe for every schema field that reaches a ticket, its history, a contact’s addresses or personal data', () => {
    const concerned: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const name = `${type.name}.${field.name}`;
        if (
          CONCERNED_TYPES.has(getNamedType(field.type).name) ||
          (type.name === 'Client' && (PERSONAL_DATA_FIELDS as readonly string[]).includes(field.name))
        )
          concerned.push(name);
      }
    }
    expect(concerned.length).toBeGreaterThan(PERSONAL_DATA_FIELDS.length);
    expect(concerned.filter((name) => !(name in probes))).toEqual([]);
  });

  it.each(Object.keys(probes))('%s', async (name) => {
    await probes[name]();
  });

  it('answers updateContact with the tickets the editor may see, yet renames them all', async () => {
    const result = await gql(
      `mutation { updateContact(input: { contactId: "${w.callerId}", fullName: "Звонков Иван" }) { ticketsUpdated } }`,
      {},
      w.restricted,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.updateContact.ticketsUpdated).toBe(1);
    const names = await app.dataSource.query(`SELECT DISTINCT contact_name FROM ticket WHERE organization_id = $1`, [
      w.org.organizationId,
    ]);
    expect(names).toEqual([{ contact_name: 'Звонков Иван' }]);
  });

  it('has the SQL predicate and the in-memory one agree on every ticket, for every scope', async () => {
    const all = (
      await gql(`{ tickets(first: 100) { edges { node { id category { id } } } } }`, {}, w.org.adminToken)
    ).data.tickets.edges.map((e: any) => e.node);
    const categories = (await gql(`{ ticketCategories { id name parentId } }`, {}, w.org.adminToken)).data
      .ticketCategories;
    for (const root of categories.filter((c: any) => !c.parentId)) {
      const employee = await factories(app, w.org).employee(EmployeeRole.DISPATCHER, { specializationIds: [root.id] });
      const subtree = new Set<string>([root.id]);
      for (let grew = true; grew;) {
        grew = false;
        for (const c of categories)
          if (c.parentId && subtree.has(c.parentId) && !subtree.has(c.id)) grew = !!subtree.add(c.id);
      }
      const scope = { organizationId: w.org.organizationId, categoryIds: [...subtree] };
      const expected = all
        .filter((t: any) =>
          canSeeTicket(scope, { organizationId: w.org.organizationId, categoryId: t.category?.id ?? null }),
        )
        .map((t: any) => t.id);
      const seen = ticketIds(
        (await gql(`{ tickets(first: 100) { edges { node { id } } } }`, {}, employee.token)).data.tickets,
      );
      expect({ root: root.name, seen: seen.sort() }).toEqual({ root: root.name, seen: expected.sort() });
    }
  });
});
