import { randomInt } from 'node:crypto';
import { uniquePhone, Factories } from './support/factories';
import { finishedJob, registryXlsx, uploadRegistry } from './support/registry-files';
import { residentApp, SUBMIT, MY_PREMISES } from './support/resident-app';
import { TestApp, TestOrganization } from './support/test-app';

describe('resident self-registration', () => {
  const { world, call, signInResident, building, premises } = residentApp();
  let app: TestApp;
  let org: TestOrganization;
  let street: string;
  let make: Factories;
  beforeAll(() => ({ app, org, street, make } = world));

  describe("the dispatcher's card", () => {
    it('shows that a client uses the app, and when the resident was last seen, once their phone has signed in', async () => {
      const resident = await signInResident();
      const clientId = await make.client({ lastName: 'Карточкин', firstName: 'Кирилл', phone: resident.phone });
      const card = await app.gql(
        `query($phone: String) { contactCard(phone: $phone) { appStatus { usesApp lastSeenAt } } }`,
        { phone: resident.phone },
        org.adminToken,
      );
      expect(card.data.contactCard.appStatus.usesApp).toBe(true);
      expect(Date.now() - Date.parse(card.data.contactCard.appStatus.lastSeenAt)).toBeLessThan(60_000);
      // Opened by id, the card reads the app status with the contact itself (ContactReads.cardHead).
      const byId = await app.gql(
        `query($id: ID) { contactCard(contactId: $id) { appStatus { usesApp lastSeenAt } } }`,
        { id: clientId },
        org.adminToken,
      );
      expect(byId.data.contactCard.appStatus).toEqual(card.data.contactCard.appStatus);
      const other = await make.client({ lastName: 'Безприложенский', firstName: 'Борис', phone: uniquePhone() });
      const never = await app.gql(
        `{ contactCard(contactId: "${other}") { appStatus { usesApp lastSeenAt } } }`,
        {},
        org.adminToken,
      );
      expect(never.data.contactCard.appStatus).toEqual({ usesApp: false, lastSeenAt: null });
    });
  });

  describe('accounts that come later', () => {
    it('keeps a resident attached before any account through later syncs, and links the account imported later', async () => {
      const buildingId = await building('8');
      const premisesId = await premises(buildingId, '30');
      const resident = await signInResident();
      const submitted = await call(
        SUBMIT,
        { input: { fullName: 'Ранний Роман', street, house: '8', premisesNumber: '30', role: 'OWNER' } },
        resident.token,
      );
      expect(submitted.data.submitRegistration.request.status).toBe('AUTO_ATTACHED');
      expect((await call(MY_PREMISES, {}, resident.token)).data.myPremises[0].accounts).toEqual([]);

      const number = `LATE-${randomInt(0, 1e9)}`;
      const upsert = await app.gql(
        `mutation($input: UpsertAccountsInput!) { upsertAccounts(input: $input) { results { status } } }`,
        {
          input: {
            space: 'OPERATION',
            system: '1С',
            items: [{ externalId: number, number, premisesId, paymentsEnabled: true }],
          },
        },
        org.adminToken,
      );
      expect(upsert.data.upsertAccounts.results).toEqual([{ status: 'CREATED' }]);
      const premisesSync = await app.gql(
        `mutation($input: UpsertPremisesInput!) { upsertPremises(input: $input) { results { status } } }`,
        {
          input: {
            space: 'OPERATION',
            system: '1С',
            items: [{ externalId: `P-${number}`, buildingId, number: '30', area: '54.2' }],
          },
        },
        org.adminToken,
      );
      expect(premisesSync.errors).toBeUndefined();
      const mine = (await call(MY_PREMISES, {}, resident.token)).data.myPremises;
      expect(mine).toEqual([expect.objectContaining({ premisesId, accounts: [{ number, paymentsEnabled: true }] })]);
      const [{ clients, occupancies }] = await app.dataSource.query(
        `SELECT (SELECT count(*)::int FROM client WHERE organization_id = $1 AND phone = $2) AS clients,
                (SELECT count(*)::int FROM occupancy WHERE organization_id = $1 AND premises_id = $3 AND keep_on_sync) AS occupancies`,
        [org.organizationId, resident.phone, premisesId],
      );
      expect({ clients, occupancies }).toEqual({ clients: 1, occupancies: 1 });
    });

    it('a later sync import that does not list the resident leaves them attached, and the account it brings is theirs', async () => {
      const buildingId = await building('9');
      const premisesId = await premises(buildingId, '40');
      const resident = await signInResident();
      const submitted = await call(
        SUBMIT,
        { input: { fullName: 'Жданов Егор', street, house: '9', premisesNumber: '40', role: 'OWNER' } },
        resident.token,
      );
      expect(submitted.data.submitRegistration.request.status).toBe('AUTO_ATTACHED');

      const number = `IMP-${randomInt(0, 1e9)}`;
      const flat = { city: 'Казань', street: `ул. ${street}`, house: '9', premisesNumber: '40', accountNumber: number };
      const first = await uploadRegistry(
        app,
        org.adminToken,
        await registryXlsx([{ ...flat, lastName: 'Импортов', firstName: 'Иван', phones: uniquePhone() }]),
        { sync: true },
      );
      expect(await finishedJob(app, org.adminToken, first.body.id!)).toMatchObject({
        status: 'COMPLETED',
        created: 1,
        detached: 0,
      });
      // The file lists the premises with someone else only: the import-attached one goes, the resident stays.
      const second = await uploadRegistry(app, org.adminToken, await registryXlsx([flat]), { sync: true });
      expect(await finishedJob(app, org.adminToken, second.body.id!)).toMatchObject({
        status: 'COMPLETED',
        detached: 1,
      });

      const mine = (await call(MY_PREMISES, {}, resident.token)).data.myPremises;
      expect(mine).toEqual([expect.objectContaining({ premisesId, accounts: [{ number, paymentsEnabled: true }] })]);
      const attached = await app.dataSource.query(
        `SELECT c.phone, o.source, o.keep_on_sync AS "keepOnSync" FROM occupancy o JOIN client c ON c.organization_id = o.organization_id AND c.id = o.client_id WHERE o.organization_id = $1 AND o.premises_id = $2`,
        [org.organizationId, premisesId],
      );
      expect(attached).toEqual([{ phone: resident.phone, source: 'REGISTRATION', keepOnSync: true }]);
    });
  });
});
