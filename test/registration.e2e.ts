import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { randomInt } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { Factories, factories, uniquePhone } from './support/factories';
import {
  addEmployee,
  createOrganization,
  errorCode,
  GraphqlResult,
  startTestApp,
  TestApp,
  TestOrganization,
} from './support/test-app';
import { EmployeeRole } from '../src/kernel/role';
import { finishedJob, registryXlsx, uploadRegistry } from './support/registry-files';

/** The SMS gateway and push provider the app is configured with: real HTTP endpoints that record what they get. */
interface Gateway {
  url: string;
  received: { to: string; title: string | null; text: string }[];
  failFor: Set<string>;
  close(): Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const received: Gateway['received'] = [];
  const failFor = new Set<string>();
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request
      .on('data', (chunk) => (body += chunk))
      .on('end', () => {
        const message = JSON.parse(body);
        if (failFor.has(message.to)) {
          response.writeHead(503).end();
          return;
        }
        received.push({ to: message.to, title: message.title, text: message.text });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`,
    received,
    failFor,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real SMTP server (smtp-server), started and stopped by the test to play a mail server that is down. */
class MailServer {
  readonly mails: { to: string[]; data: string }[] = [];
  private server?: SMTPServer;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        let data = '';
        stream
          .on('data', (chunk: Buffer) => (data += chunk.toString('utf8')))
          .on('end', () => {
            this.mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
            callback();
          });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const randomAddress = () => `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 255)}`;

describe('resident self-registration', () => {
  let app: TestApp;
  let sms: Gateway;
  let push: Gateway;
  let mail: MailServer;
  let org: TestOrganization;
  let receiverEmails: string[];
  let street: string;
  let make: Factories;

  /** GraphQL over HTTP from a chosen client address (the app trusts X-Forwarded-For from loopback). */
  async function call<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    address = randomAddress(),
  ): Promise<GraphqlResult<T>> {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': address,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphqlResult<T>;
  }

  async function requestCode(phone: string, address?: string): Promise<GraphqlResult> {
    return call(
      `mutation($phone: String!) { requestSignInCode(input: { phone: $phone }) { phone expiresAt } }`,
      { phone },
      undefined,
      address,
    );
  }

  async function codeSentTo(phone: string, after = 0): Promise<string> {
    const message = await waitFor(`an SMS to ${phone}`, () =>
      sms.received
        .slice(after)
        .filter((m) => m.to === phone)
        .pop(),
    );
    return /(\d{6})/.exec(message.text)![1];
  }

  /** The whole app sign-in: code by SMS, then the token. */
  async function signInResident(phone = uniquePhone()): Promise<{ phone: string; token: string }> {
    const before = sms.received.length;
    expect((await requestCode(phone)).errors).toBeUndefined();
    const code = await codeSentTo(phone, before);
    const result = await call(
      `mutation($phone: String!, $code: String!) { signIn(input: { phone: $phone, code: $code }) { accessToken } }`,
      { phone, code },
    );
    expect(result.errors).toBeUndefined();
    return { phone, token: result.data.signIn.accessToken };
  }

  /** The e-mails the SMTP server received for a request, told apart by the outbox id in their Message-ID. */
  async function mailsFor(requestId: string): Promise<MailServer['mails']> {
    const rows: { id: string }[] = await app.dataSource.query(
      `SELECT id FROM notification_outbox WHERE dedup_key LIKE $1`,
      [`registration:${requestId}:to:%`],
    );
    return mail.mails.filter((m) => rows.some((r) => m.data.includes(`<outbox-${r.id}@domovoy>`)));
  }

  const SUBMIT = `mutation($input: SubmitRegistrationInput!) { submitRegistration(input: $input) { request { id status statusText premisesId clientId role } } }`;
  const MY_PREMISES = `{ myPremises { premisesId organizationName address premisesNumber role accounts { number paymentsEnabled } } }`;

  const building = (house: string) => make.building({ city: 'Казань', street: `ул. ${street}`, house });
  const premises = (buildingId: string, number: string, type = 'FLAT') => make.premises(buildingId, number, { type });
  const account = (premisesId: string, number: string, extra: Record<string, unknown> = {}) =>
    make.account(premisesId, number, extra);

  beforeAll(async () => {
    sms = await startGateway();
    push = await startGateway();
    mail = new MailServer(await freePort());
    await mail.start();
    app = await startTestApp({
      SMS_URL: sms.url,
      PUSH_URL: push.url,
      SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
      NOTIFICATION_ATTEMPTS: '6',
      NOTIFICATION_BACKOFF_MS: '200',
      TRUST_PROXY: 'loopback',
    });
    org = await createOrganization(app);
    // This organization follows the article's rule: found premises → attached as owner (the default asks for the account number).
    const policy = await app.gql(
      `mutation { updateOrganizationSettings(input: { autoAttachPolicy: PREMISES_FOUND }) { organization { autoAttachPolicy } } }`,
      {},
      org.adminToken,
    );
    expect(policy.data.updateOrganizationSettings.organization.autoAttachPolicy).toBe('PREMISES_FOUND');
    street = `Регистрационная-${randomInt(0, 1e9)}`;
    make = factories(app, org);
    const receivers = [
      await make.employee(EmployeeRole.MANAGER, { receivesRegistrationRequests: true }),
      await make.employee(EmployeeRole.DISPATCHER, { receivesRegistrationRequests: true }),
    ];
    receiverEmails = receivers.map((e) => e.email).sort();
  });
  afterAll(async () => {
    await app.close();
    await Promise.all([sms.close(), push.close(), mail.stop()]);
  });

  describe('phone sign-in', () => {
    it('sends a six-digit code by SMS, keeps only its hash, and exchanges it once for a resident token', async () => {
      const phone = uniquePhone();
      const before = sms.received.length;
      const requested = await requestCode(
        '8 (916) ' + phone.slice(5, 8) + '-' + phone.slice(8, 10) + '-' + phone.slice(10),
      );
      expect(requested.data.requestSignInCode.phone).toBe(phone);
      const code = await codeSentTo(phone, before);
      const [row] = await app.dataSource.query(`SELECT code_hash FROM resident_sign_in_code WHERE phone = $1`, [phone]);
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.code_hash).not.toContain(code);
      // The SMS body with the code does not outlive its delivery in the outbox.
      await waitFor(
        'the code SMS to be redacted',
        async () =>
          (
            await app.dataSource.query(
              `SELECT body FROM notification_outbox WHERE recipient = $1 AND status = 'SENT' AND body = ''`,
              [phone],
            )
          ).length === 1,
      );

      const signIn = `mutation($phone: String!, $code: String!) { signIn(input: { phone: $phone, code: $code }) { accessToken phone } }`;
      const wrong = await call(signIn, { phone, code: code === '000000' ? '111111' : '000000' });
      expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
      expect(wrong.errors![0].message).toContain('осталось попыток — 4');
      const ok = await call(signIn, { phone, code });
      expect(ok.data.signIn.phone).toBe(phone);
      expect(errorCode(await call(signIn, { phone, code }))).toBe('UNAUTHENTICATED');
    });

    it('refuses an expired code and a code after its attempts are used up', async () => {
      const phone = uniquePhone();
      let before = sms.received.length;
      await requestCode(phone);
      let code = await codeSentTo(phone, before);
      await app.dataSource.query(
        `UPDATE resident_sign_in_code SET expires_at = now() - interval '1 second' WHERE phone = $1`,
        [phone],
      );
      const signIn = `mutation($phone: String!, $code: String!) { signIn(input: { phone: $phone, code: $code }) { accessToken } }`;
      const expired = await call(signIn, { phone, code });
      expect(errorCode(expired)).toBe('UNAUTHENTICATED');
      expect(expired.errors![0].message).toContain('истёк');

      before = sms.received.length;
      await requestCode(phone);
      code = await codeSentTo(phone, before);
      const wrongCode = code === '999999' ? '888888' : '999999';
      for (let i = 0; i < 5; i++)
        expect(errorCode(await call(signIn, { phone, code: wrongCode }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await call(signIn, { phone, code }))).toBe('UNAUTHENTICATED');
    });

    it('rate-limits code requests per phone and per client address with a retry-after', async () => {
      const phone = uniquePhone();
      for (let i = 0; i < 5; i++) expect((await requestCode(phone)).errors).toBeUndefined();
      const limited = await requestCode(phone);
      expect(errorCode(limited)).toBe('RATE_LIMITED');
      expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
      expect(limited.errors![0].message).toMatch(/Повторите через \d+ с/);

      const address = randomAddress();
      for (let i = 0; i < 30; i++) expect((await requestCode(uniquePhone(), address)).errors).toBeUndefined();
      expect(errorCode(await requestCode(uniquePhone(), address))).toBe('RATE_LIMITED');
      expect((await requestCode(uniquePhone(), randomAddress())).errors).toBeUndefined();
    });

    it('rate-limits sign-in attempts per phone', async () => {
      const phone = uniquePhone();
      const signIn = `mutation($phone: String!) { signIn(input: { phone: $phone, code: "123456" }) { accessToken } }`;
      for (let i = 0; i < 10; i++) expect(errorCode(await call(signIn, { phone }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await call(signIn, { phone }))).toBe('RATE_LIMITED');
    });

    it('keeps the realms apart: a resident token opens no staff operation and a staff token no resident one', async () => {
      const resident = await signInResident();
      expect(errorCode(await call(`{ me { id } }`, {}, resident.token))).toBe('FORBIDDEN');
      expect(errorCode(await call(`{ registrationRequests(first: 5) { totalCount } }`, {}, resident.token))).toBe(
        'FORBIDDEN',
      );
      expect(errorCode(await call(MY_PREMISES, {}, org.adminToken))).toBe('FORBIDDEN');
      expect(errorCode(await call(MY_PREMISES))).toBe('UNAUTHENTICATED');
      expect((await call(MY_PREMISES, {}, resident.token)).data.myPremises).toEqual([]);
      expect(await call(`mutation { signOutResident }`, {}, resident.token)).toEqual({
        data: { signOutResident: true },
      });
      expect(errorCode(await call(MY_PREMISES, {}, resident.token))).toBe('UNAUTHENTICATED');
    });
  });

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
      // Opened by id, the card reads the app status with the contact itself (ContactsService.cardHead).
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
