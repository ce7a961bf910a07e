/*
 * The contact-card database: one organization with CONTACTS contacts and TICKETS tickets, seeded in
 * SQL (bench/contact-card.ts measures the card on it, bench/load.ts a dispatcher's traffic), and the
 * samples both draw from it.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { runMigrations } from '../src/database/run-migrations';
import { defaultClassifierRows } from '../src/tickets/default-classifier';
import { seconds, timed } from './support';

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

/** The default classifier of ticket categories; returns the leaves, which tickets are filed under. */
async function seedClassifier(db: PgClient, org: string): Promise<string[]> {
  const categories = defaultClassifierRows(randomUUID);
  await db.query(
    `INSERT INTO ticket_category (organization_id, id, parent_id, name) SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::text[])`,
    [org, categories.map((c) => c.id), categories.map((c) => c.parentId), categories.map((c) => c.name)],
  );
  const parents = new Set(categories.map((c) => c.parentId));
  return categories.filter((c) => !parents.has(c.id)).map((c) => c.id);
}

/** BUILDINGS buildings and a flat for each client. */
async function seedFlats(
  db: PgClient,
  org: string,
  { clients: CLIENTS, buildings: BUILDINGS }: CardSizes,
): Promise<void> {
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
}

/** The client cards, each the owner of its flat, half with a payable account. */
async function seedClients(db: PgClient, org: string, { clients: CLIENTS }: CardSizes): Promise<void> {
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
}

/** The callers without a card and the tickets of every contact. */
async function seedCallersAndTickets(
  db: PgClient,
  org: string,
  leaves: string[],
  { contacts: CONTACTS, tickets: TICKETS, clients: CLIENTS, callers: CALLERS, buildings: BUILDINGS }: CardSizes,
): Promise<void> {
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

async function seed(db: PgClient, org: string, sizes: CardSizes): Promise<void> {
  const leaves = await seedClassifier(db, org);
  await seedFlats(db, org, sizes);
  await seedClients(db, org, sizes);
  await seedCallersAndTickets(db, org, leaves, sizes);
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
