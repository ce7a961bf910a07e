import { EmployeeRole } from '../src/kernel/role';
import { errorCode, startTestApp, TestApp } from './support/test-app';
import { PhoneDigitsDensity } from '../src/clients/phone-digits-density';
import { CARD, TICKET, TYPEAHEAD, ticketWorlds } from './support/ticket-world';

describe('tickets and the contact card', () => {
  let app: TestApp;
  const { gql, world, ticket } = ticketWorlds(() => app);

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

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
});
