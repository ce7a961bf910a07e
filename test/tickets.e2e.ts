import { EmployeeRole } from '../src/kernel/role';
import { Factories, factories } from './support/factories';
import { createOrganization, errorCode, startTestApp, TestApp, TestOrganization } from './support/test-app';
import { PhoneDigitsDensity } from '../src/clients/phone-digits-density';

const TICKET = `id number status description contactName contactPhone contactAddress entrance floor emergency closedAt
  category { id name } premises { id number } building { id } client { id }`;
const CREATE_TICKET = `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { ${TICKET} } } }`;
const CARD = `query($phone: String, $contactId: ID, $first: Int, $after: String) {
  contactCard(phone: $phone, contactId: $contactId) {
    contact { id kind fullName phone phones email client { id } }
    addresses { role address premises { id number } building { id } referenceSheet { html }
      tickets(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { number description contactName category { name } } } } }
    appStatus { usesApp lastSeenAt }
    paymentAccess { enabled accounts { number } }
  }
}`;
const TYPEAHEAD = `query($q: String!) { contactsByPhone(query: $q) { contact { id kind fullName phone } addresses { address role } } }`;

interface World {
  org: TestOrganization;
  make: Factories;
  buildingId: string;
  flat12: string;
  flat13: string;
  categories: Record<string, string>;
}

describe('tickets and the contact card', () => {
  let app: TestApp;
  const gql = (query: string, variables: Record<string, unknown>, token: string) => app.gql(query, variables, token);

  /** An organization serving "Москва, ул. Ленина, д. 5" (two entrances) with flats 12 and 13, and its classifier by name. */
  async function world(street = 'ул. Ленина'): Promise<World> {
    const org = await createOrganization(app);
    const make = factories(app, org);
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

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  describe('classifier', () => {
    it('seeds the default Russian tree for a new organization and lets staff extend and rename it', async () => {
      const w = await world();
      const all = (await gql(`{ ticketCategories { id name parentId } }`, {}, w.org.adminToken)).data.ticketCategories;
      const byId = new Map(all.map((c: any) => [c.id, c]));
      const leak = all.find((c: any) => c.name === 'Течь');
      const plumbing: any = byId.get(leak.parentId);
      expect(plumbing.name).toBe('Сантехника');
      expect((byId.get(plumbing.parentId) as any).name).toBe('Квартира');
      const created = await gql(
        `mutation { createTicketCategory(input: { name: " Прорыв  трубы ", parentId: "${plumbing.id}" }) { category { id name parentId } } }`,
        {},
        w.org.adminToken,
      );
      expect(created.data.createTicketCategory.category).toMatchObject({ name: 'Прорыв трубы', parentId: plumbing.id });
      const renamed = await gql(
        `mutation { renameTicketCategory(input: { id: "${plumbing.id}", name: "Водоснабжение" }) { category { name } } }`,
        {},
        w.org.adminToken,
      );
      expect(renamed.data.renameTicketCategory.category.name).toBe('Водоснабжение');
      const dispatcher = (await w.make.employee(EmployeeRole.DISPATCHER)).token;
      expect(
        errorCode(
          await gql(
            `mutation { renameTicketCategory(input: { id: "${plumbing.id}", name: "X" }) { category { name } } }`,
            {},
            dispatcher,
          ),
        ),
      ).toBe('FORBIDDEN');
    });
  });

  describe('tickets', () => {
    it('numbers tickets per organization without duplicates under concurrent creation', async () => {
      const w = await world();
      const other = await world();
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          gql(CREATE_TICKET, { input: { buildingId: w.buildingId, description: `Заявка ${i}` } }, w.org.adminToken),
        ),
      );
      expect(results.filter((r) => r.errors)).toEqual([]);
      const numbers = results.map((r) => r.data.createTicket.ticket.number).sort((a: number, b: number) => a - b);
      expect(numbers).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect((await ticket(other, {})).number).toBe(1);
    });

    it('fills entrance, floor and the address snapshot from the premises and links the caller to a client by phone', async () => {
      const w = await world();
      const clientId = await w.make.client({
        lastName: 'Иванов',
        firstName: 'Иван',
        middleName: 'Иванович',
        phone: '+7 916 100-00-01',
      });
      const t = await ticket(w, {
        premisesId: w.flat12,
        contactPhone: '8 916 100 00 01',
        categoryId: w.categories['Течь'],
        emergency: true,
      });
      expect(t).toMatchObject({
        entrance: 1,
        floor: 3,
        contactPhone: '+79161000001',
        contactName: 'Иванов Иван Иванович',
        emergency: true,
        status: 'NEW',
        client: { id: clientId },
      });
      expect(t.contactAddress).toBe('Москва, ул. Ленина, д. 5, кв. 12');
      expect(t.category.name).toBe('Течь');
      const foreign = (await world()).buildingId;
      expect(
        errorCode(await gql(CREATE_TICKET, { input: { buildingId: foreign, description: 'x' } }, w.org.adminToken)),
      ).toBe('NOT_FOUND');
      const mismatch = await gql(
        CREATE_TICKET,
        { input: { buildingId: foreign, premisesId: w.flat12, description: 'x' } },
        w.org.adminToken,
      );
      expect(mismatch.errors![0].extensions!.fields[0].path).toBe('input.premisesId');
    });

    it('moves through the statuses of the spec and names the allowed ones on an illegal move', async () => {
      const w = await world();
      const t = await ticket(w, {});
      const move = (status: string) =>
        gql(
          `mutation { changeTicketStatus(input: { id: "${t.id}", status: ${status} }) { ticket { status closedAt } } }`,
          {},
          w.org.adminToken,
        );
      const illegal = await move('CLOSED');
      expect(errorCode(illegal)).toBe('BAD_USER_INPUT');
      expect(illegal.errors![0].extensions!.fields[0].messageEn).toContain('allowed: IN_PROGRESS, CANCELLED');
      for (const status of ['IN_PROGRESS', 'DEFERRED', 'NEW', 'IN_PROGRESS', 'COMPLETED'])
        expect((await move(status)).data.changeTicketStatus.ticket.status).toBe(status);
      const closed = (await move('CLOSED')).data.changeTicketStatus.ticket;
      expect(closed.closedAt).not.toBeNull();
      expect(errorCode(await move('NEW'))).toBe('BAD_USER_INPUT');
      const audit = await gql(
        `{ auditLog(entityType: TICKET, entityId: "${t.id}", first: 20) { edges { node { action } } } }`,
        {},
        w.org.adminToken,
      );
      expect(
        audit.data.auditLog.edges.map((e: any) => e.node.action).filter((a: string) => a === 'status_changed'),
      ).toHaveLength(6);
    });

    it('edits a ticket and filters the list newest first', async () => {
      const w = await world();
      const a = await ticket(w, { premisesId: w.flat12, categoryId: w.categories['Течь'] });
      const b = await ticket(w, { premisesId: w.flat13, categoryId: w.categories['Лифт не работает'] });
      const updated = await gql(
        `mutation { updateTicket(input: { id: "${a.id}", description: "Течёт стояк", paid: true }) { ticket { description } } }`,
        {},
        w.org.adminToken,
      );
      expect(updated.data.updateTicket.ticket.description).toBe('Течёт стояк');
      const list = async (filter: string) =>
        (await gql(`{ tickets(filter: { ${filter} }) { totalCount edges { node { id } } } }`, {}, w.org.adminToken))
          .data.tickets;
      expect((await list(`buildingId: "${w.buildingId}"`)).edges.map((e: any) => e.node.id)).toEqual([b.id, a.id]);
      expect((await list(`categoryId: "${w.categories['Сантехника']}"`)).edges.map((e: any) => e.node.id)).toEqual([
        a.id,
      ]);
      expect((await list(`premisesId: "${w.flat13}", status: NEW`)).totalCount).toBe(1);
      expect((await list(`entrance: 2`)).edges.map((e: any) => e.node.id)).toEqual([b.id]);
    });
  });

  describe('house tickets and duplicates', () => {
    it('lists every caller’s tickets of the house or one entrance, and the open tickets of the same category there', async () => {
      const w = await world();
      const light1 = await ticket(w, {
        entrance: 1,
        categoryId: w.categories['Нет света в подъезде'],
        contactPhone: '+79160000011',
      });
      const light2 = await ticket(w, {
        entrance: 2,
        categoryId: w.categories['Нет света в подъезде'],
        contactPhone: '+79160000012',
      });
      const lamp = await ticket(w, { entrance: 2, categoryId: w.categories['Перегорела лампа'] });
      const lift = await ticket(w, { entrance: 2, categoryId: w.categories['Лифт не работает'] });
      await gql(
        `mutation { changeTicketStatus(input: { id: "${lamp.id}", status: CANCELLED }) { ticket { id } } }`,
        {},
        w.org.adminToken,
      );
      const house = await gql(
        `{ houseTickets(buildingId: "${w.buildingId}", first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        {},
        w.org.adminToken,
      );
      expect(house.data.houseTickets.totalCount).toBe(4);
      expect(house.data.houseTickets.edges.map((e: any) => e.node.id)).toEqual([lift.id, lamp.id]);
      const next = await gql(
        `{ houseTickets(buildingId: "${w.buildingId}", first: 2, after: "${house.data.houseTickets.pageInfo.endCursor}") { pageInfo { hasNextPage } edges { node { id } } } }`,
        {},
        w.org.adminToken,
      );
      expect(next.data.houseTickets.edges.map((e: any) => e.node.id)).toEqual([light2.id, light1.id]);
      expect(next.data.houseTickets.pageInfo.hasNextPage).toBe(false);
      const entrance = await gql(
        `{ houseTickets(buildingId: "${w.buildingId}", entrance: 1) { edges { node { id } } } }`,
        {},
        w.org.adminToken,
      );
      expect(entrance.data.houseTickets.edges.map((e: any) => e.node.id)).toEqual([light1.id]);
      // "Освещение" covers its problems; the cancelled lamp ticket is not open; entrance 1 is another staircase.
      const similar = await gql(
        `{ similarOpenTickets(buildingId: "${w.buildingId}", entrance: 2, categoryId: "${w.categories['Освещение']}") { id } }`,
        {},
        w.org.adminToken,
      );
      expect(similar.data.similarOpenTickets.map((t: any) => t.id)).toEqual([light2.id]);
      const houseWide = await gql(
        `{ similarOpenTickets(buildingId: "${w.buildingId}", categoryId: "${w.categories['Освещение']}") { id } }`,
        {},
        w.org.adminToken,
      );
      expect(houseWide.data.similarOpenTickets.map((t: any) => t.id)).toEqual([light2.id, light1.id]);
    });
  });

  describe('phone typeahead', () => {
    it('finds clients, callers without a card and employees by any partial writing of the phone, with their addresses', async () => {
      const w = await world();
      const clientId = await w.make.client({ lastName: 'Смирнова', firstName: 'Анна', phone: '+7 916 123-45-67' });
      await w.make.occupancy(clientId, w.flat12, 'OWNER');
      await ticket(w, { premisesId: w.flat13, contactPhone: '8 916 124 00 00', contactName: 'Пётр' });
      await w.make.employee(EmployeeRole.TECHNICIAN, { phone: '8 (916) 125-00-00' });
      const find = async (q: string) => (await gql(TYPEAHEAD, { q }, w.org.adminToken)).data.contactsByPhone;
      for (const q of ['916 12', '8916', '+7 (916) 1', '91612']) {
        const kinds = (await find(q)).map((m: any) => `${m.contact.kind}:${m.contact.phone}`);
        expect({ q, kinds }).toEqual({
          q,
          kinds: ['CLIENT:+79161234567', 'CALLER:+79161240000', 'EMPLOYEE:+79161250000'],
        });
      }
      const [anna, peter] = await find('4567');
      expect(anna.contact.fullName).toBe('Смирнова Анна');
      expect(anna.addresses).toEqual([{ address: 'Москва, ул. Ленина, д. 5, кв. 12', role: 'OWNER' }]);
      expect(peter).toBeUndefined();
      const [caller] = await find('124 00');
      expect(caller.addresses).toEqual([{ address: 'Москва, ул. Ленина, д. 5, кв. 13', role: null }]);
      expect(await find('91')).toEqual([]);
      expect(await find('000 999')).toEqual([]);
    });

    it('offers numbers beginning with a part typed from the country code first, and those containing it after them while the page has room', async () => {
      const w = await world();
      await w.make.client({ lastName: 'Абрамов', firstName: 'Илья', phone: '+7 916 127-98-70' });
      await w.make.client({ lastName: 'Яковлев', firstName: 'Олег', phone: '+7 987 000-22-22' });
      await w.make.client({ lastName: 'Юдин', firstName: 'Пётр', phone: '+7 987 000-11-11' });
      await ticket(w, { premisesId: w.flat13, contactPhone: '+7 987 000-33-33', contactName: 'Семён' });
      await ticket(w, { premisesId: w.flat13, contactPhone: '+7 903 798-70-00', contactName: 'Фёдор' });
      const find = async (q: string, n: number) =>
        (
          await gql(
            `query($q: String!, $n: Int) { contactsByPhone(query: $q, first: $n) { contact { kind phone } } }`,
            { q, n },
            w.org.adminToken,
          )
        ).data.contactsByPhone.map((m: any) => `${m.contact.kind}:${m.contact.phone}`);
      // Clients come before callers; within each, the beginnings in phone order, then the rest.
      expect(await find('+7 987', 2)).toEqual(['CLIENT:+79870001111', 'CLIENT:+79870002222']);
      expect(await find('7987', 10)).toEqual([
        'CLIENT:+79870001111',
        'CLIENT:+79870002222',
        'CLIENT:+79161279870',
        'CALLER:+79870003333',
        'CALLER:+79037987000',
      ]);
      // Once the organization's digit sample is read, runs few cards contain are looked up in clients,
      // callers and staff at once (and beginnings with the rest): the same answers in the same order.
      await app.server.app.get(PhoneDigitsDensity).ready(w.org.organizationId);
      expect(await find('+7 987', 2)).toEqual(['CLIENT:+79870001111', 'CLIENT:+79870002222']);
      expect(await find('7987', 10)).toEqual([
        'CLIENT:+79870001111',
        'CLIENT:+79870002222',
        'CLIENT:+79161279870',
        'CALLER:+79870003333',
        'CALLER:+79037987000',
      ]);
      expect(await find('8 987 000-3', 10)).toEqual(['CALLER:+79870003333']);
    });
  });

  describe('contact card', () => {
    it('shows addresses with role, their tickets newest first in pages, the reference sheet, app status and payment access', async () => {
      const w = await world();
      const clientId = await w.make.client({
        lastName: 'Кузнецов',
        firstName: 'Олег',
        phone: '+7 903 555-00-01',
        email: 'oleg@example.ru',
      });
      await w.make.occupancy(clientId, w.flat12, 'TENANT');
      const first = await ticket(w, { premisesId: w.flat12, clientId, description: 'Первая' });
      // Filed from the same phone before anyone linked it to the card: still theirs.
      await app.dataSource.query(`UPDATE ticket SET client_id = NULL WHERE id = $1`, [first.id]);
      await ticket(w, { premisesId: w.flat12, clientId, description: 'Вторая' });
      await ticket(w, { premisesId: w.flat12, clientId, description: 'Третья' });
      await ticket(w, { clientId, description: 'Во дворе', entrance: null });
      await ticket(w, { premisesId: w.flat13, contactPhone: '+79035550099', description: 'Чужая' });
      await w.make.account(w.flat12, 'L-1', { paymentsEnabled: true, hiddenFromResident: true });

      const card = await gql(CARD, { phone: '8 (903) 555-00-01', first: 2 }, w.org.adminToken);
      expect(card.errors).toBeUndefined();
      const c = card.data.contactCard;
      expect(c.contact).toEqual({
        id: clientId,
        kind: 'CLIENT',
        fullName: 'Кузнецов Олег',
        phone: '+79035550001',
        phones: ['+79035550001'],
        email: 'oleg@example.ru',
        client: { id: clientId },
      });
      expect(c.addresses.map((a: any) => [a.address, a.role, a.premises?.number ?? null])).toEqual([
        ['Москва, ул. Ленина, д. 5', null, null],
        ['Москва, ул. Ленина, д. 5, кв. 12', 'TENANT', '12'],
      ]);
      const flat = c.addresses[1];
      expect(flat.referenceSheet.html).toContain('Аварийная служба');
      expect(flat.tickets.totalCount).toBe(3);
      expect(flat.tickets.edges.map((e: any) => e.node.description)).toEqual(['Третья', 'Вторая']);
      const more = await gql(
        CARD,
        { contactId: clientId, first: 2, after: flat.tickets.pageInfo.endCursor },
        w.org.adminToken,
      );
      expect(more.data.contactCard.addresses[1].tickets.edges.map((e: any) => e.node.description)).toEqual(['Первая']);
      expect(more.data.contactCard.addresses[1].tickets.pageInfo.hasNextPage).toBe(false);
      expect(c.appStatus).toEqual({ usesApp: false, lastSeenAt: null });
      // The only account is hidden from the resident: no payment access.
      expect(c.paymentAccess).toEqual({ enabled: false, accounts: [] });
      await w.make.account(w.flat12, 'L-2', { paymentsEnabled: true });
      expect((await gql(CARD, { contactId: clientId }, w.org.adminToken)).data.contactCard.paymentAccess).toEqual({
        enabled: true,
        accounts: [{ number: 'L-2' }],
      });
      expect(errorCode(await gql(CARD, { phone: '+79990000000' }, w.org.adminToken))).toBe('NOT_FOUND');
      expect(errorCode(await gql(CARD, {}, w.org.adminToken))).toBe('BAD_USER_INPUT');
    });

    it('creates a ticket pre-filled from the card', async () => {
      const w = await world();
      const clientId = await w.make.client({
        lastName: 'Орлова',
        firstName: 'Вера',
        middleName: 'Павловна',
        phone: '+7 926 000-11-22',
      });
      await w.make.occupancy(clientId, w.flat13, 'OWNER');
      const created = await gql(
        `mutation($input: CreateTicketFromCardInput!) { createTicketFromCard(input: $input) { ticket { ${TICKET} } } }`,
        { input: { contactId: clientId, categoryId: w.categories['Засор канализации'], description: 'Засор' } },
        w.org.adminToken,
      );
      expect(created.errors).toBeUndefined();
      expect(created.data.createTicketFromCard.ticket).toMatchObject({
        contactName: 'Орлова Вера Павловна',
        contactPhone: '+79260001122',
        contactAddress: 'Москва, ул. Ленина, д. 5, кв. 13',
        premises: { id: w.flat13, number: '13' },
        building: { id: w.buildingId },
        client: { id: clientId },
        entrance: 2,
        status: 'NEW',
      });
    });

    it('edits a caller: every earlier ticket takes the one canonical name, then the card exists', async () => {
      const w = await world();
      for (const name of ['Иван', 'Иван Иванович', 'Иванов Иван Иванович'])
        await ticket(w, { premisesId: w.flat12, contactPhone: '+7 915 777-66-55', contactName: name });
      const elsewhere = await ticket(w, {
        premisesId: w.flat13,
        contactPhone: '+7 915 777-66-56',
        contactName: 'Иван',
      });
      const [match] = (await gql(TYPEAHEAD, { q: '777-66-55' }, w.org.adminToken)).data.contactsByPhone;
      expect(match.contact).toMatchObject({ kind: 'CALLER', fullName: 'Иванов Иван Иванович' });
      const edit = await gql(
        `mutation($input: UpdateContactInput!) { updateContact(input: $input) { ticketsUpdated contact { id kind fullName email } } }`,
        { input: { contactId: match.contact.id, fullName: 'Иванов  Иван Иванович' } },
        w.org.adminToken,
      );
      expect(edit.errors).toBeUndefined();
      expect(edit.data.updateContact.ticketsUpdated).toBe(2);
      const names = await app.dataSource.query(
        `SELECT DISTINCT contact_name FROM ticket WHERE organization_id = $1 AND contact_phone = '+79157776655'`,
        [w.org.organizationId],
      );
      expect(names).toEqual([{ contact_name: 'Иванов Иван Иванович' }]);
      const [untouched] = await app.dataSource.query(`SELECT contact_name FROM ticket WHERE id = $1`, [elsewhere.id]);
      expect(untouched.contact_name).toBe('Иван');
      // An e-mail and a role make the caller a client; the earlier tickets link to the new card.
      const promoted = await gql(
        `mutation($input: UpdateContactInput!) { updateContact(input: $input) { ticketsUpdated contact { id kind fullName email } } }`,
        {
          input: {
            contactId: match.contact.id,
            fullName: 'Иванов Иван Иванович',
            email: 'ivanov@example.ru',
            role: 'OWNER',
          },
        },
        w.org.adminToken,
      );
      expect(promoted.errors).toBeUndefined();
      const contact = promoted.data.updateContact.contact;
      expect(contact).toMatchObject({ kind: 'CLIENT', email: 'ivanov@example.ru' });
      expect(promoted.data.updateContact.ticketsUpdated).toBe(3);
      const card = (await gql(CARD, { contactId: contact.id }, w.org.adminToken)).data.contactCard;
      expect(card.addresses.map((a: any) => [a.premises.number, a.role, a.tickets.totalCount])).toEqual([
        ['12', 'OWNER', 3],
      ]);
    });

    it('edits a client: the card and every earlier ticket change in one go', async () => {
      const w = await world();
      const clientId = await w.make.client({ lastName: 'Белов', firstName: 'Ян', phone: '+7 916 300-00-01' });
      await ticket(w, { premisesId: w.flat12, clientId, contactName: 'Ян' });
      await ticket(w, { premisesId: w.flat12, contactPhone: '+79163000001', contactName: 'Белов Ян' });
      const edit = await gql(
        `mutation($input: UpdateContactInput!) { updateContact(input: $input) { ticketsUpdated contact { fullName email } } }`,
        { input: { contactId: clientId, fullName: 'Белов Ян Петрович', email: 'belov@example.ru' } },
        w.org.adminToken,
      );
      expect(edit.data.updateContact).toEqual({
        ticketsUpdated: 2,
        contact: { fullName: 'Белов Ян Петрович', email: 'belov@example.ru' },
      });
      const rows = await app.dataSource.query(
        `SELECT DISTINCT contact_name, client_id FROM ticket WHERE organization_id = $1`,
        [w.org.organizationId],
      );
      expect(rows).toEqual([{ contact_name: 'Белов Ян Петрович', client_id: clientId }]);
      const one = await gql(
        `mutation($input: UpdateContactInput!) { updateContact(input: $input) { ticketsUpdated } }`,
        { input: { contactId: clientId, fullName: 'Белов' } },
        w.org.adminToken,
      );
      expect(one.errors![0].extensions!.fields[0].path).toBe('input.fullName');
      expect(
        await app.dataSource.query(`SELECT DISTINCT contact_name FROM ticket WHERE organization_id = $1`, [
          w.org.organizationId,
        ]),
      ).toEqual([{ contact_name: 'Белов Ян Петрович' }]);
    });

    it('adds an address: only in a building the organization serves, finding or creating the premises', async () => {
      const w = await world();
      const clientId = await w.make.client({ lastName: 'Зуев', firstName: 'Лев', phone: '+7 916 400-00-01' });
      const add = (input: Record<string, unknown>) =>
        gql(
          `mutation($input: AddContactAddressInput!) { addContactAddress(input: $input) { contact { id kind } premises { id number } occupancy { role } } }`,
          { input: { contactId: clientId, role: 'OWNER', ...input } },
          w.org.adminToken,
        );
      const unserved = await add({ street: 'Ленина', house: '7', premisesNumber: '1' });
      expect(errorCode(unserved)).toBe('BAD_USER_INPUT');
      expect(unserved.errors![0].message).toContain('не обслуживается');
      const existing = await add({ street: 'улица Ленина', house: 'д. 5', premisesNumber: 'кв. 12' });
      expect(existing.errors).toBeUndefined();
      expect(existing.data.addContactAddress).toEqual({
        contact: { id: clientId, kind: 'CLIENT' },
        premises: { id: w.flat12, number: '12' },
        occupancy: { role: 'OWNER' },
      });
      const created = await add({ street: 'Ленина', house: '5', premisesNumber: '40', role: 'TENANT' });
      expect(created.data.addContactAddress.premises.number).toBe('40');
      const card = (await gql(CARD, { contactId: clientId }, w.org.adminToken)).data.contactCard;
      expect(card.addresses.map((a: any) => [a.premises.number, a.role]).sort()).toEqual([
        ['12', 'OWNER'],
        ['40', 'TENANT'],
      ]);
      // A caller without a card becomes a resident with the phone they called from.
      await ticket(w, { premisesId: w.flat13, contactPhone: '+7 916 400-00-02', contactName: 'Зуева Мила' });
      const [caller] = (await gql(TYPEAHEAD, { q: '400-00-02' }, w.org.adminToken)).data.contactsByPhone;
      const resident = await gql(
        `mutation($input: AddContactAddressInput!) { addContactAddress(input: $input) { contact { id kind fullName phone } } }`,
        {
          input: {
            contactId: caller.contact.id,
            street: 'Ленина',
            house: '5',
            premisesNumber: '13',
            role: 'FAMILY_MEMBER',
          },
        },
        w.org.adminToken,
      );
      expect(resident.data.addContactAddress.contact).toMatchObject({
        kind: 'CLIENT',
        fullName: 'Зуева Мила',
        phone: '+79164000002',
      });
      const linked = await app.dataSource.query(
        `SELECT client_id FROM ticket WHERE organization_id = $1 AND contact_phone = '+79164000002'`,
        [w.org.organizationId],
      );
      expect(linked).toEqual([{ client_id: resident.data.addContactAddress.contact.id }]);
    });
  });

  describe('visibility', () => {
    it('shows each organization serving one resident only its own part', async () => {
      const a = await world('ул. Ленина');
      const b = await world('ул. Мира');
      const phone = '+7 916 555-12-34';
      const inA = await a.make.client({ lastName: 'Общий', firstName: 'Житель', phone });
      const inB = await b.make.client({ lastName: 'Общий', firstName: 'Житель', phone });
      await ticket(a, { premisesId: a.flat12, clientId: inA, description: 'В УК А' });
      await ticket(b, { premisesId: b.flat13, clientId: inB, description: 'В УК Б' });
      for (const [w, own, description, address] of [
        [a, inA, 'В УК А', 'Москва, ул. Ленина, д. 5, кв. 12'],
        [b, inB, 'В УК Б', 'Москва, ул. Мира, д. 5, кв. 13'],
      ] as const) {
        const card = (await gql(CARD, { phone }, w.org.adminToken)).data.contactCard;
        expect(card.contact.id).toBe(own);
        expect(card.addresses.map((x: any) => x.address)).toEqual([address]);
        expect(card.addresses[0].tickets.edges.map((e: any) => e.node.description)).toEqual([description]);
        const matches = (await gql(TYPEAHEAD, { q: '555 12' }, w.org.adminToken)).data.contactsByPhone;
        expect(matches.map((m: any) => m.contact.id)).toEqual([own]);
      }
      expect(errorCode(await gql(CARD, { contactId: inA }, b.org.adminToken))).toBe('NOT_FOUND');
    });

    it('shows an employee exactly the tickets of their specializations in every list and on the card, and only the addresses they have a reason to see', async () => {
      const w = await world();
      const clientId = await w.make.client({ lastName: 'Видимый', firstName: 'Клиент', phone: '+7 916 600-00-01' });
      const leak = await ticket(w, {
        premisesId: w.flat12,
        clientId,
        categoryId: w.categories['Течь'],
        description: 'течь',
      });
      const lift = await ticket(w, {
        premisesId: w.flat13,
        clientId,
        categoryId: w.categories['Лифт не работает'],
        description: 'лифт',
        entrance: 2,
      });
      const none = await ticket(w, { premisesId: w.flat12, clientId, description: 'без категории' });
      const plumber = await employeeWith(w, ['Сантехника']);
      const liftman = await employeeWith(w, ['Подъезд']);
      const everyone = await employeeWith(w, []);
      // The client is attached to no premises here: an address shows only through a ticket the employee may see.
      const expected: [string, string[], string[]][] = [
        [plumber, [leak.id], ['12']],
        [liftman, [lift.id], ['13']],
        [everyone, [none.id, lift.id, leak.id], ['12', '13']],
      ];
      for (const [token, ids, addresses] of expected) {
        const list = (await gql(`{ tickets { totalCount edges { node { id } } } }`, {}, token)).data.tickets;
        expect(list.edges.map((e: any) => e.node.id)).toEqual(ids);
        expect(list.totalCount).toBe(ids.length);
        const house = (
          await gql(`{ houseTickets(buildingId: "${w.buildingId}") { totalCount edges { node { id } } } }`, {}, token)
        ).data.houseTickets;
        expect(house.edges.map((e: any) => e.node.id)).toEqual(ids);
        const byContact = (
          await gql(`{ tickets(filter: { contactId: "${clientId}" }) { edges { node { id } } } }`, {}, token)
        ).data.tickets;
        expect(byContact.edges.map((e: any) => e.node.id)).toEqual(ids);
        const card = (
          await gql(
            `{ contactCard(contactId: "${clientId}") { addresses { premises { number } tickets { totalCount edges { node { id } } } } } }`,
            {},
            token,
          )
        ).data.contactCard;
        expect(card.addresses.map((x: any) => x.premises.number).sort()).toEqual(addresses);
        const onCard = card.addresses.flatMap((x: any) => x.tickets.edges.map((e: any) => e.node.id));
        expect(onCard.sort()).toEqual([...ids].sort());
        expect(card.addresses.reduce((n: number, x: any) => n + x.tickets.totalCount, 0)).toBe(ids.length);
        for (const t of [leak, lift, none]) {
          const one = await gql(`{ ticket(id: "${t.id}") { id } }`, {}, token);
          expect(ids.includes(t.id) ? one.data.ticket.id : errorCode(one)).toBe(
            ids.includes(t.id) ? t.id : 'NOT_FOUND',
          );
        }
        const similar = (
          await gql(
            `{ similarOpenTickets(buildingId: "${w.buildingId}", categoryId: "${w.categories['Подъезд']}") { id } }`,
            {},
            token,
          )
        ).data.similarOpenTickets;
        expect(similar.map((t: any) => t.id)).toEqual(ids.includes(lift.id) ? [lift.id] : []);
      }
      const hidden = await gql(
        `mutation { changeTicketStatus(input: { id: "${lift.id}", status: IN_PROGRESS }) { ticket { id } } }`,
        {},
        plumber,
      );
      expect(errorCode(hidden)).toBe('NOT_FOUND');
      const outside = await gql(
        CREATE_TICKET,
        { input: { buildingId: w.buildingId, description: 'x', categoryId: w.categories['Лифт не работает'] } },
        plumber,
      );
      expect(errorCode(outside)).toBe('BAD_USER_INPUT');
    });
  });
});
