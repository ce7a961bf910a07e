/*
 * Contact card benchmark: the dispatcher's card (contactCard) and phone typeahead (contactsByPhone)
 * over a large base of contacts and tickets, against a hand-written SQL fetch of the same card.
 *
 * Build and run (from the repository root):
 *
 *   npx tsc -p bench/tsconfig.json
 *   CONTACTS=1000000 TICKETS=5000000 node bench/dist/bench/contact-card.js
 *
 * Environment:
 *   DATABASE_URL  server to create the scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 *   CONTACTS      contacts of the measured organization (default 1000000): 80% client cards, 20% callers without one
 *   TICKETS       tickets of that organization (default 5000000), spread evenly over the contacts
 *   SAMPLES       measured requests per kind (default 500), after WARMUP (default 3000) unmeasured ones of
 *                 each kind, interleaved (other contacts and parts, drawn alike), so the server's JIT has
 *                 settled as in a server that has been up for a while (see WARMUP below);
 *                 a first pass meets the samples cold, the measured pass after each was read both ways
 *   WARMUP_CONNECTIONS  connections the warm-up is spread over, one after another (default 6), as a
 *                 server that has been up for a while has served many (see WARMUP_CONNECTIONS below)
 *   SETTLE        unmeasured requests each later pass's client sends first on its new connection (default
 *                 100, drawn from the warm-up mix), so no pass times its client's own cold start
 *   SEED          seed of the samples (default 42)
 *   KEEP=1        keep the scratch database domovoy_bench_… instead of dropping it at the end
 *   REUSE=name    measure again on a database an earlier KEEP=1 run seeded (same CONTACTS and TICKETS):
 *                 pending migrations are applied, seeding is skipped, the database is kept
 *
 * It is a benchmark, not a test: it prints its figures and exits 0 unless something breaks.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { appLogger } from '../src/common/logging/json-logger';
import { loadConfig } from '../src/config/config';
import { runMigrations } from '../src/database/run-migrations';
import { PhoneDigitsDensity } from '../src/clients/phone-digits-density';
import { EmployeesService } from '../src/organizations/employees.service';
import { EmployeeRole } from '../src/kernel/role';
import { RunningServer, startServer } from '../src/server';
import { defaultClassifierRows } from '../src/tickets/default-classifier';
import { adminQuery, closeRun, graphqlClient, intEnv, prng, requestsOverHttp, seconds, stats, Stats, timed, withDatabase } from './support';

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const CONTACTS = intEnv('CONTACTS', 1_000_000);
const TICKETS = intEnv('TICKETS', 5_000_000);
const SAMPLES = intEnv('SAMPLES', 500);
// A server's first thousands of requests are also V8's warm-up. After 550 cards, 180–190 TurboFan
// compilations still ran on background threads during the next 500 (node --trace-opt), each holding one of
// this machine's two cores for 1–5 ms while PostgreSQL backends waited to run (their runqueue wait, from
// /proc/<pid>/schedstat, was 3–5 ms in the slowest cards); after 2,200–4,400 cards, 58–62. The card's p99
// over the same 500 samples went from 7.1–8.3 ms (after 550) to 4.7–5.6 ms (after 3,300). The measured
// pass is meant to show a server that has been up for a while; the first pass shows the samples met cold
// in the database.
const WARMUP = intEnv('WARMUP', 3000);
// Each pass's requests come from a new client process over a new keep-alive connection. Warmed up over a
// single connection, the server met a second socket in the middle of the figures: Node's HTTP internals
// (parser callbacks, socket reads and writes) were deoptimized ("wrong map", node --trace-deopt) and
// 10–22 TurboFan compilations of 1–9 ms ran on a background core during each measured pass; warmed up
// over 6 connections, 0–1 deoptimizations and 1–9 compilations.
const WARMUP_CONNECTIONS = Math.max(1, intEnv('WARMUP_CONNECTIONS', 6));
// A new client process's first requests run its own HTTP and JSON code unoptimized, and the first one
// opens the connection: the slowest cards of a pass were its first few, slow on the client's side.
const SETTLE = intEnv('SETTLE', 100);
const SEED = intEnv('SEED', 42);
const REUSE = process.env.REUSE;
const KEEP = process.env.KEEP === '1' || Boolean(REUSE);
const CLIENTS = Math.round(CONTACTS * 0.8);
const CALLERS = CONTACTS - CLIENTS;
const FLATS_PER_BUILDING = 150;
const BUILDINGS = Math.max(1, Math.ceil(CLIENTS / FLATS_PER_BUILDING));
const BATCH = 500_000;
const PASSWORD = 'bench-password-123';
const TARGET_RATIO = 3;
const TARGET_TYPEAHEAD_P99_MS = 10;

const random = prng(SEED);
const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

// Deterministic ids, so every seeding step can name rows of another without a lookup table.
const ID = (kind: string, expr: string) => `md5('${kind}' || (${expr})::text)::uuid`;
// A bijection of 0…10⁹-1: contact i (clients first, then callers) has phone +79 and these 9 digits.
const PHONE_DIGITS = (expr: string) => `'79' || lpad((((${expr})::bigint * 387420489 + 123456789) % 1000000000)::text, 9, '0')`;

// ---------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------

async function inBatches(label: string, total: number, run: (from: number, to: number) => Promise<unknown>): Promise<void> {
  for (let from = 0; from < total; from += BATCH) {
    const to = Math.min(total, from + BATCH) - 1;
    await run(from, to);
    if (total > BATCH) process.stdout.write(`    ${label}: ${to + 1} / ${total}\r`);
  }
  if (total > BATCH) process.stdout.write('\n');
}

async function seed(db: PgClient, org: string): Promise<void> {
  const categories = defaultClassifierRows(randomUUID);
  await db.query(`INSERT INTO ticket_category (organization_id, id, parent_id, name) SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::text[])`, [
    org, categories.map((c) => c.id), categories.map((c) => c.parentId), categories.map((c) => c.name),
  ]);
  const parents = new Set(categories.map((c) => c.parentId));
  const leaves = categories.filter((c) => !parents.has(c.id)).map((c) => c.id);

  await timed(`buildings (${BUILDINGS.toLocaleString('en')})`, () =>
    db.query(
      `INSERT INTO building (organization_id, id, city, street, house, address_key, search_text, entrances, reference_sheet_html, reference_sheet_updated_at)
       SELECT $1, ${ID('b', 'g')}, 'Москва', 'ул. Бенчмарковая', (g + 1)::text, 'москва|бенчмарковая улица|' || (g + 1) || '|', 'москва, ул. бенчмарковая, д. ' || (g + 1),
              '[{"number":1,"floors":9},{"number":2,"floors":9}]'::jsonb, '<p>Диспетчерская: +7 495 000-00-00. Аварийная служба: 112.</p>', now()
         FROM generate_series(0, $2 - 1) g`,
      [org, BUILDINGS],
    ),
  );
  // Client i lives in flat i: building i mod BUILDINGS, number i / BUILDINGS + 1.
  await timed(`premises (${CLIENTS.toLocaleString('en')})`, () =>
    inBatches('premises', CLIENTS, (from, to) =>
      db.query(
        `INSERT INTO premises (organization_id, id, building_id, type, number, number_key, number_sort, entrance, floor)
         SELECT $1, ${ID('p', 'g')}, ${ID('b', `g % ${BUILDINGS}`)}, 'FLAT', n::text, n::text, lpad(n::text, 10, '0'), 1 + n % 2, 1 + n % 9
           FROM generate_series($2::int, $3::int) g, LATERAL (SELECT g / ${BUILDINGS} + 1 AS n) x`,
        [org, from, to],
      ),
    ),
  );
  await timed(`clients with a flat each, half with a payable account (${CLIENTS.toLocaleString('en')})`, () =>
    inBatches('clients', CLIENTS, async (from, to) => {
      await db.query(
        `INSERT INTO client (organization_id, id, last_name, first_name, phone, phone_digits, surname_key, name_key)
         SELECT $1, ${ID('c', 'g')}, ln, fn, '+' || d, d, lower(ln || ' ' || fn), lower(ln || ' ' || fn)
           FROM generate_series($2::int, $3::int) g,
                LATERAL (SELECT (ARRAY['Иванов','Смирнов','Кузнецов','Попов','Васильев','Петров','Соколов','Михайлов'])[1 + g % 8] || (g % 97)::text AS ln,
                                (ARRAY['Иван','Анна','Олег','Мария','Пётр','Елена'])[1 + g % 6] AS fn, ${PHONE_DIGITS('g')} AS d) x`,
        [org, from, to],
      );
      await db.query(
        `INSERT INTO occupancy (organization_id, premises_id, client_id, role, source) SELECT $1, ${ID('p', 'g')}, ${ID('c', 'g')}, 'OWNER', 'IMPORT' FROM generate_series($2::int, $3::int) g`,
        [org, from, to],
      );
      await db.query(
        `INSERT INTO account (organization_id, number, number_key, premises_id, owner_client_id, hidden_from_resident, payments_enabled)
         SELECT $1, 'ЛС' || lpad(g::text, 9, '0'), 'ЛС' || lpad(g::text, 9, '0'), ${ID('p', 'g')}, ${ID('c', 'g')}, g % 10 = 0, true
           FROM generate_series($2::int, $3::int) g WHERE g % 2 = 0`,
        [org, from, to],
      );
    }),
  );
  await timed(`callers without a client card (${CALLERS.toLocaleString('en')})`, () =>
    db.query(
      `INSERT INTO ticket_caller (organization_id, id, phone, phone_digits, full_name)
       SELECT $1, ${ID('k', 'g')}, '+' || ${PHONE_DIGITS(`${CLIENTS} + g`)}, ${PHONE_DIGITS(`${CLIENTS} + g`)}, 'Звонивший ' || g FROM generate_series(0, $2 - 1) g`,
      [org, CALLERS],
    ),
  );
  // Ticket g belongs to contact (g·φ) mod CONTACTS: a client (at their flat, one in ten about the house)
  // or a caller (at some flat); newest last, a category leaf each, four in five already closed.
  await timed(`tickets (${TICKETS.toLocaleString('en')})`, () =>
    inBatches('tickets', TICKETS, (from, to) =>
      db.query(
        `INSERT INTO ticket (organization_id, number, building_id, premises_id, place_id, entrance, category_id, description, status, source,
                             client_id, contact_name, contact_phone, contact_address, created_at, updated_at, closed_at)
         SELECT $1, g + 1, ${ID('b', `flat % ${BUILDINGS}`)}, CASE WHEN house THEN NULL ELSE ${ID('p', 'flat')} END,
                CASE WHEN house THEN ${ID('b', `flat % ${BUILDINGS}`)} ELSE ${ID('p', 'flat')} END, 1 + (flat / ${BUILDINGS} + 1) % 2,
                ($4::uuid[])[1 + g % cardinality($4::uuid[])], 'Описание заявки ' || g,
                CASE WHEN g % 5 = 0 THEN 'NEW' WHEN g % 5 = 1 THEN 'IN_PROGRESS' ELSE 'CLOSED' END, 'CALL',
                CASE WHEN c < ${CLIENTS} THEN ${ID('c', 'c')} END, 'Житель ' || c, '+' || ${PHONE_DIGITS('c')}, 'Москва, ул. Бенчмарковая',
                now() - ($5 - g) * interval '1 minute', now() - ($5 - g) * interval '1 minute', CASE WHEN g % 5 > 1 THEN now() END
           FROM generate_series($2::int, $3::int) g,
                LATERAL (SELECT ((g::bigint * 2654435761) % ${CONTACTS})::int AS c) x,
                LATERAL (SELECT CASE WHEN c < ${CLIENTS} THEN c ELSE ((c::bigint * 7919) % ${CLIENTS})::int END AS flat, c < ${CLIENTS} AND g % 10 = 0 AS house) y`,
        [org, from, to, leaves, TICKETS],
      ),
    ),
  );
  await db.query(`INSERT INTO ticket_counter (organization_id, last_number) VALUES ($1, $2)`, [org, TICKETS]);
}

// ---------------------------------------------------------------------------------------------
// What is measured
// ---------------------------------------------------------------------------------------------

const CARD_QUERY = `query($id: ID!) { contactCard(contactId: $id) {
  contact { id kind fullName phone phones email }
  addresses { role address premises { id number } building { id address } referenceSheet { html updatedAt }
    tickets(first: 10) { edges { node { id number status description createdAt contactName category { name } } } } }
  appStatus { usesApp lastSeenAt }
  paymentAccess { enabled accounts { number } }
} }`;

const TYPEAHEAD_QUERY = `query($q: String!) { contactsByPhone(query: $q, first: 10) { contact { id kind fullName phone } addresses { address role } } }`;

/**
 * The same card in one hand-written statement: the contact, each place (attached premises and
 * places of their tickets) with its address and reference sheet, the last 10 tickets there with
 * their category, and the payable accounts.
 */
const CARD_SQL = `
WITH contact AS (
  SELECT c.id, 'CLIENT' AS kind, concat_ws(' ', c.last_name, c.first_name, c.middle_name) AS full_name, c.phone, c.email, c.id AS client_id,
         array_remove(array_prepend(c.phone, c.extra_phones), NULL) AS phones
    FROM client c WHERE c.organization_id = $1 AND c.id = $2
  UNION ALL
  SELECT k.id, 'CALLER', k.full_name, k.phone, NULL, NULL, ARRAY[k.phone] FROM ticket_caller k
   WHERE k.organization_id = $1 AND k.id = $2 AND NOT EXISTS (SELECT 1 FROM client c WHERE c.organization_id = $1 AND c.id = $2)
),
ticket_places AS (
  SELECT t.place_id, t.building_id, t.premises_id, max(t.number) AS last FROM ticket t, contact
   WHERE t.organization_id = $1 AND (t.client_id = contact.client_id OR (t.client_id IS NULL AND t.contact_phone = ANY(contact.phones)))
   GROUP BY 1, 2, 3
),
places AS (
  SELECT tp.place_id, tp.building_id, tp.premises_id, tp.last FROM ticket_places tp
  UNION ALL
  SELECT o.premises_id, p.building_id, o.premises_id, NULL FROM occupancy o JOIN contact ON o.client_id = contact.client_id
    JOIN premises p ON p.organization_id = o.organization_id AND p.id = o.premises_id
   WHERE o.organization_id = $1 AND NOT EXISTS (SELECT 1 FROM ticket_places tp WHERE tp.place_id = o.premises_id)
)
SELECT json_build_object(
  'contact', (SELECT row_to_json(contact) FROM contact),
  'addresses', (SELECT json_agg(json_build_object(
      'role', o.role, 'premises', pr.number, 'building', b.search_text, 'referenceSheet', b.reference_sheet_html,
      'tickets', (SELECT json_agg(x) FROM (
          SELECT u.id, u.number, u.status, u.description, u.created_at, u.contact_name, cat.name AS category FROM (
            (SELECT t.* FROM ticket t, contact WHERE t.organization_id = $1 AND t.client_id = contact.client_id AND t.place_id = pl.place_id ORDER BY t.number DESC LIMIT 10)
            UNION ALL
            (SELECT t.* FROM ticket t, contact WHERE t.organization_id = $1 AND t.client_id IS NULL AND t.contact_phone = ANY(contact.phones) AND t.place_id = pl.place_id ORDER BY t.number DESC LIMIT 10)
          ) u LEFT JOIN ticket_category cat ON cat.organization_id = $1 AND cat.id = u.category_id ORDER BY u.number DESC LIMIT 10) x))
      ORDER BY pl.last DESC NULLS LAST)
    FROM places pl JOIN building b ON b.organization_id = $1 AND b.id = pl.building_id
    LEFT JOIN premises pr ON pr.organization_id = $1 AND pr.id = pl.premises_id
    LEFT JOIN occupancy o ON o.organization_id = $1 AND o.premises_id = pl.premises_id AND o.client_id = (SELECT client_id FROM contact)),
  'accounts', (SELECT json_agg(a.number) FROM account a WHERE a.organization_id = $1 AND a.premises_id IN (SELECT premises_id FROM places)
                 AND NOT a.hidden_from_resident AND a.payments_enabled AND a.status = 'ACTIVE')
) AS card`;

function row(cells: string[], widths: number[]): string {
  return '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
}

async function seedAll(db: PgClient): Promise<string> {
  const [{ id: org }] = (await db.query<{ id: string }>(`INSERT INTO organization (name) VALUES ('УК «Бенчмарк»') RETURNING id`)).rows;
  const seedStart = performance.now();
  await seed(db, org);
  await timed('VACUUM (ANALYZE)', () => db.query('VACUUM (ANALYZE)'));
  await timed('CHECKPOINT', () => db.query('CHECKPOINT'));
  console.log(`  seeding total ${seconds(performance.now() - seedStart)}`);
  return org;
}

/** REUSE: the organization an earlier run seeded; its row counts must be the ones asked for now. */
async function seededOrganization(db: PgClient): Promise<string> {
  const { rows } = await db.query<{ id: string; tickets: number }>(
    `SELECT o.id, (SELECT count(*)::int FROM ticket t WHERE t.organization_id = o.id) AS tickets FROM organization o WHERE o.name = 'УК «Бенчмарк»'`,
  );
  if (rows.length !== 1 || rows[0].tickets !== TICKETS) throw new Error(`REUSE=${REUSE}: expected one seeded organization with ${TICKETS} tickets, found ${JSON.stringify(rows)}`);
  console.log(`  seeding skipped (REUSE): ${rows[0].tickets.toLocaleString('en')} tickets already there`);
  await timed('ANALYZE', () => db.query('ANALYZE'));
  return rows[0].id;
}

async function main(): Promise<void> {
  appLogger.setLevel('error');
  const database = REUSE ?? `domovoy_bench_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(SERVER_URL, database);
  console.log(`Contact card benchmark: ${CONTACTS.toLocaleString('en')} contacts (${CLIENTS.toLocaleString('en')} clients, ${CALLERS.toLocaleString('en')} callers without a card), ` +
    `${TICKETS.toLocaleString('en')} tickets; ${SAMPLES} samples after ${WARMUP} warm-up over ${WARMUP_CONNECTIONS} connections, ${SETTLE} to settle each later one, seed ${SEED}`);
  console.log(`Database ${database} on ${new URL(SERVER_URL).host}${KEEP ? ' (kept: KEEP=1)' : ''}`);
  if (!REUSE) await adminQuery(SERVER_URL, `CREATE DATABASE "${database}"`);
  let server: RunningServer | undefined;
  const db = new PgClient({ connectionString: url, application_name: 'domovoy-bench' });
  try {
    console.log('\n1. Migrations');
    await timed('runMigrations', () => runMigrations(url));

    console.log('\n2. Seeding');
    await db.connect();
    const org = REUSE ? await seededOrganization(db) : await seedAll(db);
    const { rows: sizes } = await db.query(
      `SELECT pg_size_pretty(pg_total_relation_size('ticket')) AS ticket, pg_size_pretty(pg_total_relation_size('client')) AS client,
              pg_size_pretty(pg_total_relation_size('ticket_caller')) AS caller, pg_size_pretty(pg_database_size(current_database())) AS db`,
    );
    console.log(`  ticket ${sizes[0].ticket}, client ${sizes[0].client}, ticket_caller ${sizes[0].caller} (with indexes); database ${sizes[0].db}`);

    // Samples: contacts drawn uniformly, so four in five are clients and one in five a caller.
    const want = SAMPLES + WARMUP;
    const contacts: string[] = [];
    const parts: string[] = [];
    // PostgreSQL's random() seeded from SEED (and in this process only: parallel workers ignore setseed),
    // so a REUSE run measures the same callers as the run that seeded the database.
    await db.query('SET max_parallel_workers_per_gather = 0');
    await db.query('SELECT setseed($1)', [(SEED % 1000) / 1000]);
    const callerIds = (await db.query<{ id: string }>(`SELECT id FROM ticket_caller WHERE organization_id = $1 ORDER BY random(), id LIMIT $2`, [org, want])).rows.map((r) => r.id);
    const clientIds = (await db.query<{ id: string }>(`SELECT ${ID('c', 'g')} AS id FROM unnest($1::int[]) g`, [Array.from({ length: want }, () => between(0, CLIENTS - 1))])).rows.map((r) => r.id);
    for (let i = 0; i < want; i++) contacts.push(random() < 0.8 || !callerIds.length ? clientIds[i] : callerIds[i % callerIds.length]);
    const phones = (await db.query<{ d: string }>(`SELECT ${PHONE_DIGITS('g')} AS d FROM unnest($1::int[]) g`, [Array.from({ length: want }, () => between(0, CONTACTS - 1))])).rows;
    for (const { d } of phones) {
      // What dispatchers type: the beginning with the trunk 8 ("8 916 12"), or 3–7 digits from anywhere in the number.
      if (random() < 0.25) parts.push(`8 ${d.slice(1, between(4, 8))}`);
      else {
        const length = between(3, 7);
        const offset = between(0, d.length - length);
        parts.push(d.slice(offset, offset + length));
      }
    }

    console.log('\n3. Application (in-process, HTTP on 127.0.0.1, requests from a second process)');
    const config = loadConfig({ DATABASE_URL: url, ROLE: 'all', PORT: '0', JWT_SECRET: randomBytes(20).toString('hex'), LOG_LEVEL: 'error', QUEUE_PREFIX: `{domovoy-bench-${randomUUID().slice(0, 8)}}` });
    server = (await timed('startServer', () => startServer(config, url))).result;
    const gql = graphqlClient(server.url!);
    const admin = await server.app.get(EmployeesService).create(org, { email: `bench-${randomUUID()}@bench.local`, password: PASSWORD, fullName: 'Диспетчер бенчмарка', role: EmployeeRole.DISPATCHER });
    const token: string = (await gql(`mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, { input: { email: admin.email, password: PASSWORD } })).data.login.accessToken;

    // The client phone search plans by a sample of the organization's phone digits, read once in the background.
    await server.app.get(PhoneDigitsDensity).ready(org);
    const split = <T>(all: T[]) => ({ warmup: all.slice(0, WARMUP), measured: all.slice(WARMUP) });
    const c = split(contacts.map((id) => ({ id })));
    const q = split(parts.map((part) => ({ q: part })));
    // Two passes over the same samples. The first meets them cold, in whatever order. For the
    // measured pass every sample has been read once both ways, so the card over HTTP and the
    // hand-written statement find the same pages in memory: the ratio compares the two paths, not
    // who went first (before, the statement ran second on pages the HTTP pass had just read).
    // Warm-up as a server meets its traffic, cards and typeaheads interleaved: warmed on one kind at a
    // time, the code both share was re-optimized for the other kind in the middle of the measured pass.
    const warmup = c.warmup.flatMap((variables, i) => [{ query: CARD_QUERY, variables }, ...(q.warmup[i] ? [{ query: TYPEAHEAD_QUERY, variables: q.warmup[i] }] : [])]);
    const perConnection = Math.ceil(warmup.length / WARMUP_CONNECTIONS);
    for (let from = 0; from + perConnection < warmup.length; from += perConnection) {
      await requestsOverHttp(server.url!, token, CARD_QUERY, warmup.slice(from, from + perConnection), []);
    }
    const firstCard = await requestsOverHttp(server.url!, token, CARD_QUERY, warmup.slice(Math.floor((warmup.length - 1) / perConnection) * perConnection), c.measured);
    // Warm-up samples only: every measured sample is still read by each path the same number of times.
    const settle = warmup.slice(0, SETTLE);
    const firstTypeahead = await requestsOverHttp(server.url!, token, TYPEAHEAD_QUERY, settle, q.measured);
    const cardSql = async (id: string) => {
      const start = performance.now();
      const { rows } = await db.query(CARD_SQL, [org, id]);
      return { ms: performance.now() - start, bytes: Buffer.byteLength(JSON.stringify(rows[0].card)) };
    };
    for (const { id } of [...c.warmup, ...c.measured]) await cardSql(id);
    const httpCard = await requestsOverHttp(server.url!, token, CARD_QUERY, settle, c.measured);
    const httpTypeahead = await requestsOverHttp(server.url!, token, TYPEAHEAD_QUERY, settle, q.measured);
    const sqlTimes: number[] = [];
    const sqlSizes: number[] = [];
    for (const { id } of c.measured) {
      const { ms, bytes } = await cardSql(id);
      sqlTimes.push(ms);
      sqlSizes.push(bytes);
    }

    const card = stats(httpCard.times);
    const sql = stats(sqlTimes);
    const typeahead = stats(httpTypeahead.times);
    const widths = [44, 5, 8, 8, 8, 8, 12];
    console.log(`\n  ms, sequential, one client at a time`);
    console.log(row(['measurement', 'n', 'p50', 'p95', 'p99', 'max', 'avg bytes'], widths));
    const line = (label: string, s: Stats, bytes: number[]) =>
      console.log(row([label, String(s.n), s.p50.toFixed(2), s.p95.toFixed(2), s.p99.toFixed(2), s.max.toFixed(2), String(Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length))], widths));
    line('first pass: contactCard over HTTP', stats(firstCard.times), firstCard.sizes);
    line('first pass: contactsByPhone over HTTP', stats(firstTypeahead.times), firstTypeahead.sizes);
    line('contactCard over HTTP (GraphQL)', card, httpCard.sizes);
    line('the same card, one hand-written SQL statement', sql, sqlSizes);
    line('contactsByPhone over HTTP (GraphQL)', typeahead, httpTypeahead.sizes);
    const ratio50 = card.p50 / sql.p50;
    const ratio99 = card.p99 / sql.p99;
    console.log(`\n  contactCard / SQL: p50 ${ratio50.toFixed(2)}×, p99 ${ratio99.toFixed(2)}× (target ≤ ${TARGET_RATIO}×: ${ratio50 <= TARGET_RATIO && ratio99 <= TARGET_RATIO ? 'PASS' : 'FAIL'})`);
    console.log(`  contactsByPhone p99 ${typeahead.p99.toFixed(2)} ms (target ≤ ${TARGET_TYPEAHEAD_P99_MS} ms: ${typeahead.p99 <= TARGET_TYPEAHEAD_P99_MS ? 'PASS' : 'FAIL'})`);
    const slowest = q.measured.map((v, i) => ({ q: v.q, ms: httpTypeahead.times[i] })).sort((a, b) => b.ms - a.ms).slice(0, 6);
    console.log(`  slowest typeahead inputs: ${slowest.map((s) => `"${s.q}" ${s.ms.toFixed(1)} ms`).join(', ')}`);
  } finally {
    console.log('\n4. Closing');
    await closeRun({ server, db, serverUrl: SERVER_URL, database, url, keep: KEEP });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
