import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appLogger } from '../src/common/logging/logger';
import { uniquePhone } from './support/factories';
import { finishedJob, registryXlsx, uploadRegistry } from './support/registry-files';
import { createOrganization, startTestApp, TEST_PASSWORD, TestApp, TestOrganization } from './support/test-app';

/** Everything written to stdout and stderr while `run` runs, at the most talkative level. */
async function capturedLog(run: () => Promise<void>): Promise<string> {
  let log = '';
  const capture = (chunk: unknown) => {
    log += String(chunk);
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  appLogger.setLevel('debug');
  try {
    await run();
  } finally {
    appLogger.setLevel('error');
    out.mockRestore();
    err.mockRestore();
  }
  return log;
}

/** The SMS gateway: records each text so the test knows the sign-in code the log must not show. */
async function smsGateway(): Promise<{ url: string; texts: Map<string, string>; close(): Promise<void> }> {
  const texts = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request
      .on('data', (chunk) => (body += chunk))
      .on('end', () => {
        const message = JSON.parse(body) as { to: string; text: string };
        texts.set(message.to, message.text);
        response.writeHead(200).end('{}');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    texts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Where the value sits as a whole (not inside a longer number or id). */
function occurrences(log: string, value: string): number {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (log.match(new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, 'g')) ?? []).length;
}

describe('no secret or personal value reaches the log, at debug level, with request tracing', () => {
  let app: TestApp;
  let org: TestOrganization;
  let sms: Awaited<ReturnType<typeof smsGateway>>;

  beforeAll(async () => {
    sms = await smsGateway();
    app = await startTestApp({ SMS_URL: sms.url, REQUEST_TRACING: 'on' });
    org = await createOrganization(app);
  });
  afterAll(async () => {
    await app.close();
    await sms.close();
  });

  it('after unique-key races, failed logins, a resident sign-in and an import of passports, INN and SNILS', async () => {
    const email = `race-${randomUUID()}@test.local`;
    const racePassword = `race-password-${randomUUID().slice(0, 8)}`;
    const phone = uniquePhone();
    const personal = { inn: '500100732259', snils: '112-233-445 95', passportSeries: '4510', passportNumber: '123456' };
    const secrets: string[] = [org.adminToken, TEST_PASSWORD, racePassword, 'wrong-password-1'];
    let code = '';

    const log = await capturedLog(async () => {
      // Ten parallel createEmployee with one e-mail: a race into the unique index.
      const create = `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { employee { id } } }`;
      const input = { email, password: racePassword, fullName: 'Гонка Тестовая', role: 'VIEWER' };
      const answers = await Promise.all(Array.from({ length: 10 }, () => app.gql(create, { input }, org.adminToken)));
      expect(answers.filter((answer) => answer.data?.createEmployee).length).toBe(1);

      // Failed logins: a wrong password, an unknown e-mail.
      const loginMutation = `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`;
      expect(
        (await app.gql(loginMutation, { input: { email: org.adminEmail, password: 'wrong-password-1' } })).errors,
      ).toBeDefined();
      expect(
        (
          await app.gql(loginMutation, {
            input: { email: `nobody-${randomUUID()}@test.local`, password: TEST_PASSWORD },
          })
        ).errors,
      ).toBeDefined();
      const signedIn = await app.gql(loginMutation, { input: { email: org.adminEmail, password: TEST_PASSWORD } });
      secrets.push(signedIn.data.login.accessToken);

      // A resident signs in with the code the SMS carried, once wrongly first.
      expect(
        (
          await app.gql(`mutation($phone: String!) { requestSignInCode(input: { phone: $phone }) { phone } }`, {
            phone,
          })
        ).errors,
      ).toBeUndefined();
      code = /(\d{6})/.exec(await waitFor('the sign-in SMS', () => sms.texts.get(phone)))![1];
      const signIn = `mutation($phone: String!, $code: String!) { signIn(input: { phone: $phone, code: $code }) { accessToken } }`;
      await app.gql(signIn, { phone, code: code === '000000' ? '111111' : '000000' });
      const resident = await app.gql(signIn, { phone, code });
      expect(resident.errors).toBeUndefined();
      secrets.push(resident.data.signIn.accessToken);

      // An import with passports, INN and SNILS: one good row, one whose INN and SNILS fail their checksums.
      const rows = [
        {
          city: 'Москва',
          street: `ул. Логов ${randomUUID().slice(0, 6)}`,
          house: '1',
          premisesNumber: '1',
          lastName: 'Паспортов',
          firstName: 'Иван',
          phones: phone,
          ...personal,
        },
        {
          city: 'Москва',
          street: `ул. Логов ${randomUUID().slice(0, 6)}`,
          house: '2',
          premisesNumber: '2',
          lastName: 'Ошибкин',
          firstName: 'Пётр',
          inn: '500100732250',
          snils: '11223344596',
          passportSeries: '4511',
          passportNumber: '654321',
        },
      ];
      const upload = await uploadRegistry(app, org.adminToken, await registryXlsx(rows));
      expect(upload.status).toBe(202);
      const job = await finishedJob(app, org.adminToken, upload.body.id!);
      expect(job.status).toBe('COMPLETED');
      // The shape of issue 19's leak: a driver error carrying the statement's parameters (a hash, the code,
      // an INN) logged as unhandled. Nothing above produced one in this run, so this line keeps the test able to fail.
      const [hashRow] = await app.dataSource.query(`SELECT password_hash FROM employee WHERE email = $1`, [email]);
      appLogger.error('Unhandled GraphQL error', {
        error: Object.assign(new Error(`insert failed near ${hashRow.password_hash}`), {
          name: 'QueryFailedError',
          parameters: [email, hashRow.password_hash, code, personal.inn],
        }),
      });
    });

    // The capture saw the work (so an empty log cannot pass) …
    expect(log).toContain('"msg":"request"');
    expect(log).toContain('"msg":"sql"');
    expect(log).toContain('"msg":"import finished"');
    // … and none of these.
    const found = {
      bcryptHashes: (log.match(/\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g) ?? []).length,
      jwts: (log.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []).length,
      signInCode: occurrences(log, code),
      secrets: secrets.map((secret) => occurrences(log, secret)),
      personal: [
        '500100732259',
        '112-233-445 95',
        '11223344595',
        '4510 123456',
        '500100732250',
        '11223344596',
        '654321',
        '123456',
        phone,
      ].map((value) => [value, occurrences(log, value)]),
    };
    expect(found).toEqual({
      bcryptHashes: 0,
      jwts: 0,
      signInCode: 0,
      secrets: secrets.map(() => 0),
      personal: found.personal.map(([value]) => [value, 0]),
    });
  });
});
