import { BuildingsService } from '../src/buildings/buildings.service';
import { appLogger } from '../src/common/logging/json-logger';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

type LogLine = Record<string, unknown>;

/** The JSON lines the logger writes (stdout and stderr) while `run` runs, at `level`. */
async function logLinesOf(level: 'info' | 'debug', run: () => Promise<void>): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  const capture = (chunk: unknown) => {
    for (const text of String(chunk).split('\n')) if (text.startsWith('{')) lines.push(JSON.parse(text) as LogLine);
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  appLogger.setLevel(level);
  try {
    await run();
  } finally {
    appLogger.setLevel('error');
    out.mockRestore();
    err.mockRestore();
  }
  return lines;
}

/** One GraphQL request over HTTP, answering the body and the X-Request-Id the server gave it. */
async function post(app: TestApp, token: string, query: string): Promise<{ body: any; requestId: string }> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const requestId = response.headers.get('x-request-id');
  if (!requestId) throw new Error('no X-Request-Id');
  return { body: await response.json(), requestId };
}

const BUILDINGS = '{ buildings(first: 5) { edges { node { id } } } }';

describe('request log lines without request tracing (the default)', () => {
  let app: TestApp;
  let org: TestOrganization;
  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
    await app.warmSession(org.adminToken);
  });
  afterAll(() => app.close());

  it('names the request on its own line, not on the lines written while serving it', async () => {
    let requestId = '';
    const lines = await logLinesOf('debug', async () => {
      const answer = await post(app, org.adminToken, BUILDINGS);
      expect(answer.body.errors).toBeUndefined();
      requestId = answer.requestId;
    });
    const requestLine = lines.find((l) => l.msg === 'request' && l.requestId === requestId);
    expect(requestLine).toMatchObject({ method: 'POST', path: '/graphql', status: 200 });
    expect(requestLine).not.toHaveProperty('sqlStatements');
    const sql = lines.filter((l) => l.msg === 'sql');
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.every((l) => l.requestId === undefined)).toBe(true);
  });

  it('names the request on the line of an unhandled error', async () => {
    const failure = jest
      .spyOn(app.server.app.get(BuildingsService), 'list')
      .mockRejectedValueOnce(new Error('disk on fire'));
    let answer: { body: any; requestId: string } | undefined;
    const lines = await logLinesOf('info', async () => {
      answer = await post(app, org.adminToken, BUILDINGS);
    });
    failure.mockRestore();
    expect(answer!.body.errors[0].extensions.code).toBe('INTERNAL');
    expect(JSON.stringify(answer!.body)).not.toContain('disk on fire');
    const errorLine = lines.find((l) => l.msg === 'Unhandled GraphQL error');
    expect(errorLine).toMatchObject({ level: 'error', requestId: answer!.requestId });
    expect(JSON.stringify(errorLine!.error)).toContain('disk on fire');
  });
});

describe('request log lines with REQUEST_TRACING=on', () => {
  let app: TestApp;
  let org: TestOrganization;
  beforeAll(async () => {
    app = await startTestApp({ REQUEST_TRACING: 'on' });
    org = await createOrganization(app);
    await app.warmSession(org.adminToken);
  });
  afterAll(() => app.close());

  it('names the request on every line written while serving it and counts its statements', async () => {
    let requestId = '';
    const lines = await logLinesOf('debug', async () => {
      requestId = (await post(app, org.adminToken, BUILDINGS)).requestId;
    });
    const sql = lines.filter((l) => l.msg === 'sql');
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.every((l) => l.requestId === requestId)).toBe(true);
    const requestLine = lines.find((l) => l.msg === 'request' && l.requestId === requestId);
    expect(requestLine).toMatchObject({ status: 200, sqlStatements: sql.length });
  });
});
