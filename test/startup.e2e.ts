import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The built service as `npm start` runs it: no DATABASE_URL, no REDIS_URL, an embedded PostgreSQL
 * under DATA_DIR. Slow-ish (two cold starts), so the cases share one data folder.
 */
const root = join(__dirname, '..');
const main = join(root, 'dist', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment of a newcomer's shell: none of the test run's service URLs. */
function bareEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  return env;
}

interface Started {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

const launched = new Set<ChildProcess>();

function launch(env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  launched.add(child);
  child.once('exit', () => launched.delete(child));
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, exited };
}

async function waitForLine(started: Started, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = started.stdout().match(pattern);
    if (match) return match;
    if (started.child.exitCode !== null) throw new Error(`exited early:\n${started.stdout()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${started.stdout()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function gql(port: number, query: string, variables?: unknown, token?: string) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
}

function postgresRunningIn(dataDir: string): boolean {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').some((line) => line.includes('postgres') && line.includes(dataDir));
}

// A failed assertion must not leave a server (and its PostgreSQL) running behind the test run.
afterEach(async () => {
  for (const child of launched) child.kill('SIGTERM');
  while (launched.size) await new Promise((r) => setTimeout(r, 100));
});

describe('npm start (built service, embedded PostgreSQL)', () => {
  it('stops at once with one line naming a bad variable', async () => {
    const started = launch(bareEnv({ PORT: 'eighty', DATA_DIR: join(tmpdir(), 'never-created') }));
    expect(await started.exited).toBe(1);
    expect(started.stdout().trim()).toBe('Configuration error: PORT: must be an integer from 0 to 65535, got "eighty"');
  });

  it('starts on an empty folder, prints the admin password once, stops cleanly and keeps the data', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'domovoy-start-'));
    chmodSync(parent, 0o755);
    const dataDir = join(parent, 'data');
    try {
      const port = await freePort();
      const env = bareEnv({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });

      const first = launch(env);
      const [, email] = await waitForLine(first, /Sign in with e-mail: (\S+)/);
      const [, password] = await waitForLine(first, /password: {2}(\S+)/);
      await waitForLine(first, /"msg":"Domovoy is up"/);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'up', redis: 'disabled' });

      const login = await gql(port, `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, {
        input: { email, password },
      });
      const token = login.data.login.accessToken as string;
      const created = await gql(
        port,
        `mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { building { id } } }`,
        { input: { city: 'Москва', street: 'ул. Ленина', house: '5' } },
        token,
      );
      const buildingId = created.data.createBuilding.building.id as string;

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(postgresRunningIn(dataDir)).toBe(false);
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

      const second = launch(env);
      await waitForLine(second, /"msg":"Domovoy is up"/);
      expect(second.stdout()).not.toContain('Sign in with e-mail'); // the password is printed only once
      const again = await gql(port, `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, {
        input: { email, password },
      });
      const building = await gql(
        port,
        `query($id: ID!) { building(id: $id) { id address } }`,
        { id: buildingId },
        again.data.login.accessToken,
      );
      expect(building.data.building).toEqual({ id: buildingId, address: 'Москва, ул. Ленина, д. 5' });

      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
      expect(postgresRunningIn(dataDir)).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
