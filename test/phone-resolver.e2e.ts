import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getNamedType, GraphQLInputObjectType, isInputObjectType } from 'graphql';
import { EmployeeRole } from '../src/kernel/role';
import { factories } from './support/factories';
import { createOrganization, errorCode, startTestApp, TestApp, TestOrganization } from './support/test-app';

/**
 * The phone resolver (src/contact-card/phone-resolver.ts) over GraphQL: which contacts a phone means for
 * the card opened by phone and for the typeahead — cards by any phone, callers without a card, staff — in
 * any writing, with shared phones, namesakes and a second organization holding the same number.
 */
const CARD = `query($phone: String!) {
  contactCard(phone: $phone) {
    contact { id kind fullName loginPhone phones }
    paymentAccess { enabled accounts { number } }
  }
}`;
const TYPEAHEAD = `query($q: String!) { contactsByPhone(query: $q, first: 20) { contact { id kind } } }`;

describe('phone resolver: the contacts a phone means', () => {
  let app: TestApp;
  let org: TestOrganization;
  let other: TestOrganization;
  const ids: Record<string, string> = {};
  const gql = (query: string, variables: Record<string, unknown>, token = org.adminToken) =>
    app.gql(query, variables, token);

  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
    other = await createOrganization(app);
    const make = factories(app, org);
    ids.building = await make.building({ city: 'Москва', street: 'ул. Телефонная', house: '1' });
    const [flat1, flat2] = [await make.premises(ids.building, '1'), await make.premises(ids.building, '2')];
    await make.account(flat1, 'PAY-1', { paymentsEnabled: true });
    await make.account(flat2, 'PAY-2', { paymentsEnabled: true });
    // A card with a login and a second (contact) phone, attached to flat 1.
    ids.kuznetsov = await make.client({
      lastName: 'Кузнецов',
      firstName: 'Олег',
      phone: '+7 903 111-00-01',
      extraPhones: ['8 (903) 111-00-02'],
    });
    await make.occupancy(ids.kuznetsov, flat1, 'OWNER');
    // Namesakes with their own phones; and a family phone: one card's login, the other's contact phone.
    ids.namesakeA = await make.client({ lastName: 'Смирнов', firstName: 'Иван', phone: '+7 903 111-00-03' });
    ids.namesakeB = await make.client({ lastName: 'Смирнов', firstName: 'Иван', phone: '+7 903 111-00-04' });
    ids.husband = await make.client({ lastName: 'Орлов', firstName: 'Игорь', phone: '+7 903 111-00-05' });
    ids.wife = await make.client({ lastName: 'Орлова', firstName: 'Ирина', phone: '+7 903 111-00-05' });
    // A caller without a card, who phoned about flat 2 (which has a payable account).
    await make.ticket({
      premisesId: flat2,
      description: 'Течь',
      contactName: 'Звонилов Захар',
      contactPhone: '8 903 111-00-06',
    });
    ids.caller = await make.callerId('+79031110006');
    // Staff: one with a phone of their own, typed the way people type it; one whose phone is also a client's.
    ids.employee = (await make.employee(EmployeeRole.TECHNICIAN)).id;
    const withPhone = await gql(
      `mutation { updateEmployee(input: { id: "${ids.employee}", phone: "8 (916) 440-55-55" }) { employee { id phone } } }`,
      {},
    );
    expect(withPhone.data.updateEmployee.employee.phone).toBe('+79164405555');
    ids.doublingEmployee = (await make.employee(EmployeeRole.TECHNICIAN, { phone: '+7 903 111-00-03' })).id;
    // The other organization has a card with Кузнецов's login number: it never shows here, nor ours there.
    ids.foreign = await factories(app, other).client({
      lastName: 'Чужой',
      firstName: 'Клиент',
      phone: '+7 903 111-00-01',
    });
  });
  afterAll(() => app.close());

  type Expected = { kind: string; id: string } | { several: string[] } | 'NOT_FOUND' | 'BAD_USER_INPUT';
  const cases: [string, string, () => Expected][] = [
    ['a card by its login, E.164', '+79031110001', () => ({ kind: 'CLIENT', id: ids.kuznetsov })],
    [
      'a card by its login, with the trunk 8 and brackets',
      '8 (903) 111-00-01',
      () => ({ kind: 'CLIENT', id: ids.kuznetsov }),
    ],
    ['a card by its second (contact) phone', '+7 903 111 00 02', () => ({ kind: 'CLIENT', id: ids.kuznetsov })],
    ['a namesake by his own phone', '89031110004', () => ({ kind: 'CLIENT', id: ids.namesakeB })],
    ['a caller without a card', '+7-903-111-00-06', () => ({ kind: 'CALLER', id: ids.caller })],
    [
      'a staff member by the phone typed into their profile',
      '+7 916 440 55 55',
      () => ({ kind: 'EMPLOYEE', id: ids.employee }),
    ],
    [
      'a family phone: the login owner and the card keeping it as a contact phone',
      '+79031110005',
      () => ({ several: [ids.husband, ids.wife] }),
    ],
    [
      'a phone of a client and of a staff member',
      '+79031110003',
      () => ({ several: [ids.namesakeA, ids.doublingEmployee] }),
    ],
    ['a number nobody has', '+79039999999', () => 'NOT_FOUND'],
    ['not a whole number', '903 111', () => 'BAD_USER_INPUT'],
  ];

  it.each(cases)('contactCard(phone:) — %s', async (_title, phone, expected) => {
    const want = expected();
    const result = await gql(CARD, { phone });
    if (want === 'NOT_FOUND' || want === 'BAD_USER_INPUT') {
      expect(errorCode(result)).toBe(want);
    } else if ('several' in want) {
      // Opens nobody: the dispatcher chooses among them.
      expect(errorCode(result)).toBe('CONFLICT');
      expect(result.errors![0].extensions!.fields).toEqual([expect.objectContaining({ path: 'phone' })]);
      expect(result.errors![0].extensions!.contacts.map((c: any) => c.id).sort()).toEqual([...want.several].sort());
      expect(result.errors![0].extensions!.messageEn).toBeTruthy();
    } else {
      expect(result.errors).toBeUndefined();
      expect(result.data.contactCard.contact).toMatchObject(want);
    }
  });

  it.each(cases.filter(([, , e]) => typeof e() === 'object'))(
    'contactsByPhone lists the same contacts — %s',
    async (_title, phone, expected) => {
      const want = expected() as { kind: string; id: string } | { several: string[] };
      const found = (await gql(TYPEAHEAD, { q: phone })).data.contactsByPhone.map((m: any) => m.contact.id);
      for (const id of 'several' in want ? want.several : [want.id]) expect(found).toContain(id);
    },
  );

  it('shows which phone signs in to the app, and the other organization’s card with the same number is not ours', async () => {
    const card = (await gql(CARD, { phone: '+7 903 111-00-02' })).data.contactCard;
    expect(card.contact).toMatchObject({ loginPhone: '+79031110001', phones: ['+79031110001', '+79031110002'] });
    const theirs = (await gql(CARD, { phone: '+7 903 111-00-01' }, other.adminToken)).data.contactCard.contact;
    expect(theirs).toMatchObject({ id: ids.foreign, kind: 'CLIENT' });
    const wife = (await gql(`{ client(id: "${ids.wife}") { phone extraPhones } }`, {})).data.client;
    expect(wife).toEqual({ phone: null, extraPhones: ['+79031110005'] });
  });

  it('files a ticket from a phone for the one card carrying it, none for a shared phone, and lists no caller for a card’s phone', async () => {
    const file = async (contactPhone: string) =>
      (
        await gql(`mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { client { id } } } }`, {
          input: { buildingId: ids.building, description: 'Звонок', contactName: 'Кто-то', contactPhone },
        })
      ).data.createTicket.ticket;
    expect((await file('8 903 111-00-02')).client).toEqual({ id: ids.kuznetsov });
    expect((await file('+7 903 111-00-05')).client).toBeNull();
    const listed = (await gql(TYPEAHEAD, { q: '903 111-00-02' })).data.contactsByPhone.map(
      (m: any) => `${m.contact.kind}:${m.contact.id}`,
    );
    expect(listed).toEqual([`CLIENT:${ids.kuznetsov}`]);
  });

  it('gives payment access only from the contact’s own attachments: not to a caller from the flat he phoned about', async () => {
    const caller = (await gql(CARD, { phone: '+79031110006' })).data.contactCard;
    expect(caller.contact.kind).toBe('CALLER');
    expect(caller.paymentAccess).toEqual({ enabled: false, accounts: [] });
    const owner = (await gql(CARD, { phone: '+79031110001' })).data.contactCard;
    expect(owner.paymentAccess).toEqual({ enabled: true, accounts: [{ number: 'PAY-1' }] });
    const employee = (await gql(CARD, { phone: '+79164405555' })).data.contactCard;
    expect(employee.paymentAccess).toEqual({ enabled: false, accounts: [] });
  });

  it('sweep: every operation that takes a phone to find or to write a person is probed by the resolver or the identity rule', async () => {
    const schema = app.server.app.get(GraphQLSchemaHost).schema;
    const phoneFields = new Set(['phone', 'phones', 'extraPhones', 'contactPhone']);
    const carriesPhone = (type: GraphQLInputObjectType, seen = new Set<string>()): boolean => {
      if (seen.has(type.name)) return false;
      seen.add(type.name);
      return Object.values(type.getFields()).some(
        (f) =>
          phoneFields.has(f.name) ||
          (isInputObjectType(getNamedType(f.type)) &&
            carriesPhone(getNamedType(f.type) as GraphQLInputObjectType, seen)),
      );
    };
    const operations = [
      ...Object.values(schema.getQueryType()!.getFields()),
      ...Object.values(schema.getMutationType()!.getFields()),
    ]
      .filter((field) =>
        field.args.some(
          (a) =>
            phoneFields.has(a.name) ||
            (isInputObjectType(getNamedType(a.type)) && carriesPhone(getNamedType(a.type) as GraphQLInputObjectType)),
        ),
      )
      .map((field) => field.name)
      .sort();
    // Where each is probed: the identity rule (clients, import, integration, registration e2e), the resolver (this file).
    const probed: Record<string, string> = {
      contactCard: 'phone-resolver.e2e.ts (every case above)',
      createClient: 'clients-cards.e2e.ts (shared phone), phone-resolver.e2e.ts (family phone)',
      updateClient: 'clients-cards.e2e.ts (extra phones)',
      changeClientPhone: 'clients-cards.e2e.ts (login change, audited; a taken login refused)',
      upsertClients: 'integration.e2e.ts (identity rule by external id, then name + phone)',
      createTicket: 'registration.e2e.ts and import.e2e.ts (earlier tickets linked)',
      requestSignInCode: 'registration.e2e.ts',
      signIn: 'registration.e2e.ts (only the login phone opens premises)',
      updateEmployee: 'phone-resolver.e2e.ts (E.164, found by the card)',
      createEmployee: 'phone-resolver.e2e.ts (same normalization as updateEmployee)',
      addContactAddress: 'tickets.e2e.ts',
      approveRegistration: 'registration.e2e.ts',
      clients: 'phone-search.e2e.ts (the client list filtered by phone digits)',
    };
    const unprobed = operations.filter((name) => !(name in probed));
    expect(unprobed).toEqual([]);
    // And the list names only operations that exist (a removed one leaves no stale entry).
    expect(Object.keys(probed).filter((name) => !operations.includes(name))).toEqual([]);
  });
});
