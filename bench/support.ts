/* Helpers shared by the benchmark scripts: settings, timing, statistics, a scratch database, HTTP, the contact-card database. */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { runMigrations } from '../src/database/run-migrations';
import { defaultClassifierRows } from '../src/tickets/default-classifier';

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.replace(/_/g, '');
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${process.env[name]}"`);
  return value;
}

/** mulberry32: a tiny seeded PRNG, so samples are the same from run to run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export async function timed<T>(label: string, run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  console.log(`  ${label}: ${seconds(ms)}`);
  return { result, ms };
}

export function percentile(sorted: number[], p: number): number {
  // nearest-rank
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const admin = new PgClient({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export interface Gql {
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export function graphqlClient(url: string) {
  return async (query: string, variables: Record<string, unknown>, token?: string): Promise<Gql> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Gql;
    if (body.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
    return body;
  };
}

/** A warm-up request of its own query (a mix of the kinds a server meets), rather than variables of the measured one. */
export interface WarmupRequest {
  query: string;
  variables: object;
}

/**
 * Sends one GraphQL request per variables object from a separate Node process, as a front end would:
 * a client in the server's own process would share its event loop. A lean keep-alive client
 * (node:http, one socket) so the figures are the server's and not fetch's (undici costs the client
 * process a fraction of a millisecond and garbage of its own per request). Returns each request's
 * time in ms, its response size in bytes, and the rows it answered (the edges of a connection, the
 * items of a list, else 1).
 */
const HTTP_CLIENT = `
const http = require('node:http');
let input = '';
process.stdin.on('data', (c) => (input += c)).on('end', async () => {
  const { url, token, query, warmup, measured } = JSON.parse(input);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (payload) => new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: 'Bearer ' + token };
    const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
    });
    request.on('error', reject);
    request.end(payload);
  });
  const send = async (variables, own) => {
    const text = await post(JSON.stringify({ query: own || query, variables }));
    const body = JSON.parse(text);
    if (body.errors) throw new Error(text.slice(0, 500));
    const first = Object.values(body.data)[0];
    return { bytes: Buffer.byteLength(text), rows: Array.isArray(first) ? first.length : first && first.edges ? first.edges.length : 1 };
  };
  for (const item of warmup) await (item.query ? send(item.variables, item.query) : send(item));
  const times = [];
  const sizes = [];
  const rows = [];
  for (const variables of measured) {
    const start = performance.now();
    const answer = await send(variables);
    times.push(performance.now() - start);
    sizes.push(answer.bytes);
    rows.push(answer.rows);
  }
  process.stdout.write(JSON.stringify({ times, sizes, rows }));
});`;

export async function requestsOverHttp(
  url: string,
  token: string,
  query: string,
  warmup: (object | WarmupRequest)[],
  measured: object[],
): Promise<{ times: number[]; sizes: number[]; rows: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', HTTP_CLIENT], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`HTTP client exited with ${code}`)),
    );
    child.stdin.end(JSON.stringify({ url: `${url}/graphql`, token, query, warmup, measured }));
  });
}

/** The end of a run: the server and the seeding connection closed, the scratch database dropped unless kept. */
export async function closeRun(run: {
  server?: { close(): Promise<void> };
  db: PgClient;
  serverUrl: string;
  database: string;
  url: string;
  keep: boolean;
}): Promise<void> {
  if (run.server) await run.server.close();
  await run.db.end().catch(() => undefined);
  if (run.keep) console.log(`  kept database ${run.database}: ${run.url}`);
  else {
    await adminQuery(run.serverUrl, `DROP DATABASE IF EXISTS "${run.database}" WITH (FORCE)`);
    console.log(`  dropped database ${run.database}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The contact-card database: one organization with CONTACTS contacts and TICKETS tickets, seeded in
// SQL (bench/contact-card.ts measures the card on it, bench/load.ts a dispatcher's traffic).
// ---------------------------------------------------------------------------------------------

export const CARD_ORGANIZATION = 'УК «Бенчмарк»';

/** How big the card database is: 80 % of the contacts have a client card and a flat, 20 % are callers without one. */
export interface CardSizes {
  contacts: number;
  tickets: number;
  clients: number;
  callers: number;
  buildings: number;
}

const FLATS_PER_BUILDING = 150;
const SEED_BATCH = 500_000;

export function cardSizes(contacts: number, tickets: number): CardSizes {
  const clients = Math.round(contacts * 0.8);
  return {
    contacts,
    tickets,
    clients,
    callers: contacts - clients,
    buildings: Math.max(1, Math.ceil(clients / FLATS_PER_BUILDING)),
  };
}

// Deterministic ids, so every seeding step can name rows of another without a lookup table.
export const ID = (kind: string, expr: string) => `md5('${kind}' || (${expr})::text)::uuid`;
// A bijection of 0…10⁹-1: contact i (clients first, then callers) has phone +79 and these 9 digits.
export const PHONE_DIGITS = (expr: string) =>
  `'79' || lpad((((${expr})::bigint * 387420489 + 123456789) % 1000000000)::text, 9, '0')`;
async function inBatches(
  label: string,
  total: number,
  run: (from: number, to: number) => Promise<unknown>,
): Promise<void> {
  for (let from = 0; from < total; from += SEED_BATCH) {
    const to = Math.min(total, from + SEED_BATCH) - 1;
    await run(from, to);
    if (total > SEED_BATCH) process.stdout.write(`    ${label}: ${to + 1} / ${total}\r`);
  }
  if (total > SEED_BATCH) process.stdout.write('\n');
}

async function seed(
  db: PgClient,
  org: string,
  { contacts: CONTACTS, tickets: TICKETS, clients: CLIENTS, callers: CALLERS, buildings: BUILDINGS }: CardSizes,
): Promise<void> {
  const categories = defaultClassifierRows(randomUUID);
  await db.query(
    `INSERT INTO ticket_category (organization_id, id, parent_id, name) SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::text[])`,
    [org, categories.map((c) => c.id), categories.map((c) => c.parentId), categories.map((c) => c.name)],
  );
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

async function seedAll(db: PgClient, sizes: CardSizes): Promise<string> {
  const [{ id: org }] = (
    await db.query<{ id: string }>(`INSERT INTO organization (name) VALUES ($1) RETURNING id`, [CARD_ORGANIZATION])
  ).rows;
  const seedStart = performance.now();
  await seed(db, org, sizes);
  await timed('VACUUM (ANALYZE)', () => db.query('VACUUM (ANALYZE)'));
  await timed('CHECKPOINT', () => db.query('CHECKPOINT'));
  console.log(`  seeding total ${seconds(performance.now() - seedStart)}`);
  return org;
}

/** REUSE: the organization an earlier run seeded; its row counts must be the ones asked for now. */
async function seededOrganization(db: PgClient, sizes: CardSizes, database: string): Promise<string> {
  const { rows } = await db.query<{ id: string; tickets: number }>(
    `SELECT o.id, (SELECT count(*)::int FROM ticket t WHERE t.organization_id = o.id) AS tickets FROM organization o WHERE o.name = $1`,
    [CARD_ORGANIZATION],
  );
  if (rows.length !== 1 || rows[0].tickets !== sizes.tickets)
    throw new Error(
      `REUSE=${database}: expected one seeded organization with ${sizes.tickets} tickets, found ${JSON.stringify(rows)}`,
    );
  console.log(`  seeding skipped (REUSE): ${rows[0].tickets.toLocaleString('en')} tickets already there`);
  await timed('ANALYZE', () => db.query('ANALYZE'));
  return rows[0].id;
}

/**
 * Migrates the card database at `url`, then seeds it (or, `reused`, checks an earlier run's seed) over
 * `db` (connected here), prints the sizes of its big tables and returns the organization's id.
 */
export async function prepareCardDatabase(
  db: PgClient,
  url: string,
  sizes: CardSizes,
  reused: string | undefined,
): Promise<string> {
  console.log('\n1. Migrations');
  await timed('runMigrations', () => runMigrations(url));
  console.log('\n2. Seeding');
  await db.connect();
  const org = reused ? await seededOrganization(db, sizes, reused) : await seedAll(db, sizes);
  const { rows } = await db.query(
    `SELECT pg_size_pretty(pg_total_relation_size('ticket')) AS ticket, pg_size_pretty(pg_total_relation_size('client')) AS client,
            pg_size_pretty(pg_total_relation_size('ticket_caller')) AS caller, pg_size_pretty(pg_database_size(current_database())) AS db`,
  );
  console.log(
    `  ticket ${rows[0].ticket}, client ${rows[0].client}, ticket_caller ${rows[0].caller} (with indexes); database ${rows[0].db}`,
  );
  return org;
}

/**
 * `want` contacts drawn uniformly, so four in five are clients and one in five a caller. PostgreSQL's
 * random() is seeded from `seed` (in this session only: parallel workers ignore setseed), so a REUSE
 * run draws the same callers as the run that seeded the database.
 */
export async function sampleContacts(
  db: PgClient,
  org: string,
  sizes: CardSizes,
  want: number,
  seed: number,
  random: () => number,
): Promise<string[]> {
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  await db.query('SET max_parallel_workers_per_gather = 0');
  await db.query('SELECT setseed($1)', [(seed % 1000) / 1000]);
  const callerIds = (
    await db.query<{ id: string }>(
      `SELECT id FROM ticket_caller WHERE organization_id = $1 ORDER BY random(), id LIMIT $2`,
      [org, want],
    )
  ).rows.map((r) => r.id);
  const clientIds = (
    await db.query<{ id: string }>(`SELECT ${ID('c', 'g')} AS id FROM unnest($1::int[]) g`, [
      Array.from({ length: want }, () => between(0, sizes.clients - 1)),
    ])
  ).rows.map((r) => r.id);
  const contacts: string[] = [];
  for (let i = 0; i < want; i++)
    contacts.push(random() < 0.8 || !callerIds.length ? clientIds[i] : callerIds[i % callerIds.length]);
  return contacts;
}

/** The 11 digits of `want` contacts' phones, drawn uniformly: what dispatchers type parts of. */
export async function samplePhoneDigits(
  db: PgClient,
  sizes: CardSizes,
  want: number,
  random: () => number,
): Promise<string[]> {
  const picks = Array.from({ length: want }, () => Math.floor(random() * sizes.contacts));
  return (await db.query<{ d: string }>(`SELECT ${PHONE_DIGITS('g')} AS d FROM unnest($1::int[]) g`, [picks])).rows.map(
    (r) => r.d,
  );
}

export const CARD_QUERY = `query($id: ID!) { contactCard(contactId: $id) {
  contact { id kind fullName phone phones email }
  addresses { role address premises { id number } building { id address } referenceSheet { html updatedAt }
    tickets(first: 10) { edges { node { id number status description createdAt contactName category { name } } } } }
  appStatus { usesApp lastSeenAt }
  paymentAccess { enabled accounts { number } }
} }`;

export const TYPEAHEAD_QUERY = `query($q: String!) { contactsByPhone(query: $q, first: 10) { contact { id kind fullName phone } addresses { address role } } }`;

/**
 * The same card in one hand-written statement: the contact, each place (attached premises and
 * places of their tickets) with its address and reference sheet, the last 10 tickets there with
 * their category, and the payable accounts.
 */
export const CARD_SQL = `
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
