import { EmployeeRole } from '../src/kernel/role';
import { CrmSpace } from '../src/kernel/crm-space';
import { Factories, factories } from './support/factories';
import {
  createOrganization,
  errorCode,
  GraphqlResult,
  startTestApp,
  TestApp,
  TestOrganization,
} from './support/test-app';

const CLIENT_FIELDS = `id fullName type status phone extraPhones inn snils passportSeries passportNumber passportIssuedOn postalIndex email birthDate
  tags { id name } externalIds { id space system value note } premises { role keepOnSync source premises { id } }`;
const CREATE = `mutation($input: CreateClientInput!) { createClient(input: $input) { merged client { ${CLIENT_FIELDS} } } }`;
const SEARCH = `query($filter: ClientFilter) { clients(first: 100, filter: $filter) { totalCount edges { node { id } } } }`;

function fields(result: GraphqlResult): string[] {
  return (result.errors?.[0]?.extensions?.fields ?? []).map((f: { path: string }) => f.path);
}

describe('clients', () => {
  let app: TestApp;
  let org: TestOrganization;
  let make: Factories;
  let premisesId: string;
  let otherPremisesId: string;
  let seq = 0;

  /** A valid individual with a phone unique to the test run. */
  const person = (overrides: Record<string, unknown> = {}) => ({
    lastName: 'Иванов',
    firstName: 'Иван',
    phone: `+7 916 ${String(1_000_000 + ++seq * 7919).slice(-7)}`,
    ...overrides,
  });
  const create = (input: Record<string, unknown>, token = org.adminToken) => app.gql(CREATE, { input }, token);

  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
    make = factories(app, org);
    const buildingId = await make.building({ city: 'Москва', street: 'Клиентская', house: '3' });
    premisesId = await make.premises(buildingId, '12');
    otherPremisesId = await make.premises(buildingId, '13');
  });
  afterAll(() => app.close());

  describe('card validation', () => {
    it.each(['8 (916) 123-45-67', '+7 916 1234567', '9161234567'])(
      'stores the phone %s as +79161234567',
      async (phone) => {
        const fresh = await createOrganization(app);
        const result = await create({ lastName: 'Петров', firstName: 'Пётр', phone }, fresh.adminToken);
        expect(result.errors).toBeUndefined();
        expect(result.data.createClient.client.phone).toBe('+79161234567');
      },
    );

    it('accepts valid identifiers and stores them canonically', async () => {
      const individual = await create(
        person({
          inn: '500100732259',
          snils: '112-233-445 95',
          passportSeries: '45 08',
          passportNumber: '123456',
          passportIssuedOn: '2010-05-04',
          postalIndex: '125000',
          email: 'Ivanov@Mail.RU',
          birthDate: '1980-01-31',
          extraPhones: ['8 495 123-45-67'],
        }),
      );
      expect(individual.errors).toBeUndefined();
      expect(individual.data.createClient.client).toMatchObject({
        inn: '500100732259',
        snils: '11223344595',
        passportSeries: '4508',
        email: 'ivanov@mail.ru',
        extraPhones: ['+74951234567'],
      });
      const company = await create({ type: 'LEGAL_ENTITY', organizationName: 'ООО «Ромашка»', inn: '7830002293' });
      expect(company.errors).toBeUndefined();
      expect(company.data.createClient.client.fullName).toBe('ООО «Ромашка»');
    });

    it.each([
      [{ inn: '500100732258' }, 'input.inn'],
      [{ inn: '7830002293' }, 'input.inn'], // a valid organization INN on a person
      [{ snils: '112-233-445 96' }, 'input.snils'],
      [{ phone: '8 916 123' }, 'input.phone'],
      [{ extraPhones: ['not a phone'] }, 'input.extraPhones'],
      [{ passportSeries: '45O8' }, 'input.passportSeries'],
      [{ passportNumber: '12345' }, 'input.passportNumber'],
      [{ passportIssuedOn: '2999-01-01' }, 'input.passportIssuedOn'],
      [{ birthDate: '31.01.1980' }, 'input.birthDate'],
      [{ postalIndex: '12500' }, 'input.postalIndex'],
      [{ email: 'ivanov@' }, 'input.email'],
      [{ firstName: null }, 'input.firstName'],
    ])('rejects %j on %s and writes nothing', async (bad, path) => {
      const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM client WHERE organization_id = $1`, [
        org.organizationId,
      ]);
      const result = await create(person(bad));
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(fields(result)).toContain(path);
      expect(result.errors![0].extensions!.fields.find((f: any) => f.path === path)).toEqual({
        path,
        message: expect.any(String),
        messageEn: expect.any(String),
      });
      const after = await app.dataSource.query(`SELECT count(*)::int AS n FROM client WHERE organization_id = $1`, [
        org.organizationId,
      ]);
      expect(after[0].n).toBe(before[0].n);
    });

    it('asks a legal entity for its name and a 10-digit INN', async () => {
      const result = await create({ type: 'LEGAL_ENTITY', inn: '500100732259' });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(fields(result)).toEqual(expect.arrayContaining(['input.organizationName', 'input.inn']));
    });
  });

  describe('identity rule and phones', () => {
    it('merges a construction-space card of the same person into the operation one; each space sees both spaces’ identifiers and edits only its own', async () => {
      const builderToken = (await make.employee(EmployeeRole.MANAGER, { crmSpace: CrmSpace.CONSTRUCTION })).token;

      const operation = await create(
        person({
          lastName: 'Ёлкин',
          firstName: 'Семён',
          middleName: 'Петрович',
          phone: '+7 903 555-00-11',
          externalIds: [{ system: 'billing', value: 'OP-1' }],
        }),
      );
      const construction = await create(
        {
          lastName: 'ЕЛКИН',
          firstName: 'семён',
          middleName: 'Петрович ',
          phone: '8 903 555 00 11',
          passportNumber: '654321',
          externalIds: [{ system: 'amoCRM', value: 'CRM-9' }],
        },
        builderToken,
      );
      expect(construction.errors).toBeUndefined();
      expect(construction.data.createClient.merged).toBe(true);
      const id = operation.data.createClient.client.id;
      expect(construction.data.createClient.client.id).toBe(id);
      expect(construction.data.createClient.client.externalIds.map((e: any) => e.value).sort()).toEqual([
        'CRM-9',
        'OP-1',
      ]);
      const seenByOperation = await app.gql(
        `{ client(id: "${id}") { passportNumber externalIds { space value editable } } }`,
        {},
        org.adminToken,
      );
      expect(seenByOperation.data.client).toEqual({
        passportNumber: '654321',
        externalIds: [
          { space: 'CONSTRUCTION', value: 'CRM-9', editable: false },
          { space: 'OPERATION', value: 'OP-1', editable: true },
        ],
      });
      const seenByBuilder = await app.gql(
        `{ client(id: "${id}") { externalIds { id space value editable } } }`,
        {},
        builderToken,
      );
      expect(seenByBuilder.data.client.externalIds.map((e: any) => [e.space, e.editable])).toEqual([
        ['CONSTRUCTION', true],
        ['OPERATION', false],
      ]);
      const operationId = seenByBuilder.data.client.externalIds.find((e: any) => e.space === 'OPERATION').id;
      const refused = await app.gql(
        `mutation { updateExternalId(input: { id: "${operationId}", value: "OP-2" }) { externalId { id } } }`,
        {},
        builderToken,
      );
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.errors![0].message).toContain('эксплуатации');
      const auditSeenByOperation = await app.gql(
        `{ auditLog(entityType: CLIENT, entityId: "${id}") { edges { node { action after } } } }`,
        {},
        org.adminToken,
      );
      expect(JSON.stringify(auditSeenByOperation.data.auditLog.edges)).not.toContain('CRM-9');
      expect(JSON.stringify(auditSeenByOperation.data.auditLog.edges)).toContain('OP-1');
      const stored = await app.dataSource.query(
        `SELECT space, value FROM external_id WHERE entity_id = $1 ORDER BY space`,
        [id],
      );
      expect(stored).toEqual([
        { space: 'CONSTRUCTION', value: 'CRM-9' },
        { space: 'OPERATION', value: 'OP-1' },
      ]);
    });

    it("keeps another person's login phone on a new card as a contact phone, and says whose login it is", async () => {
      const owner = await create(person({ lastName: 'Сидоров', phone: '+7 903 555-00-22' }));
      const shared = await app.gql(
        `mutation($input: CreateClientInput!) { createClient(input: $input) { merged sharedPhones { phone loginClientId loginClientName } client { id phone extraPhones } } }`,
        { input: person({ lastName: 'Сидорова', firstName: 'Анна', phone: '89035550022' }) },
        org.adminToken,
      );
      expect(shared.errors).toBeUndefined();
      const ownerCard = owner.data.createClient.client;
      expect(shared.data.createClient).toMatchObject({
        merged: false,
        sharedPhones: [{ phone: '+79035550022', loginClientId: ownerCard.id, loginClientName: 'Сидоров Иван' }],
        client: { phone: null, extraPhones: ['+79035550022'] },
      });
      expect(shared.data.createClient.client.id).not.toBe(ownerCard.id);
      // The login owner is untouched; only changeClientPhone could give the login to someone else, and it refuses a taken one.
      expect(
        (await app.gql(`{ client(id: "${ownerCard.id}") { lastName phone } }`, {}, org.adminToken)).data.client,
      ).toEqual({ lastName: 'Сидоров', phone: '+79035550022' });
      const change = await app.gql(
        `mutation { changeClientPhone(input: { id: "${shared.data.createClient.client.id}", phone: "+79035550022" }) { client { phone } } }`,
        {},
        org.adminToken,
      );
      expect(errorCode(change)).toBe('CONFLICT');
      expect(change.errors![0].message).toContain('Сидоров');
    });

    it('lets only admins change the phone, and audits it', async () => {
      const client = (await create(person())).data.createClient.client;
      const managerToken = (await make.employee(EmployeeRole.MANAGER)).token;
      const change = `mutation($input: ChangeClientPhoneInput!) { changeClientPhone(input: $input) { client { phone } } }`;
      expect(
        errorCode(await app.gql(change, { input: { id: client.id, phone: '+7 999 000-11-22' } }, managerToken)),
      ).toBe('FORBIDDEN');
      const done = await app.gql(change, { input: { id: client.id, phone: '8 999 000-11-22' } }, org.adminToken);
      expect(done.data.changeClientPhone.client.phone).toBe('+79990001122');
      const log = await app.gql(
        `{ auditLog(entityType: CLIENT, entityId: "${client.id}") { edges { node { action channel actorEmployeeId before after } } } }`,
        {},
        org.adminToken,
      );
      expect(log.data.auditLog.edges[0].node).toEqual({
        action: 'phone_changed',
        channel: 'CRM',
        actorEmployeeId: org.adminId,
        before: { phone: client.phone },
        after: { phone: '+79990001122' },
      });
    });

    it('blocks and unblocks with an audit entry each', async () => {
      const client = (await create(person())).data.createClient.client;
      const blocked = await app.gql(
        `mutation { blockClient(input: { id: "${client.id}", reason: "долг" }) { client { status } } }`,
        {},
        org.adminToken,
      );
      expect(blocked.data.blockClient.client.status).toBe('BLOCKED');
      await app.gql(
        `mutation { unblockClient(input: { id: "${client.id}" }) { client { status } } }`,
        {},
        org.adminToken,
      );
      const log = await app.gql(
        `{ auditLog(entityType: CLIENT, entityId: "${client.id}") { totalCount edges { node { action after } } } }`,
        {},
        org.adminToken,
      );
      expect(log.data.auditLog.edges.map((e: any) => e.node.action)).toEqual(['unblocked', 'blocked', 'created']);
      expect(log.data.auditLog.edges[1].node.after).toEqual({ status: 'BLOCKED', reason: 'долг' });
    });
  });

  describe('tags and external identifiers', () => {
    it('creates a tag on first use, never duplicates it by case or spaces, and filters by it', async () => {
      const first = (await create(person())).data.createClient.client;
      const second = (await create(person())).data.createClient.client;
      const add = (clientId: string, tagName: string) =>
        app.gql(
          `mutation { addClientTag(input: { clientId: "${clientId}", tagName: "${tagName}" }) { client { tags { id name } } } }`,
          {},
          org.adminToken,
        );
      const a = await add(first.id, 'Должник 2026');
      const b = await add(second.id, '  должник   2026 ');
      expect(b.data.addClientTag.client.tags).toEqual(a.data.addClientTag.client.tags);
      const typeahead = await app.gql(`{ tags(prefix: "ДОЛ") { name } }`, {}, org.adminToken);
      expect(typeahead.data.tags).toEqual([{ name: 'Должник 2026' }]);
      const tagId = a.data.addClientTag.client.tags[0].id;
      const tagLog = await app.gql(
        `{ auditLog(entityType: TAG, entityId: "${tagId}") { totalCount edges { node { action after } } } }`,
        {},
        org.adminToken,
      );
      expect(tagLog.data.auditLog).toEqual({
        totalCount: 1,
        edges: [{ node: { action: 'created', after: { name: 'Должник 2026' } } }],
      });
      const found = await app.gql(SEARCH, { filter: { tagIds: [tagId] } }, org.adminToken);
      expect(found.data.clients.edges.map((e: any) => e.node.id).sort()).toEqual([first.id, second.id].sort());
    });

    it('keeps identifiers unique and inside the employee’s space', async () => {
      const client = (await create(person({ externalIds: [{ system: '1С', value: 'UNIQ-1', note: 'из 1С' }] }))).data
        .createClient.client;
      const other = (await create(person())).data.createClient.client;
      const addTo = (clientId: string, space: string, value: string) =>
        app.gql(
          `mutation { addExternalId(input: { clientId: "${clientId}", space: ${space}, system: "1С", value: "${value}" }) { externalId { id } } }`,
          {},
          org.adminToken,
        );
      expect(errorCode(await addTo(other.id, 'OPERATION', 'UNIQ-1'))).toBe('CONFLICT');
      expect(errorCode(await addTo(other.id, 'CONSTRUCTION', 'C-1'))).toBe('FORBIDDEN');

      const builder = await make.employee(EmployeeRole.MANAGER, { crmSpace: CrmSpace.CONSTRUCTION });
      const foreign = {
        id: await make
          .as(builder.token)
          .externalId(client.id, { space: CrmSpace.CONSTRUCTION, system: 'amo', value: 'HIDDEN' }),
      };
      // Another space's identifier is shown, read-only: changing or removing it is refused.
      expect(
        errorCode(
          await app.gql(
            `mutation { updateExternalId(input: { id: "${foreign.id}", note: "x" }) { externalId { id } } }`,
            {},
            org.adminToken,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        errorCode(
          await app.gql(
            `mutation { removeExternalId(input: { id: "${foreign.id}" }) { removedId } }`,
            {},
            org.adminToken,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        errorCode(
          await app.gql(
            `mutation { removeExternalId(input: { id: "00000000-0000-4000-8000-000000000000" }) { removedId } }`,
            {},
            org.adminToken,
          ),
        ),
      ).toBe('NOT_FOUND');

      const own = client.externalIds[0].id;
      const edited = await app.gql(
        `mutation { updateExternalId(input: { id: "${own}", note: "сверено" }) { externalId { note value } } }`,
        {},
        org.adminToken,
      );
      expect(edited.data.updateExternalId.externalId).toEqual({ note: 'сверено', value: 'UNIQ-1' });
      const removed = await app.gql(
        `mutation { removeExternalId(input: { id: "${own}" }) { client { externalIds { id } } } }`,
        {},
        org.adminToken,
      );
      expect(removed.data.removeExternalId.client.externalIds).toEqual([{ id: foreign.id }]);
      const left = await app.dataSource.query(`SELECT value FROM external_id WHERE entity_id = $1`, [client.id]);
      expect(left).toEqual([{ value: 'HIDDEN' }]);
    });
  });

  describe('accounts, occupancy and search', () => {
    it('attaches clients to premises, lists them on both cards, and keeps account numbers as text', async () => {
      const owner = (await create(person({ lastName: 'Жильцов' }))).data.createClient.client;
      const attach = (clientId: string, role: string, keepOnSync = false) =>
        app.gql(
          `mutation { attachClientToPremises(input: { clientId: "${clientId}", premisesId: "${premisesId}", role: ${role}, keepOnSync: ${keepOnSync} }) { occupancy { role keepOnSync source } } }`,
          {},
          org.adminToken,
        );
      expect((await attach(owner.id, 'TENANT')).data.attachClientToPremises.occupancy).toEqual({
        role: 'TENANT',
        keepOnSync: false,
        source: 'MANUAL',
      });
      expect((await attach(owner.id, 'OWNER', true)).data.attachClientToPremises.occupancy).toEqual({
        role: 'OWNER',
        keepOnSync: true,
        source: 'MANUAL',
      });
      const roleOnly = await app.gql(
        `mutation { attachClientToPremises(input: { clientId: "${owner.id}", premisesId: "${premisesId}", role: CO_OWNER }) { occupancy { role keepOnSync } } }`,
        {},
        org.adminToken,
      );
      expect(roleOnly.data.attachClientToPremises.occupancy).toEqual({ role: 'CO_OWNER', keepOnSync: true }); // omitted flag is kept
      await attach(owner.id, 'OWNER', true);
      const unknown = await app.gql(
        `mutation { attachClientToPremises(input: { clientId: "${owner.id}", premisesId: "${owner.id}", role: OWNER }) { occupancy { id } } }`,
        {},
        org.adminToken,
      );
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(fields(unknown)).toEqual(['input.premisesId']);

      const account = await app.gql(
        `mutation { createAccount(input: { number: "0012345", premisesId: "${premisesId}", ownerClientId: "${owner.id}", hiddenFromResident: true }) { account { id number paymentsEnabled hiddenFromResident owner { id } } } }`,
        {},
        org.adminToken,
      );
      expect(account.data.createAccount.account).toMatchObject({
        number: '0012345',
        paymentsEnabled: true,
        hiddenFromResident: true,
        owner: { id: owner.id },
      });
      const duplicate = await app.gql(
        `mutation { createAccount(input: { number: "00 12345", premisesId: "${otherPremisesId}" }) { account { id } } }`,
        {},
        org.adminToken,
      );
      expect(errorCode(duplicate)).toBe('CONFLICT');
      expect(fields(duplicate)).toEqual(['input.number']);

      // Adding premises to a client: typing an account number or a part of the address finds them.
      const byAccount = await app.gql(
        `{ premisesList(filter: { search: "00123" }) { edges { node { id } } } }`,
        {},
        org.adminToken,
      );
      expect(byAccount.data.premisesList.edges).toEqual([{ node: { id: premisesId } }]);
      const byName = await app.gql(
        `{ premisesList(filter: { search: "Клиентская 3 кв 13" }) { edges { node { id } } } }`,
        {},
        org.adminToken,
      );
      expect(byName.data.premisesList.edges).toEqual([{ node: { id: otherPremisesId } }]);
      // Adding a client to premises: the surname's beginning finds them.
      const bySurname = await app.gql(SEARCH, { filter: { surnamePrefix: 'жильц' } }, org.adminToken);
      expect(bySurname.data.clients.edges).toEqual([{ node: { id: owner.id } }]);

      const card = await app.gql(
        `{ premises(id: "${premisesId}") { clients { role client { id fullName } } accounts { number } } }`,
        {},
        org.adminToken,
      );
      expect(card.data.premises.clients).toEqual([
        { role: 'OWNER', client: { id: owner.id, fullName: 'Жильцов Иван' } },
      ]);
      expect(card.data.premises.accounts).toEqual([{ number: '0012345' }]);

      const accountId = account.data.createAccount.account.id;
      const blocked = await app.gql(
        `mutation { deletePremises(input: { id: "${premisesId}" }) { deletedId } }`,
        {},
        org.adminToken,
      );
      expect(errorCode(blocked)).toBe('CONFLICT'); // the account still refers to it
      const closed = await app.gql(
        `mutation { closeAccount(input: { id: "${accountId}", closedOn: "2026-01-31" }) { account { status closedOn } } }`,
        {},
        org.adminToken,
      );
      expect(closed.data.closeAccount.account).toEqual({ status: 'CLOSED', closedOn: '2026-01-31' });
      expect(
        errorCode(
          await app.gql(
            `mutation { closeAccount(input: { id: "${accountId}" }) { account { id } } }`,
            {},
            org.adminToken,
          ),
        ),
      ).toBe('CONFLICT');

      const detached = await app.gql(
        `mutation { detachClientFromPremises(input: { clientId: "${owner.id}", premisesId: "${premisesId}" }) { clientId } }`,
        {},
        org.adminToken,
      );
      expect(detached.errors).toBeUndefined();
      const after = await app.gql(`{ client(id: "${owner.id}") { premises { role } } }`, {}, org.adminToken);
      expect(after.data.client.premises).toEqual([]);
    });

    it('finds clients by surname prefix, phone digits, identifier, premises, account number, status and type', async () => {
      const fresh = await createOrganization(app);
      const token = fresh.adminToken;
      const inFresh = factories(app, fresh);
      const flatId = await inFresh.premises(
        await inFresh.building({ city: 'Тула', street: 'Поисковая', house: '1' }),
        '7',
      );
      const mk = async (input: Record<string, unknown>) =>
        (await create(input, token)).data.createClient.client.id as string;
      const orlov = await mk({
        lastName: 'Орлов',
        firstName: 'Олег',
        phone: '+7 916 123-45-67',
        externalIds: [{ system: '1С', value: 'ORL-7' }],
      });
      const orlova = await mk({ lastName: 'Орлова', firstName: 'Ольга', phone: '+7 926 765-43-21' });
      const company = await mk({ type: 'LEGAL_ENTITY', organizationName: 'Орловский хлеб', inn: '7830002293' });
      await inFresh.occupancy(orlova, flatId, 'TENANT');
      await inFresh.account(flatId, '77-001');
      await app.gql(`mutation { blockClient(input: { id: "${orlov}" }) { client { id } } }`, {}, token);

      const ids = async (filter: Record<string, unknown>) => {
        const result = await app.gql(SEARCH, { filter }, token);
        expect(result.errors).toBeUndefined();
        return result.data.clients.edges.map((e: any) => e.node.id);
      };
      expect(await ids({ surnamePrefix: 'орлов' })).toEqual([orlov, orlova, company]);
      expect(await ids({ surnamePrefix: 'Орлова' })).toEqual([orlova]);
      expect(await ids({ phone: '916 12' })).toEqual([orlov]);
      expect(await ids({ phone: '8 926 765-43-21' })).toEqual([orlova]);
      expect(await ids({ search: '4321' })).toEqual([orlova]);
      expect(await ids({ externalId: 'ORL-7' })).toEqual([orlov]);
      expect(await ids({ premisesId: flatId })).toEqual([orlova]);
      expect(await ids({ accountNumber: '77-001' })).toEqual([orlova]);
      expect(await ids({ status: 'BLOCKED' })).toEqual([orlov]);
      expect(await ids({ type: 'LEGAL_ENTITY' })).toEqual([company]);
      expect(errorCode(await app.gql(SEARCH, { filter: { phone: '9' } }, token))).toBe('BAD_USER_INPUT');

      // Short parts (3-4 digits) take the index-walk path: pages follow the surname order without gaps.
      const shared = [
        await mk({ lastName: 'Пятов', firstName: 'А', phone: '+7 903 100-45-45' }),
        await mk({ lastName: 'Бесов', firstName: 'Б', phone: '+7 903 200-45-45' }),
        await mk({ lastName: 'Яшин', firstName: 'В', phone: '+7 903 300-45-45' }),
      ];
      const pages: string[] = [];
      let after: string | undefined;
      do {
        const page = await app.gql(
          `query($after: String) { clients(first: 1, after: $after, filter: { phone: "4545" }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
          token,
        );
        pages.push(...page.data.clients.edges.map((e: any) => e.node.id));
        after = page.data.clients.pageInfo.hasNextPage ? page.data.clients.pageInfo.endCursor : undefined;
      } while (after);
      expect(pages).toEqual([shared[1], shared[0], shared[2]]);
      expect(await ids({ phone: '4545', status: 'ACTIVE' })).toEqual([shared[1], shared[0], shared[2]]);
    });

    it('merges two cards by hand: premises, tags, identifiers and account ownership move; the source is gone', async () => {
      const target = (await create(person({ lastName: 'Слияев', extraPhones: ['+7 495 765-43-21'] }))).data.createClient
        .client;
      const source = (
        await create(
          person({
            lastName: 'Слияев',
            firstName: 'Иван',
            inn: '500100732259',
            externalIds: [{ system: '1С', value: 'MERGE-SRC' }],
          }),
        )
      ).data.createClient.client;
      await make.tag(source.id, 'Старший по дому');
      await make.occupancy(source.id, otherPremisesId, 'CO_OWNER');
      await make.account(otherPremisesId, 'MERGE-1', { ownerClientId: source.id });

      const manager = await make.employee(EmployeeRole.MANAGER);
      const merge = `mutation($input: MergeClientsInput!) { mergeClients(input: $input) { removedClientId client { ${CLIENT_FIELDS} } } }`;
      expect(
        errorCode(await app.gql(merge, { input: { targetId: target.id, sourceId: source.id } }, manager.token)),
      ).toBe('FORBIDDEN');
      const merged = await app.gql(merge, { input: { targetId: target.id, sourceId: source.id } }, org.adminToken);
      expect(merged.errors).toBeUndefined();
      const card = merged.data.mergeClients.client;
      expect(card.id).toBe(target.id);
      expect(card.inn).toBe('500100732259');
      expect(card.extraPhones).toEqual(['+74957654321', source.phone]);
      expect(card.tags.map((t: any) => t.name)).toEqual(['Старший по дому']);
      expect(card.externalIds.map((e: any) => e.value)).toEqual(['MERGE-SRC']);
      expect(card.premises).toEqual([
        { role: 'CO_OWNER', keepOnSync: false, source: 'MANUAL', premises: { id: otherPremisesId } },
      ]);
      const owned = await app.gql(
        `{ accounts(filter: { ownerClientId: "${target.id}" }) { edges { node { number } } } }`,
        {},
        org.adminToken,
      );
      expect(owned.data.accounts.edges).toEqual([{ node: { number: 'MERGE-1' } }]);
      expect(errorCode(await app.gql(`{ client(id: "${source.id}") { id } }`, {}, org.adminToken))).toBe('NOT_FOUND');
      const log = await app.gql(
        `{ auditLog(entityType: CLIENT, entityId: "${target.id}", first: 5) { edges { node { action after } } } }`,
        {},
        org.adminToken,
      );
      // The newest entries may record that the merge's answer showed the card's personal data.
      const entry = log.data.auditLog.edges
        .map((e: any) => e.node)
        .find((n: any) => n.action !== 'personal_data_viewed');
      expect(entry.action).toBe('merged');
      expect(entry.after.mergedClientId).toBe(source.id);
    });
  });
});
