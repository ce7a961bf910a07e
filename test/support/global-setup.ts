import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/run-migrations';
import { appLogger } from '../../src/common/logging/json-logger';

/**
 * One fresh database per test run: on the server of DATABASE_URL when set, else on an embedded
 * PostgreSQL started in a temporary folder. Migrations run once here; test files share the
 * database but never each other's data (every test makes its own organizations).
 */
export default async function globalSetup(): Promise<void> {
  appLogger.setLevel('warn');
  // Suites that run the built service (dist/) as a person would need it current; build once here,
  // before the workers start, so no two suites rebuild it under each other.
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-if-needed.js')], { stdio: 'ignore' });
  const name = `domovoy_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const parent = mkdtempSync(join(tmpdir(), 'domovoy-test-'));
    chmodSync(parent, 0o755); // run as root, the server runs as the postgres user and must reach its folder
    const dataDir = join(parent, 'pg');
    const embedded = await startEmbeddedPostgres({ dataDir, password: 'test', database: 'postgres' });
    (globalThis as Record<string, unknown>).__embeddedPostgres = embedded;
    (globalThis as Record<string, unknown>).__embeddedDataDir = dataDir;
    serverUrl = embedded.url;
  }
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.TEST_DATABASE_URL = url.toString();
  process.env.TEST_SERVER_URL = serverUrl;
  process.env.TEST_DATABASE_NAME = name;
  await runMigrations(url.toString());
}
