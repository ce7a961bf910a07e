import { randomInt } from 'node:crypto';
import { EmployeeRole } from '../src/kernel/role';
import { factories } from './support/factories';
import { residentApp, SUBMIT, MY_PREMISES, waitFor } from './support/resident-app';
import { addEmployee, createOrganization, errorCode, TestApp, TestOrganization } from './support/test-app';

describe('resident self-registration', () => {
  const { world, call, signInResident, mailsFor, building, premises, account } = residentApp();
  let app: TestApp;
  let org: TestOrganization;
  let receiverEmails: string[];
  let street: string;
  beforeAll(() => ({ app, org, receiverEmails, street } = world));

  describe('submitting a registration', () => {
    it('attaches at once as owner when the address and number identify the premises, showing only visible accounts', async () => {
      const buildingId = await building('1');
      const premisesId = await premises(buildingId, '12');
      await account(premisesId, `R-${randomInt(0, 1e9)}`, { paymentsEnabled: true });
      await account(premisesId, `DEV-${randomInt(0, 1e9)}`, { hiddenFromResident: true });
      const resident = await signInResident();
      const submitted = await call(
        SUBMIT,
        {
          input: {
            fullName: 'Петров Пётр Петрович',
            street: `улица ${street}`,
            house: 'д. 1',
            premisesNumber: '12',
            role: 'TENANT',
          },
        },
        resident.token,
      );
      expect(submitted.errors).toBeUndefined();
      expect(submitted.data.submitRegistration.request).toMatchObject({
        status: 'AUTO_ATTACHED',
        premisesId,
        role: 'OWNER',
      });
      const [occupancy] = await app.dataSource.query(
        `SELECT role, source, keep_on_sync FROM occupancy WHERE premises_id = $1`,
        [premisesId],
      );
      expect(occupancy).toEqual({ role: 'OWNER', source: 'REGISTRATION', keep_on_sync: true });
      const mine = (await call(MY_PREMISES, {}, resident.token)).data.myPremises;
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        premisesId,
        premisesNumber: '12',
        role: 'OWNER',
        address: `Казань, ул. ${street}, д. 1`,
      });
      expect(mine[0].accounts).toEqual([{ number: expect.stringMatching(/^R-/), paymentsEnabled: true }]);
      const [client] = await app.dataSource.query(
        `SELECT last_name, first_name, middle_name, phone FROM client WHERE id = $1`,
        [submitted.data.submitRegistration.request.clientId],
      );
      expect(client).toEqual({
        last_name: 'Петров',
        first_name: 'Пётр',
        middle_name: 'Петрович',
        phone: resident.phone,
      });
    });

    it('identifies the premises by an account number consistent with the address, and not by one of another house', async () => {
      const buildingId = await building('2');
      const flat = await premises(buildingId, '5');
      await premises(buildingId, '5', 'NON_RESIDENTIAL');
      const number = `ACC-${randomInt(0, 1e9)}`;
      await account(flat, number);
      const otherHouse = await premises(await building('3'), '5');
      const otherNumber = `ACC-${randomInt(0, 1e9)}`;
      await account(otherHouse, otherNumber);

      const first = await signInResident();
      const identified = await call(
        SUBMIT,
        {
          input: {
            fullName: 'Сидоров Сидор',
            street,
            house: '2',
            premisesNumber: '5',
            accountNumber: number,
            role: 'OWNER',
          },
        },
        first.token,
      );
      expect(identified.data.submitRegistration.request).toMatchObject({ status: 'AUTO_ATTACHED', premisesId: flat });

      const second = await signInResident();
      const inconsistent = await call(
        SUBMIT,
        {
          input: {
            fullName: 'Сидорова Анна',
            street,
            house: '2',
            premisesNumber: '5',
            accountNumber: otherNumber,
            role: 'OWNER',
          },
        },
        second.token,
      );
      expect(inconsistent.data.submitRegistration.request).toMatchObject({ status: 'PENDING', premisesId: null });
    });

    it('leaves an unidentified request PENDING, e-mails every receiver once, and answers a repeat with the same request', async () => {
      const buildingId = await building('4');
      await premises(buildingId, '7');
      await premises(buildingId, '7', 'NON_RESIDENTIAL');
      const resident = await signInResident();
      const input = { fullName: 'Ожидающий Олег', street, house: '4', premisesNumber: '7', role: 'TENANT' };
      const first = await call(SUBMIT, { input }, resident.token);
      const request = first.data.submitRegistration.request;
      expect(request).toMatchObject({
        status: 'PENDING',
        statusText: 'Заявка на регистрацию ожидает рассмотрения',
        premisesId: null,
        clientId: null,
      });
      const again = await call(SUBMIT, { input: { ...input, fullName: 'Ожидающий Олег Олегович' } }, resident.token);
      expect(again.data.submitRegistration.request.id).toBe(request.id);

      await waitFor('both e-mails', async () => (await mailsFor(request.id)).length === 2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await mailsFor(request.id)).map((m) => m.to[0]).sort()).toEqual(receiverEmails);
      const outbox = await app.dataSource.query(`SELECT status FROM notification_outbox WHERE dedup_key LIKE $1`, [
        `registration:${request.id}:%`,
      ]);
      expect(outbox).toEqual([{ status: 'SENT' }, { status: 'SENT' }]);
    });

    it('is neither blocked nor diverted by another organization’s building at its address; a real choice is made by public name, no ids shown', async () => {
      const resident = await signInResident();
      const house = `7-${randomInt(0, 1e9)}`;
      const flat = await premises(await building(house), '5');
      const squatter = await createOrganization(app, `УК «Захват ${randomInt(0, 1e9)}»`);
      await factories(app, squatter).building({ city: 'Казань', street: `ул. ${street}`, house });
      const input = { fullName: 'Жильцов Иван', street: `ул. ${street}`, house, premisesNumber: '5', role: 'TENANT' };

      // The flat is in one registry only: the request goes there, as if the other building did not exist.
      const located = await call(SUBMIT, { input }, resident.token);
      expect(located.errors).toBeUndefined();
      expect(located.data.submitRegistration.request.premisesId).toBe(flat);
      const inbox = (token: string) =>
        app.gql(`{ registrationRequests(first: 100) { edges { node { id } } } }`, {}, token);
      const id = located.data.submitRegistration.request.id;
      expect((await inbox(org.adminToken)).data.registrationRequests.edges.map((e: any) => e.node.id)).toContain(id);
      expect((await inbox(squatter.adminToken)).data.registrationRequests.edges).toEqual([]);

      // A flat neither registry holds: the resident is asked to choose by name; nothing names an organization's id.
      const ambiguous = await call(SUBMIT, { input: { ...input, premisesNumber: '77' } }, resident.token);
      expect(errorCode(ambiguous)).toBe('BAD_USER_INPUT');
      const names = [...ambiguous.errors![0].extensions!.choices].sort();
      const ownName = (await app.gql('{ me { organization { name } } }', {}, org.adminToken)).data.me.organization.name;
      const squatterName = (await app.gql('{ me { organization { name } } }', {}, squatter.adminToken)).data.me
        .organization.name;
      expect(names).toEqual([ownName, squatterName].sort());
      expect(JSON.stringify(ambiguous)).not.toContain(org.organizationId);
      expect(JSON.stringify(ambiguous)).not.toContain(squatter.organizationId);
      const chosen = await call(
        SUBMIT,
        { input: { ...input, premisesNumber: '77', organizationName: ownName.toUpperCase() } },
        resident.token,
      );
      expect(chosen.errors).toBeUndefined();
      expect((await inbox(org.adminToken)).data.registrationRequests.edges.map((e: any) => e.node.id)).toContain(
        chosen.data.submitRegistration.request.id,
      );
      expect((await inbox(squatter.adminToken)).data.registrationRequests.edges).toEqual([]);
    });

    it('refuses clearly: unknown address, registration disabled, a refused client type, nobody receiving requests', async () => {
      const resident = await signInResident();
      const unknown = await call(
        SUBMIT,
        { input: { fullName: 'Н', street: 'Несуществующая', house: '999', premisesNumber: '1', role: 'OWNER' } },
        resident.token,
      );
      expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
      expect(unknown.errors![0].extensions!.fields[0].path).toBe('input.house');

      const other = await createOrganization(app);
      const otherStreet = `Отказная-${randomInt(0, 1e9)}`;
      const inOther = factories(app, other);
      await inOther.premises(await inOther.building({ city: 'Пермь', street: otherStreet, house: '1' }), '1');
      const input = { fullName: 'Отказов Олег', street: otherStreet, house: '1', premisesNumber: '1', role: 'OWNER' };

      const nobody = await call(SUBMIT, { input }, resident.token);
      expect(errorCode(nobody)).toBe('FORBIDDEN');
      expect(nobody.errors![0].message).toContain('не принимает заявки');
      const receiver = await addEmployee(app, other.organizationId, EmployeeRole.MANAGER);
      await app.gql(
        `mutation { updateEmployee(input: { id: "${receiver.id}", receivesRegistrationRequests: true }) { employee { id } } }`,
        {},
        other.adminToken,
      );

      const settings = `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { organization { selfRegistrationEnabled selfRegistrationRefusedClientTypes } } }`;
      await app.gql(settings, { input: { selfRegistrationEnabled: false } }, other.adminToken);
      const disabled = await call(SUBMIT, { input }, resident.token);
      expect(errorCode(disabled)).toBe('FORBIDDEN');
      expect(disabled.errors![0].message).toContain('отключена');

      const updated = await app.gql(
        settings,
        { input: { selfRegistrationEnabled: true, selfRegistrationRefusedClientTypes: ['LEGAL_ENTITY'] } },
        other.adminToken,
      );
      expect(updated.data.updateOrganizationSettings.organization).toEqual({
        selfRegistrationEnabled: true,
        selfRegistrationRefusedClientTypes: ['LEGAL_ENTITY'],
      });
      const legal = await call(
        SUBMIT,
        { input: { ...input, fullName: 'ООО Ромашка', clientType: 'LEGAL_ENTITY' } },
        resident.token,
      );
      expect(errorCode(legal)).toBe('FORBIDDEN');
      // A new organization asks for the account number (ACCOUNT_CONFIRMED): the flat has none, so the request waits.
      expect((await call(SUBMIT, { input }, resident.token)).data.submitRegistration.request.status).toBe('PENDING');

      const manager = (await inOther.employee(EmployeeRole.MANAGER)).token;
      expect(errorCode(await app.gql(settings, { input: { selfRegistrationEnabled: false } }, manager))).toBe(
        'FORBIDDEN',
      );
    });
  });
});
