import { ResidentAppStatusService } from '../src/contact-card/resident-app-status.service';
import { ContactReads } from '../src/contact-card/contact-reads';
import { sqlStatementCounter } from '../src/database/data-source-options';
import { OccupancyService } from '../src/occupancy/occupancy.service';
import { premisesWithBuildings } from '../src/graphql/premises-with-buildings';
import { AccountReads } from '../src/accounts/account-reads';
import { TicketPlaceReads } from '../src/tickets/ticket-place-reads.service';
import { TicketScope } from '../src/tickets/ticket-visibility';
import { TicketStatus } from '../src/tickets/ticket-enums';
import { factories, uniquePhone } from './support/factories';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

/**
 * The card opened by id reads the contact, a client's attachments and their app status in one
 * statement (ContactReads.cardHead): it must answer exactly what the separate reads answer (byId
 * within a transaction reads the card, the caller and the employee one by one).
 */
describe('ContactReads.cardHead', () => {
  let app: TestApp;
  let org: TestOrganization;
  let contacts: ContactReads;
  const phone = uniquePhone('+7903');
  let clientId: string;
  let callerId: string;
  let premisesIds: string[];
  let categoryIds: string[];

  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
    contacts = app.server.app.get(ContactReads);
    const make = factories(app, org);
    clientId = await make.client({
      lastName: 'Заголовков',
      firstName: 'Глеб',
      middleName: 'Ильич',
      phone,
      extraPhones: ['+74951234567'],
      birthDate: '1971-03-04',
      email: 'g@example.test',
    });
    const buildingId = await make.building({ city: 'Тверь', street: 'Заглавная', house: '3' });
    premisesIds = [
      await make.premises(buildingId, '1'),
      await make.premises(buildingId, '2'),
      await make.premises(buildingId, '3'),
    ];
    // Owner of flat 1, tenant of flats 2 and 3 (kept on sync at flat 2).
    for (const [n, premisesId] of premisesIds.entries())
      await make.occupancy(clientId, premisesId, n === 0 ? 'OWNER' : 'TENANT', { keepOnSync: n === 1 });
    // The client's accounts at flats 1 (a half share, payable) and 2, and an ownerless one at flat 1.
    await make.account(premisesIds[0], 'ЗГ-1', { ownerClientId: clientId, areaShare: '0.5', paymentsEnabled: true });
    await make.account(premisesIds[1], 'ЗГ-2', { ownerClientId: clientId, paymentsEnabled: false });
    await make.account(premisesIds[0], 'ЗГ-9', { paymentsEnabled: false });
    // The client's phone signed in to the resident app three minutes ago: a time in the past, set in SQL.
    await app.dataSource.query(`INSERT INTO resident (phone, last_seen_at) VALUES ($1, now() - interval '3 minutes')`, [
      phone,
    ]);
    // Tickets, two categories alternating: the client's own at two of their flats, ones from the client's
    // extra phone about the house, and the caller's (no card) at flat 3, then about the house.
    const categories = await make.categories();
    categoryIds = [categories['Течь'], categories['Лифт не работает']].filter(Boolean);
    expect(categoryIds).toHaveLength(2);
    for (let g = 1; g <= 24; g++) {
      const place =
        g <= 10
          ? { premisesId: premisesIds[g % 2] }
          : g > 15 && g <= 20
            ? { premisesId: premisesIds[2] }
            : { buildingId };
      const contact =
        g <= 10
          ? { clientId, contactName: 'Заголовков Глеб', contactPhone: phone }
          : g <= 15
            ? { contactName: 'Глеб', contactPhone: '+74951234567' }
            : { contactName: 'Звонящий Заголовков', contactPhone: '+79035550000' };
      await make.ticket({
        ...place,
        ...contact,
        categoryId: categoryIds[g % 2],
        description: `Заявка ${g}`,
        status: g % 3 === 0 ? TicketStatus.CLOSED : undefined,
        deadline: g % 4 === 0 ? new Date(Date.now() + 86_400_000).toISOString() : undefined,
      });
    }
    callerId = await make.callerId('+79035550000');
  });
  afterAll(async () => {
    await app.dataSource.query(`DELETE FROM resident WHERE phone = $1`, [phone]);
    await app.close();
  });

  async function statementsOf<T>(run: () => Promise<T>): Promise<[T, number]> {
    const before = sqlStatementCounter.total;
    const result = await run();
    return [result, sqlStatementCounter.total - before];
  }

  it('reads a client card, its attachments and its app status in one statement, as the separate reads do', async () => {
    const [head, statements] = await statementsOf(() => contacts.cardHead(org.organizationId, clientId));
    expect(head.homes).toBeUndefined();
    expect(statements).toBe(1);
    expect(head.contact).toEqual(await contacts.byIdIn(app.dataSource.manager, org.organizationId, clientId));
    expect(head.contact.phones).toEqual([phone, '+74951234567']);
    const occupancies = (await app.server.app.get(OccupancyService).ofClients(org.organizationId, [clientId])).get(
      clientId,
    );
    expect(occupancies).toHaveLength(3);
    expect(head.occupancies).toEqual(occupancies);
    const status = (await app.server.app.get(ResidentAppStatusService).appStatusByPhones([phone])).get(phone);
    expect(status?.usesApp).toBe(true);
    expect(head.appStatus).toEqual(status);
    expect(head.appStatus?.lastSeenAt).toBeInstanceOf(Date);
  });

  it("with homes, also reads the client's premises, their buildings and accounts in that one statement", async () => {
    const [head, statements] = await statementsOf(() =>
      contacts.cardHead(org.organizationId, clientId, { homes: true }),
    );
    expect(statements).toBe(1);
    const withBuildings = await premisesWithBuildings(app.dataSource, org.organizationId, premisesIds);
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(head.homes!.premises)).toEqual(byId([...withBuildings.values()].map((r) => r.premises)));
    expect(head.homes!.buildings).toEqual([[...withBuildings.values()][0].building]);
    const accounts = await app.server.app.get(AccountReads).ofPremises(org.organizationId, premisesIds);
    expect(head.homes!.accounts).toHaveLength(3);
    for (const id of premisesIds)
      expect(head.homes!.accounts.filter((a) => a.premisesId === id)).toEqual(accounts.get(id) ?? []);
    expect(head.homes!.accounts.find((a) => a.areaShare !== null)?.areaShare).toBe('0.5000');
  });

  describe('with pages', () => {
    const scopes = (): [string, TicketScope][] => [
      ['every category', { organizationId: org.organizationId, categoryIds: null }],
      ['one category', { organizationId: org.organizationId, categoryIds: [categoryIds[0]] }],
    ];

    it("reads a client's ticket places with each one's first page in that one statement, as placesWithFirstPages does", async () => {
      for (const [label, scope] of scopes()) {
        const [head, statements] = await statementsOf(() =>
          contacts.cardHead(org.organizationId, clientId, { homes: true, pages: { scope, perPlace: 3 } }),
        );
        expect(statements).toBe(1);
        const [expected] = await app.server.app
          .get(TicketPlaceReads)
          .placesWithFirstPages(scope, [head.contact.key], 3);
        // two flats with their own tickets and the house with the extra phone's; a scope shows the places of its tickets only
        expect({ label, places: head.places!.length }).toEqual({
          label,
          places: scope.categoryIds ? new Set(expected.map((p) => p.placeId)).size : 3,
        });
        expect(head.places!.every((p) => p.firstPage.length > 0)).toBe(true);
        expect(
          head.places!.every(
            (p) => p.firstPage.length <= 3 && (scope.categoryIds !== null || p.firstPage.length === 3),
          ),
        ).toBe(true);
        expect({ label, places: head.places }).toEqual({ label, places: expected });
        if (scope.categoryIds)
          expect(head.places!.flatMap((p) => p.firstPage).every((t) => t.categoryId === categoryIds[0])).toBe(true);
        expect(head.places![0].firstPage[0].createdAt).toBeInstanceOf(Date);
        expect(head.places!.flatMap((p) => p.firstPage).some((t) => t.deadline instanceof Date)).toBe(true);
      }
    });

    it("reads a caller's ticket places and pages by their phone", async () => {
      for (const [label, scope] of scopes()) {
        const head = await contacts.cardHead(org.organizationId, callerId, {
          homes: true,
          pages: { scope, perPlace: 10 },
        });
        const [expected] = await app.server.app
          .get(TicketPlaceReads)
          .placesWithFirstPages(scope, [head.contact.key], 10);
        expect({ label, places: head.places }).toEqual({ label, places: expected });
        // the house (their newest tickets), then flat 3
        expect(head.places!.map((p) => p.premisesId)).toEqual([null, premisesIds[2]]);
      }
    });

    it("leaves an employee's places to the loader, and finds no places for a contact with no tickets", async () => {
      const scope = scopes()[0][1];
      const employee = await contacts.cardHead(org.organizationId, org.adminId, {
        homes: true,
        pages: { scope, perPlace: 10 },
      });
      expect(employee.places).toBeUndefined();
      const quiet = await factories(app, org).client({ lastName: 'Тихий', firstName: 'Тимофей' });
      expect((await contacts.cardHead(org.organizationId, quiet, { pages: { scope, perPlace: 10 } })).places).toEqual(
        [],
      );
    });
  });

  describe('by phone', () => {
    const full = () => ({
      homes: true,
      pages: { scope: { organizationId: org.organizationId, categoryIds: null }, perPlace: 3 },
    });

    it("finds a client by their main phone, in any writing, and reads what cardHead reads by the client's id, in one statement", async () => {
      const [byPhone, statements] = await statementsOf(() =>
        contacts.cardHeadByPhone(org.organizationId, `8 (${phone.slice(2, 5)}) ${phone.slice(5)}`, full()),
      );
      expect(statements).toBe(1);
      expect(byPhone.contact.id).toBe(clientId);
      expect(byPhone).toEqual(await contacts.cardHead(org.organizationId, clientId, full()));
      expect(byPhone.places).toHaveLength(3);
    });

    it("finds a caller without a card by their phone, and reads what cardHead reads by the caller's id", async () => {
      const byPhone = await contacts.cardHeadByPhone(org.organizationId, '+7 903 555-00-00', full());
      expect(byPhone.contact).toMatchObject({ id: callerId, kind: 'CALLER' });
      expect(byPhone).toEqual(await contacts.cardHead(org.organizationId, callerId, full()));
    });

    it('finds a client by their second (contact) phone too, in one statement (the phone resolver: a card by any of its phones)', async () => {
      const [byExtra, statements] = await statementsOf(() =>
        contacts.cardHeadByPhone(org.organizationId, '+7 495 123-45-67', full()),
      );
      expect(statements).toBe(1);
      expect(byExtra).toEqual(await contacts.cardHead(org.organizationId, clientId, full()));
    });

    it("answers NOT_FOUND for a phone that is nobody's, and BAD_USER_INPUT for one that is no phone", async () => {
      await expect(contacts.cardHeadByPhone(org.organizationId, '+74957654321', full())).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(contacts.cardHeadByPhone(org.organizationId, '12', full())).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
      });
      const other = await createOrganization(app);
      const otherPages = {
        homes: true,
        pages: { scope: { organizationId: other.organizationId, categoryIds: null }, perPlace: 3 },
      };
      for (const number of [phone, '+79035550000']) {
        await expect(contacts.cardHeadByPhone(other.organizationId, number, otherPages)).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
      }
    });
  });

  it('reads a caller without a card, with no attachments and no app status', async () => {
    const head = await contacts.cardHead(org.organizationId, callerId);
    expect(head.contact).toEqual(await contacts.byIdIn(app.dataSource.manager, org.organizationId, callerId));
    expect(head.contact.kind).toBe('CALLER');
    expect(head).toMatchObject({ occupancies: [], appStatus: null });
  });

  it('finds an employee by their id, as byId does', async () => {
    const head = await contacts.cardHead(org.organizationId, org.adminId);
    expect(head.contact).toEqual(await contacts.byIdIn(app.dataSource.manager, org.organizationId, org.adminId));
    expect(head.contact.kind).toBe('EMPLOYEE');
  });

  it("finds nothing of another organization's contacts", async () => {
    const other = await createOrganization(app);
    const pages = { scope: { organizationId: other.organizationId, categoryIds: null }, perPlace: 10 };
    for (const id of [clientId, callerId]) {
      await expect(
        contacts.cardHead(other.organizationId, id, { path: 'contactId', homes: true, pages }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    // A scope is the employee's: one of another organization is a programming error, not an empty card.
    await expect(contacts.cardHead(org.organizationId, clientId, { pages })).rejects.toThrow('another organization');
  });
});
