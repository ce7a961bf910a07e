/*
 * Client search benchmark: surname-prefix and partial-phone search over a large client base, the
 * SQL statement count of a client page with all its relations, and the query plans.
 *
 * Build and run (from the repository root):
 *
 *   npx tsc -p bench/tsconfig.json
 *   CLIENTS=1000000 node bench/dist/bench/clients.js
 *
 * Environment:
 *   DATABASE_URL  server to create the scratch database on (default postgres://postgres@127.0.0.1:5432/postgres;
 *                 the user must be allowed to CREATE DATABASE)
 *   CLIENTS       clients in the measured organization (default 1000000); a second organization gets 1000
 *   SAMPLES       measured searches per kind and level (default 500), after WARMUP (default 50) unmeasured ones
 *   SEED          seed of the pseudo-random data and samples (default 42)
 *   KEEP=1        keep the scratch database domovoy_bench_… instead of dropping it at the end
 *
 * Levels: "SQL (service)" times ClientSearch.list in the server process — the search itself: its SQL
 * round trip to PostgreSQL and the hydration of the page. "HTTP (2nd process)" times the whole GraphQL
 * request from another process; the "no search (baseline)" row is the same request without a search
 * (auth, Nest, Apollo, loopback), so the two HTTP rows show what the search adds to it.
 *
 * It is a benchmark, not a test: it prints its figures and exits 0 unless something breaks.
 */
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AuditChannel } from '../src/kernel/actor';
import { ClientSearch } from '../src/clients/client-search';
import { PhoneDigitsDensity } from '../src/clients/phone-digits-density';
import { appLogger } from '../src/common/logging/json-logger';
import { runMigrations } from '../src/database/run-migrations';
import { CrmSpace } from '../src/kernel/crm-space';
import { EmployeeRole } from '../src/kernel/role';
import { RunningServer } from '../src/server';
import { ClientSearchApp, measureSearches, SearchInputs } from './client-search-measures';
import { printSearchBreakdown, printSearchTable } from './client-search-report';
import { seedSearchDatabase } from './client-seeding';
import { printRelationStatementCounts, printTypicalPlans } from './client-sql-inspection';
import { startSignedIn } from './in-process-app';
import { adminQuery, closeRun, intEnv, prng, timed, withDatabase } from './support';

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = intEnv('CLIENTS', 1_000_000);
const OTHER_CLIENTS = 1_000;
const SAMPLES = intEnv('SAMPLES', 500);
const WARMUP = intEnv('WARMUP', 50);
const SEED = intEnv('SEED', 42);
const KEEP = process.env.KEEP === '1';
const TARGET_P99_MS = 10;

const random = prng(SEED);
const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

/** Search inputs, drawn from the seeded rows (so their frequencies follow the data): surname prefixes and phone parts. */
async function drawSearchInputs(db: PgClient, organizationId: string): Promise<{ p: SearchInputs; d: SearchInputs }> {
  const want = SAMPLES + WARMUP;
  const { rows: picked } = await db.query<{ last_name: string; phone_digits: string }>(
    `SELECT last_name, phone_digits FROM client WHERE organization_id = $1 ORDER BY random() LIMIT $2`,
    [organizationId, want * 2],
  );
  const prefixes = picked.slice(0, want).map((r) => [...r.last_name].slice(0, between(2, 4)).join(''));
  const phoneParts = picked.slice(want, want * 2).map((r) => {
    const length = between(4, 7);
    const offset = between(0, r.phone_digits.length - length);
    return r.phone_digits.slice(offset, offset + length);
  });
  const split = (all: string[]) => ({ warmup: all.slice(0, WARMUP), measured: all.slice(WARMUP) });
  return { p: split(prefixes), d: split(phoneParts) };
}

/** 3. The application in this process, an administrator of `organizationId` signed in, its phone density read. */
async function startApplication(
  url: string,
  organizationId: string,
): Promise<ClientSearchApp & { server: RunningServer }> {
  console.log('\n3. Application (in-process, HTTP on 127.0.0.1)');
  const { server, employeeId, token, gql } = await startSignedIn(
    url,
    organizationId,
    EmployeeRole.ADMIN,
    'Администратор бенчмарка',
  );
  // The search plans by a sample of the organization's phone digits, read once in the background.
  await server.app.get(PhoneDigitsDensity).ready(organizationId);
  return {
    server,
    url: server.url!,
    token,
    gql,
    clients: server.app.get(ClientSearch),
    actor: { organizationId, employeeId, channel: AuditChannel.CRM, space: CrmSpace.OPERATION },
    dataSource: server.app.get<DataSource>(getDataSourceToken()),
  };
}

/** 1–2. The scratch database migrated and seeded; returns the measured organization's id. */
async function prepareDatabase(db: PgClient, url: string): Promise<string> {
  console.log('\n1. Migrations');
  await timed('runMigrations', () => runMigrations(url));
  console.log('\n2. Seeding');
  await db.connect();
  return seedSearchDatabase(db, { clients: CLIENTS, otherClients: OTHER_CLIENTS, seed: SEED });
}

async function main(): Promise<void> {
  appLogger.setLevel('error');
  const database = `domovoy_bench_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(SERVER_URL, database);
  console.log(
    `Client search benchmark: ${CLIENTS.toLocaleString('en')} clients (+${OTHER_CLIENTS} in another organization), ${SAMPLES} samples after ${WARMUP} warm-up, seed ${SEED}`,
  );
  console.log(`Database ${database} on ${new URL(SERVER_URL).host}${KEEP ? ' (kept: KEEP=1)' : ''}`);

  await adminQuery(SERVER_URL, `CREATE DATABASE "${database}"`);
  let server: RunningServer | undefined;
  const db = new PgClient({ connectionString: url, application_name: 'domovoy-bench' });
  try {
    const organizationId = await prepareDatabase(db, url);
    const { p, d } = await drawSearchInputs(db, organizationId);
    const app = await startApplication(url, organizationId);
    server = app.server;
    const runs = await measureSearches(app, p, d);
    printSearchTable(runs, CLIENTS, TARGET_P99_MS);
    const slowestPhones = await printSearchBreakdown(app, p, d, runs);
    await printRelationStatementCounts(app);
    await printTypicalPlans(app, p.measured, d.measured, slowestPhones);
  } finally {
    console.log('\n5. Closing');
    await closeRun({ server, db, serverUrl: SERVER_URL, database, url, keep: KEEP });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
