import { randomInt } from 'node:crypto';
import { uniquePhone, Factories } from './support/factories';
import { residentApp, SUBMIT, MY_PREMISES } from './support/resident-app';
import { TestApp, TestOrganization } from './support/test-app';

describe('resident self-registration', () => {
  const { world, call, signInResident, building, premises, account } = residentApp();
  let app: TestApp;
  let org: TestOrganization;
  let street: string;
  let make: Factories;
  beforeAll(() => ({ app, org, street, make } = world));

  describe('who gets in at once (auto-attach policy, login phone, earlier tickets)', () => {
    const SETTINGS = `mutation($policy: AutoAttachPolicy!) { updateOrganizationSettings(input: { autoAttachPolicy: $policy }) { organization { autoAttachPolicy } } }`;
    const setPolicy = async (policy: string) =>
      expect(
        (await app.gql(SETTINGS, { policy }, org.adminToken)).data.updateOrganizationSettings.organization
          .autoAttachPolicy,
      ).toBe(policy);
    afterEach(() => setPolicy('PREMISES_FOUND'));

    async function staffView(requestId: string): Promise<{ holdReason: string | null; holdReasonText: string | null }> {
      const list = await app.gql(
        `{ registrationRequests(first: 100, filter: { status: PENDING }) { edges { node { id holdReason holdReasonText } } } }`,
        {},
        org.adminToken,
      );
      return list.data.registrationRequests.edges.map((e: any) => e.node).find((n: any) => n.id === requestId);
    }

    const cardWithPhones = (lastName: string, phone: string, extraPhones: string[] = []) =>
      make.client({ lastName, firstName: 'Тест', phone, extraPhones });
    const attach = (clientId: string, premisesId: string, role = 'OWNER') => make.occupancy(clientId, premisesId, role);

    it('sends a stranger at a flat that has an owner to «Ожидают регистрации» under every policy, with the reason staff see', async () => {
      const flat = await premises(await building('20'), '1');
      const number = `OWN-${randomInt(0, 1e9)}`;
      await account(flat, number, { paymentsEnabled: true });
      await attach(await cardWithPhones('Владельцев', uniquePhone()), flat);
      const cases: [string, string][] = [
        ['PREMISES_FOUND', 'PREMISES_HAS_OWNER'],
        ['ACCOUNT_CONFIRMED', 'PREMISES_HAS_OWNER'],
        ['NEVER', 'POLICY_NEVER'],
      ];
      for (const [policy, reason] of cases) {
        await setPolicy(policy);
        const stranger = await signInResident();
        // Even the right account number typed in the form does not make a second owner.
        const submitted = await call(
          SUBMIT,
          {
            input: {
              fullName: 'Чужаков Павел',
              street,
              house: '20',
              premisesNumber: '1',
              accountNumber: number,
              role: 'OWNER',
            },
          },
          stranger.token,
        );
        expect(submitted.errors).toBeUndefined();
        const request = submitted.data.submitRegistration.request;
        expect(request).toMatchObject({ status: 'PENDING', premisesId: flat, clientId: null });
        expect((await call(MY_PREMISES, {}, stranger.token)).data.myPremises).toEqual([]);
        const seen = await staffView(request.id);
        expect(seen.holdReason).toBe(reason);
        expect(seen.holdReasonText).toMatch(policy === 'NEVER' ? /отключено/ : /уже есть собственник/);
        // The resident is not told who owns the flat.
        const own = await call(`{ myRegistrationRequests { id holdReason holdReasonText } }`, {}, stranger.token);
        expect(own.data.myRegistrationRequests).toEqual([{ id: request.id, holdReason: null, holdReasonText: null }]);
      }
      const [{ owners }] = await app.dataSource.query(
        `SELECT count(*)::int AS owners FROM occupancy WHERE organization_id = $1 AND premises_id = $2`,
        [org.organizationId, flat],
      );
      expect(owners).toBe(1);
    });

    it('makes one owner of two strangers asking for an ownerless flat at the same moment; the other waits, and the staff e-mail says why', async () => {
      const flat = await premises(await building('24'), '9');
      const [first, second] = [await signInResident(), await signInResident()];
      const input = (fullName: string) => ({
        input: { fullName, street, house: '24', premisesNumber: '9', role: 'OWNER' },
      });
      const answers = await Promise.all([
        call(SUBMIT, input('Первый Пётр'), first.token),
        call(SUBMIT, input('Второй Виктор'), second.token),
      ]);
      const requests = answers.map((a) => a.data.submitRegistration.request);
      expect(requests.map((r) => r.status).sort()).toEqual(['AUTO_ATTACHED', 'PENDING']);
      const waiting = requests.find((r) => r.status === 'PENDING');
      expect((await staffView(waiting.id)).holdReason).toBe('PREMISES_HAS_OWNER');
      const [{ owners }] = await app.dataSource.query(
        `SELECT count(*)::int AS owners FROM occupancy WHERE organization_id = $1 AND premises_id = $2 AND role = 'OWNER'`,
        [org.organizationId, flat],
      );
      expect(owners).toBe(1);
      const bodies = await app.dataSource.query(`SELECT body FROM notification_outbox WHERE dedup_key LIKE $1`, [
        `registration:${waiting.id}:to:%`,
      ]);
      expect(bodies.length).toBeGreaterThan(0);
      for (const { body } of bodies)
        expect(body).toContain('Не прикреплена автоматически: У помещения уже есть собственник');
    });

    it('ACCOUNT_CONFIRMED attaches at once only with an open account of that flat typed in the form', async () => {
      await setPolicy('ACCOUNT_CONFIRMED');
      const flat = await premises(await building('21'), '3');
      const number = `CNF-${randomInt(0, 1e9)}`;
      await account(flat, number);
      const input = { fullName: 'Счетов Семён', street, house: '21', premisesNumber: '3', role: 'OWNER' };
      const without = await call(SUBMIT, { input }, (await signInResident()).token);
      expect(without.data.submitRegistration.request).toMatchObject({ status: 'PENDING', premisesId: flat });
      expect((await staffView(without.data.submitRegistration.request.id)).holdReason).toBe('ACCOUNT_NOT_CONFIRMED');
      const confirmed = await call(
        SUBMIT,
        { input: { ...input, fullName: 'Счетова Анна', accountNumber: number } },
        (await signInResident()).token,
      );
      expect(confirmed.data.submitRegistration.request).toMatchObject({
        status: 'AUTO_ATTACHED',
        premisesId: flat,
        role: 'OWNER',
      });
    });

    it('sends a request to staff when the phone signs in another person’s card, rather than making a card that could not sign in', async () => {
      const phone = uniquePhone();
      await cardWithPhones('Мужев', phone);
      await premises(await building('25'), '2');
      const resident = await signInResident(phone);
      const submitted = await call(
        SUBMIT,
        { input: { fullName: 'Жёнова Жанна', street, house: '25', premisesNumber: '2', role: 'OWNER' } },
        resident.token,
      );
      expect(submitted.data.submitRegistration.request).toMatchObject({ status: 'PENDING', clientId: null });
      expect((await staffView(submitted.data.submitRegistration.request.id)).holdReason).toBe(
        'PHONE_OF_ANOTHER_CLIENT',
      );
    });

    it('opens the app only to the card’s login phone: its extra phone signs in to nothing', async () => {
      const flat = await premises(await building('22'), '5');
      const login = uniquePhone();
      const extra = uniquePhone();
      await attach(await cardWithPhones('Двухтелефонов', login, [extra]), flat);
      const byExtra = await signInResident(extra);
      expect((await call(MY_PREMISES, {}, byExtra.token)).data.myPremises).toEqual([]);
      const byLogin = await signInResident(login);
      expect((await call(MY_PREMISES, {}, byLogin.token)).data.myPremises).toEqual([
        expect.objectContaining({ premisesId: flat, role: 'OWNER' }),
      ]);
    });

    it('gives the caller’s earlier tickets their client when the caller registers, in the same transaction, audited', async () => {
      const buildingId = await building('23');
      const flat = await premises(buildingId, '7');
      const phone = uniquePhone();
      const filed = await app.gql(
        `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { id client { id } } } }`,
        { input: { premisesId: flat, description: 'Течёт кран', contactName: 'Звонков Зиновий', contactPhone: phone } },
        org.adminToken,
      );
      expect(filed.data.createTicket.ticket.client).toBeNull();
      const resident = await signInResident(phone);
      const submitted = await call(
        SUBMIT,
        { input: { fullName: 'Звонков Зиновий', street, house: '23', premisesNumber: '7', role: 'OWNER' } },
        resident.token,
      );
      const clientId = submitted.data.submitRegistration.request.clientId;
      expect(clientId).toBeTruthy();
      const ticketId = filed.data.createTicket.ticket.id;
      expect(
        (await app.gql(`{ ticket(id: "${ticketId}") { client { id } } }`, {}, org.adminToken)).data.ticket.client,
      ).toEqual({ id: clientId });
      const log = await app.gql(
        `{ auditLog(entityType: TICKET, entityId: "${ticketId}") { edges { node { action channel after } } } }`,
        {},
        org.adminToken,
      );
      expect(log.data.auditLog.edges.map((e: any) => e.node)).toContainEqual(
        expect.objectContaining({
          action: 'client_linked',
          channel: 'APP',
          after: expect.objectContaining({ clientId }),
        }),
      );
    });
  });
});
