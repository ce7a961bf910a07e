import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { randomInt } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { EmployeeRole } from '../../src/kernel/role';
import { Factories, factories, uniquePhone } from './factories';
import { createOrganization, GraphqlResult, startTestApp, TestApp, TestOrganization } from './test-app';

/* What the registration suites (test/registration*.e2e.ts) share: the app with its SMS, push and mail ends. */

/** The SMS gateway and push provider the app is configured with: real HTTP endpoints that record what they get. */
export interface Gateway {
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
export class MailServer {
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

export async function waitFor<T>(
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

export const randomAddress = () => `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 255)}`;

export const SUBMIT = `mutation($input: SubmitRegistrationInput!) { submitRegistration(input: $input) { request { id status statusText premisesId clientId role } } }`;
export const MY_PREMISES = `{ myPremises { premisesId organizationName address premisesNumber role accounts { number paymentsEnabled } } }`;

export interface ResidentWorld {
  app: TestApp;
  sms: Gateway;
  push: Gateway;
  mail: MailServer;
  org: TestOrganization;
  receiverEmails: string[];
  street: string;
  make: Factories;
}

/** The world's app, its notification ends, organization, receivers and street. */
async function startWorld(w: ResidentWorld): Promise<void> {
  w.sms = await startGateway();
  w.push = await startGateway();
  w.mail = new MailServer(await freePort());
  await w.mail.start();
  w.app = await startTestApp({
    SMS_URL: w.sms.url,
    PUSH_URL: w.push.url,
    SMTP_URL: `smtp://127.0.0.1:${w.mail.port}`,
    NOTIFICATION_ATTEMPTS: '6',
    NOTIFICATION_BACKOFF_MS: '200',
    TRUST_PROXY: 'loopback',
  });
  w.org = await createOrganization(w.app);
  // This organization follows the article's rule: found premises → attached as owner (the default asks for the account number).
  const policy = await w.app.gql(
    `mutation { updateOrganizationSettings(input: { autoAttachPolicy: PREMISES_FOUND }) { organization { autoAttachPolicy } } }`,
    {},
    w.org.adminToken,
  );
  expect(policy.data.updateOrganizationSettings.organization.autoAttachPolicy).toBe('PREMISES_FOUND');
  w.street = `Регистрационная-${randomInt(0, 1e9)}`;
  w.make = factories(w.app, w.org);
  const receivers = [
    await w.make.employee(EmployeeRole.MANAGER, { receivesRegistrationRequests: true }),
    await w.make.employee(EmployeeRole.DISPATCHER, { receivesRegistrationRequests: true }),
  ];
  w.receiverEmails = receivers.map((e) => e.email).sort();
}

/**
 * Starts the app with a recording SMS gateway, push provider and SMTP server before the suite (an
 * organization attaching found premises at once, two employees receiving requests, a street of its own)
 * and stops them after; answers the world (filled in beforeAll) and the helpers over it.
 */
export function residentApp() {
  const w = {} as ResidentWorld;

  beforeAll(() => startWorld(w));
  afterAll(async () => {
    await w.app.close();
    await Promise.all([w.sms.close(), w.push.close(), w.mail.stop()]);
  });

  /** GraphQL over HTTP from a chosen client address (the app trusts X-Forwarded-For from loopback). */
  async function call<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    address = randomAddress(),
  ): Promise<GraphqlResult<T>> {
    const response = await fetch(`${w.app.url}/graphql`, {
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
      w.sms.received
        .slice(after)
        .filter((m) => m.to === phone)
        .pop(),
    );
    return /(\d{6})/.exec(message.text)![1];
  }

  /** The whole app sign-in: code by SMS, then the token. */
  async function signInResident(phone = uniquePhone()): Promise<{ phone: string; token: string }> {
    const before = w.sms.received.length;
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
    const rows: { id: string }[] = await w.app.dataSource.query(
      `SELECT id FROM notification_outbox WHERE dedup_key LIKE $1`,
      [`registration:${requestId}:to:%`],
    );
    return w.mail.mails.filter((m) => rows.some((r) => m.data.includes(`<outbox-${r.id}@domovoy>`)));
  }

  const building = (house: string) => w.make.building({ city: 'Казань', street: `ул. ${w.street}`, house });
  const premises = (buildingId: string, number: string, type = 'FLAT') => w.make.premises(buildingId, number, { type });
  const account = (premisesId: string, number: string, extra: Record<string, unknown> = {}) =>
    w.make.account(premisesId, number, extra);

  return { world: w, call, requestCode, codeSentTo, signInResident, mailsFor, building, premises, account };
}
