import { EmployeeRole } from '../src/kernel/role';
import { Factories } from './support/factories';
import { residentApp, SUBMIT, MY_PREMISES, waitFor, Gateway, MailServer } from './support/resident-app';
import { errorCode, TestApp, TestOrganization } from './support/test-app';

describe('resident self-registration', () => {
  const { world, call, signInResident, mailsFor, building, premises } = residentApp();
  let app: TestApp;
  let push: Gateway;
  let mail: MailServer;
  let org: TestOrganization;
  let receiverEmails: string[];
  let street: string;
  let make: Factories;
  beforeAll(() => ({ app, push, mail, org, receiverEmails, street, make } = world));

  describe('staff handling', () => {
    async function pendingRequest(
      number: string,
    ): Promise<{ id: string; resident: { phone: string; token: string }; premisesId: string }> {
      const buildingId = await building(`5-${number}`);
      const premisesId = await premises(buildingId, number);
      await premises(buildingId, number, 'PARKING');
      const resident = await signInResident();
      const r = await call(
        SUBMIT,
        { input: { fullName: 'Заявкин Захар', street, house: `5-${number}`, premisesNumber: number, role: 'TENANT' } },
        resident.token,
      );
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      expect(r.data.submitRegistration.request.status).toBe('PENDING');
      return { id: r.data.submitRegistration.request.id, resident, premisesId };
    }

    it('approves: creates the client from the staff’s fields, attaches with the chosen role and keepOnSync, pushes to the resident, keeps the history', async () => {
      const { id, resident, premisesId } = await pendingRequest('21');
      const listed = await app.gql(
        `{ registrationRequests(first: 100, filter: { status: PENDING }) { edges { node { id } } } }`,
        {},
        org.adminToken,
      );
      expect(listed.data.registrationRequests.edges.map((e: any) => e.node.id)).toContain(id);

      const approved = await app.gql(
        `mutation($input: ApproveRegistrationInput!) { approveRegistration(input: $input) { request { status premisesId clientId handledBy history { action employeeId } } } }`,
        {
          input: {
            id,
            role: 'FAMILY_MEMBER',
            premisesId,
            lastName: 'Заявкин',
            firstName: 'Захар',
            middleName: 'Захарович',
            email: 'zahar@example.ru',
          },
        },
        org.adminToken,
      );
      expect(approved.errors).toBeUndefined();
      const request = approved.data.approveRegistration.request;
      expect(request).toMatchObject({ status: 'APPROVED', premisesId, handledBy: org.adminId });
      expect(request.history).toEqual([
        { action: 'SUBMITTED', employeeId: null },
        { action: 'APPROVED', employeeId: org.adminId },
      ]);
      const [client] = await app.dataSource.query(`SELECT middle_name, email, phone FROM client WHERE id = $1`, [
        request.clientId,
      ]);
      expect(client).toEqual({ middle_name: 'Захарович', email: 'zahar@example.ru', phone: resident.phone });
      const [occupancy] = await app.dataSource.query(
        `SELECT role, keep_on_sync, source FROM occupancy WHERE client_id = $1`,
        [request.clientId],
      );
      expect(occupancy).toEqual({ role: 'FAMILY_MEMBER', keep_on_sync: true, source: 'REGISTRATION' });
      const pushed = await waitFor('the push', () => push.received.find((m) => m.to === resident.phone));
      expect(pushed.text).toContain('одобрена');
      expect((await call(MY_PREMISES, {}, resident.token)).data.myPremises.map((p: any) => p.premisesId)).toEqual([
        premisesId,
      ]);
      const audit = await app.gql(
        `{ auditLog(entityType: REGISTRATION_REQUEST, entityId: "${id}", first: 10) { edges { node { action channel } } } }`,
        {},
        org.adminToken,
      );
      expect(audit.data.auditLog.edges.map((e: any) => e.node.action).sort()).toEqual(['approved', 'submitted']);
    });

    it('asks for the premises when the request did not identify them', async () => {
      const { id } = await pendingRequest('22');
      const r = await app.gql(
        `mutation { approveRegistration(input: { id: "${id}", role: OWNER }) { request { id } } }`,
        {},
        org.adminToken,
      );
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0].extensions!.fields[0].path).toBe('input.premisesId');
    });

    it('rejects with a reason the app shows, and comments add to the history', async () => {
      const { id, resident } = await pendingRequest('23');
      const commented = await app.gql(
        `mutation { commentRegistration(input: { id: "${id}", comment: "Позвонить собственнику" }) { request { history { action comment } } } }`,
        {},
        org.adminToken,
      );
      expect(commented.data.commentRegistration.request.history[1]).toEqual({
        action: 'COMMENTED',
        comment: 'Позвонить собственнику',
      });
      const rejected = await app.gql(
        `mutation { rejectRegistration(input: { id: "${id}", reason: "Собственник не подтвердил" }) { request { status } } }`,
        {},
        org.adminToken,
      );
      expect(rejected.data.rejectRegistration.request.status).toBe('REJECTED');
      const mine = await call(
        `{ myRegistrationRequests { id status statusText rejectionReason history { action } } }`,
        {},
        resident.token,
      );
      expect(mine.data.myRegistrationRequests).toEqual([
        {
          id,
          status: 'REJECTED',
          statusText: 'Заявка на регистрацию отклонена',
          rejectionReason: 'Собственник не подтвердил',
          history: [],
        },
      ]);
      const pushed = await waitFor('the push', () => push.received.find((m) => m.to === resident.phone));
      expect(pushed.text).toBe('Заявка на регистрацию отклонена: Собственник не подтвердил');
    });

    it('lets exactly one of two employees handle a request at the same time; the other gets CONFLICT', async () => {
      const { id, premisesId } = await pendingRequest('24');
      const other = (await make.employee(EmployeeRole.DISPATCHER)).token;
      const [approve, reject] = await Promise.all([
        app.gql(
          `mutation { approveRegistration(input: { id: "${id}", role: OWNER, premisesId: "${premisesId}" }) { request { status } } }`,
          {},
          org.adminToken,
        ),
        app.gql(
          `mutation { rejectRegistration(input: { id: "${id}", reason: "дубль" }) { request { status } } }`,
          {},
          other,
        ),
      ]);
      const codes = [errorCode(approve), errorCode(reject)];
      expect(codes.filter((c) => c === undefined)).toHaveLength(1);
      expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(1);
      const [{ count }] = await app.dataSource.query(
        `SELECT count(*)::int AS count FROM registration_event WHERE request_id = $1 AND action IN ('APPROVED', 'REJECTED')`,
        [id],
      );
      expect(count).toBe(1);
      const viewer = (await make.employee(EmployeeRole.VIEWER)).token;
      expect(
        errorCode(
          await app.gql(
            `mutation { rejectRegistration(input: { id: "${id}", reason: "x" }) { request { id } } }`,
            {},
            viewer,
          ),
        ),
      ).toBe('FORBIDDEN');
    });
  });

  describe('notifications', () => {
    it('delivers the staff e-mail once when the mail server was down and comes back, losing nothing', async () => {
      await mail.stop();
      const buildingId = await building('6');
      await premises(buildingId, '9');
      await premises(buildingId, '9', 'STORAGE');
      const resident = await signInResident();
      const r = await call(
        SUBMIT,
        { input: { fullName: 'Почтов Пётр', street, house: '6', premisesNumber: '9', role: 'OWNER' } },
        resident.token,
      );
      const id = r.data.submitRegistration.request.id;
      await waitFor('a failed attempt', async () => {
        const rows = await app.dataSource.query(
          `SELECT attempts, last_error FROM notification_outbox WHERE dedup_key LIKE $1 AND attempts > 0`,
          [`registration:${id}:%`],
        );
        return rows.length === 2 && rows;
      });
      await mail.start();
      await waitFor('both e-mails after the server came back', async () => {
        const rows = await app.dataSource.query(
          `SELECT status FROM notification_outbox WHERE dedup_key LIKE $1 AND status = 'SENT'`,
          [`registration:${id}:%`],
        );
        return rows.length === 2;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await mailsFor(id)).map((m) => m.to[0]).sort()).toEqual(receiverEmails);
    });

    it('marks a message dead after the configured attempts', async () => {
      const resident = await signInResident();
      push.failFor.add(resident.phone);
      const buildingId = await building('7');
      const premisesId = await premises(buildingId, '1');
      await premises(buildingId, '1', 'PARKING');
      const submitted = await call(
        SUBMIT,
        { input: { fullName: 'Мёртвый Марк', street, house: '7', premisesNumber: '1', role: 'OWNER' } },
        resident.token,
      );
      const id = submitted.data.submitRegistration.request.id;
      await app.gql(
        `mutation { approveRegistration(input: { id: "${id}", role: OWNER, premisesId: "${premisesId}" }) { request { id } } }`,
        {},
        org.adminToken,
      );
      const [dead] = await waitFor(
        'the dead message',
        async () => {
          const rows = await app.dataSource.query(
            `SELECT status, attempts, last_error FROM notification_outbox WHERE dedup_key = $1 AND status = 'DEAD'`,
            [`registration:${id}:APPROVED`],
          );
          return rows.length === 1 && rows;
        },
        30_000,
      );
      expect(dead.attempts).toBe(6);
      expect(dead.last_error).toContain('503');
    });
  });
});
