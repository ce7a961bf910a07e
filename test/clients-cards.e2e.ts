import { EmployeeRole } from '../src/kernel/role';
import { CrmSpace } from '../src/kernel/crm-space';
import { Factories } from './support/factories';
import { CREATE, fields, personMaker, startClientsSuite } from './support/clients-suite';
import { createOrganization, errorCode, TestApp, TestOrganization } from './support/test-app';

/** The client card: validation of its fields, the identity rule and the phones, blocking. */
describe('clients', () => {
  let app: TestApp;
  let org: TestOrganization;
  let make: Factories;

  const person = personMaker();
  const create = (input: Record<string, unknown>, token = org.adminToken) => app.gql(CREATE, { input }, token);

  beforeAll(async () => {
    ({ app, org, make } = await startClientsSuite());
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
});
