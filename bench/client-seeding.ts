/*
 * The client search benchmark's database (bench/clients.ts): clients of two organizations seeded in
 * set-based SQL with the service's own search keys, and a page of clients with every relation.
 */
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { accountNumberKey } from '../src/accounts/account-number';
import { addressKey, searchText } from '../src/buildings/address';
import { ClientType } from '../src/clients/client-enums';
import { nameKey, surnameKey, tagKey } from '../src/clients/client-names';
import { normalizePhone, phoneDigits } from '../src/common/validation/phone';
import { premisesNumberKey, premisesNumberSort } from '../src/premises/premises-number';
import { FEMALE_NAMES, femaleSurname, MALE_NAMES, partKey, PATRONYMICS, SURNAMES } from './client-seed-names';
import { seconds, timed } from './support';

/** Clients of the first page (surname order) that get premises, a building, an account, tags and an identifier. */
const RELATED_CLIENTS = 100;
const BATCH = 250_000;

/**
 * Clients of one organization in one set-based statement per batch. Surnames are skewed towards the
 * head of the list (random()² — Иванов is far more common than Цой), about half are women (female
 * surname and patronymic forms), 3% have no patronymic. Phones are +79 and a 9-digit permutation of
 * the row number, hence unique; `phone_digits`, `surname_key` and `name_key` follow the service's rules.
 */
async function seedClients(
  db: PgClient,
  organizationId: string,
  from: number,
  count: number,
  phoneOffset: number,
): Promise<void> {
  const maleKeys = SURNAMES.map(partKey);
  const femaleSurnames = SURNAMES.map(femaleSurname);
  const femaleKeys = femaleSurnames.map(partKey);
  for (let start = from; start < from + count; start += BATCH) {
    const end = Math.min(from + count, start + BATCH) - 1;
    await db.query(
      `INSERT INTO client (organization_id, status, type, last_name, first_name, middle_name, gender, phone, phone_digits, surname_key, name_key)
       SELECT $1, 'ACTIVE', 'INDIVIDUAL', ln, fn, mn, CASE WHEN male THEN 'MALE' ELSE 'FEMALE' END, '+' || digits, digits, key, key
         FROM (
           SELECT male,
                  CASE WHEN male THEN ($2::text[])[si] ELSE ($4::text[])[si] END AS ln,
                  CASE WHEN male THEN ($6::text[])[fi] ELSE ($8::text[])[fi] END AS fn,
                  CASE WHEN NOT has_mn THEN NULL WHEN male THEN ($10::text[])[pi] ELSE ($12::text[])[pi] END AS mn,
                  CASE WHEN male THEN ($3::text[])[si] ELSE ($5::text[])[si] END
                    || ' ' || CASE WHEN male THEN ($7::text[])[fi] ELSE ($9::text[])[fi] END
                    || CASE WHEN NOT has_mn THEN '' WHEN male THEN ' ' || ($11::text[])[pi] ELSE ' ' || ($13::text[])[pi] END AS key,
                  '79' || lpad(((g::bigint * 387420489 + $14::bigint) % 1000000000)::text, 9, '0') AS digits
             FROM (
               SELECT g,
                      random() < 0.5 AS male,
                      random() >= 0.03 AS has_mn,
                      1 + floor(cardinality($2::text[]) * power(random(), 2))::int AS si,
                      1 + floor(cardinality($6::text[]) * random())::int AS fi,
                      1 + floor(cardinality($10::text[]) * random())::int AS pi
                 FROM generate_series($15::int, $16::int) g
             ) r
         ) x`,
      [
        organizationId,
        SURNAMES,
        maleKeys,
        femaleSurnames,
        femaleKeys,
        MALE_NAMES,
        MALE_NAMES.map(partKey),
        FEMALE_NAMES,
        FEMALE_NAMES.map(partKey),
        PATRONYMICS.map((p) => p[0]),
        PATRONYMICS.map((p) => partKey(p[0])),
        PATRONYMICS.map((p) => p[1]),
        PATRONYMICS.map((p) => partKey(p[1])),
        phoneOffset,
        start,
        end,
      ],
    );
    if (count > BATCH) process.stdout.write(`    ${end - from + 1} / ${count}\r`);
  }
  if (count > BATCH) process.stdout.write('\n');
}

/** Compares a sample of the seeded rows with the service's own key functions. */
async function checkKeys(db: PgClient, organizationId: string): Promise<void> {
  const { rows } = await db.query(
    `SELECT last_name, first_name, middle_name, phone, phone_digits, surname_key, name_key FROM client
      WHERE organization_id = $1 ORDER BY random() LIMIT 2000`,
    [organizationId],
  );
  let bad = 0;
  for (const row of rows) {
    const parts = {
      type: ClientType.INDIVIDUAL,
      lastName: row.last_name,
      firstName: row.first_name,
      middleName: row.middle_name,
    };
    const ok =
      row.surname_key === surnameKey(parts) &&
      row.name_key === nameKey(parts) &&
      row.phone_digits === phoneDigits(row.phone) &&
      normalizePhone(row.phone) === row.phone;
    if (!ok && bad++ < 3) console.log('  key mismatch:', row);
  }
  console.log(`  key check against client-names.ts / phone.ts: ${rows.length - bad}/${rows.length} sampled rows match`);
  if (bad) throw new Error('seeded keys differ from the service rules');
}

/**
 * Premises, building, account, tags and an external identifier for the first clients of the list
 * (surname order), so a page of clients with all relations reads non-empty relations.
 */
async function seedRelations(db: PgClient, organizationId: string): Promise<void> {
  const { rows: clients } = await db.query<{ id: string }>(
    `SELECT id FROM client WHERE organization_id = $1 ORDER BY surname_key, id LIMIT $2`,
    [organizationId, RELATED_CLIENTS],
  );
  const streets = [
    'ул. Ленина',
    'ул. Садовая',
    'пр-т Мира',
    'ул. Гагарина',
    'ул. Школьная',
    'Лесная ул.',
    'ул. Советская',
    'наб. Речная',
    'ул. Молодёжная',
    'пер. Почтовый',
  ];
  const buildings = streets.map((street, i) => ({ city: 'Москва', street, house: String(i + 1) }));
  await db.query('BEGIN');
  try {
    const clientIds = await seedFlats(db, organizationId, clients, buildings);
    await seedTagsAndExternalIds(db, organizationId, clientIds);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/** A flat in one of ten buildings for each of `clients`, owned by the client, with an account each. */
async function seedFlats(
  db: PgClient,
  organizationId: string,
  clients: { id: string }[],
  buildings: { city: string; street: string; house: string }[],
): Promise<string[]> {
  const { rows: buildingRows } = await db.query<{ id: string }>(
    `INSERT INTO building (organization_id, city, street, house, address_key, search_text, entrances)
     SELECT $1, city, street, house, key, text, '[]'::jsonb FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS b(city, street, house, key, text, n)
      ORDER BY n RETURNING id`,
    [
      organizationId,
      buildings.map((b) => b.city),
      buildings.map((b) => b.street),
      buildings.map((b) => b.house),
      buildings.map(addressKey),
      buildings.map(searchText),
    ],
  );
  const numbers = clients.map((_, i) => String(i + 1));
  const { rows: premisesRows } = await db.query<{ id: string }>(
    `INSERT INTO premises (organization_id, building_id, type, number, number_key, number_sort, area)
     SELECT $1, building_id, 'FLAT', number, number_key, number_sort, 54.3 FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS p(building_id, number, number_key, number_sort, n)
      ORDER BY n RETURNING id`,
    [
      organizationId,
      clients.map((_, i) => buildingRows[i % buildingRows.length].id),
      numbers,
      numbers.map(premisesNumberKey),
      numbers.map(premisesNumberSort),
    ],
  );
  const clientIds = clients.map((c) => c.id);
  const premisesIds = premisesRows.map((p) => p.id);
  await db.query(
    `INSERT INTO occupancy (organization_id, premises_id, client_id, role, source)
     SELECT $1, premises_id, client_id, 'OWNER', 'MANUAL' FROM unnest($2::uuid[], $3::uuid[]) AS o(premises_id, client_id)`,
    [organizationId, premisesIds, clientIds],
  );
  const accountNumbers = clients.map((_, i) => `77 000 ${String(i + 1).padStart(4, '0')}`);
  await db.query(
    `INSERT INTO account (organization_id, number, number_key, premises_id, owner_client_id, opened_on)
     SELECT $1, number, number_key, premises_id, client_id, DATE '2020-01-01' FROM unnest($2::text[], $3::text[], $4::uuid[], $5::uuid[]) AS a(number, number_key, premises_id, client_id)`,
    [organizationId, accountNumbers, accountNumbers.map(accountNumberKey), premisesIds, clientIds],
  );
  return clientIds;
}

/** Tags (one or two each) and a 1С identifier for each of `clientIds`. */
async function seedTagsAndExternalIds(db: PgClient, organizationId: string, clientIds: string[]): Promise<void> {
  const tagNames = ['VIP', 'Должник', 'Совет дома'];
  const { rows: tagRows } = await db.query<{ id: string }>(
    `INSERT INTO tag (organization_id, name, name_key) SELECT $1, name, key FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(name, key, n) ORDER BY n RETURNING id`,
    [organizationId, tagNames, tagNames.map(tagKey)],
  );
  const tagClient: string[] = [];
  const tagTag: string[] = [];
  clientIds.forEach((id, i) => {
    tagClient.push(id);
    tagTag.push(tagRows[i % 3].id);
    if (i % 2 === 0) {
      tagClient.push(id);
      tagTag.push(tagRows[(i + 1) % 3].id);
    }
  });
  await db.query(
    `INSERT INTO client_tag (organization_id, client_id, tag_id) SELECT $1, c, t FROM unnest($2::uuid[], $3::uuid[]) AS x(c, t)`,
    [organizationId, tagClient, tagTag],
  );
  await db.query(
    `INSERT INTO external_id (organization_id, entity_type, entity_id, space, system, value)
     SELECT $1, 'CLIENT', id, 'OPERATION', '1С', '1C-' || lpad(n::text, 6, '0') FROM unnest($2::uuid[]) WITH ORDINALITY AS e(id, n)`,
    [organizationId, clientIds],
  );
}

/**
 * Seeds organization A with `clients` clients (relations for the first of them) and organization B
 * with `otherClients`, then vacuums, checkpoints, prints the table's sizes and checks the keys;
 * returns organization A's id. `db` is connected.
 */
export async function seedSearchDatabase(
  db: PgClient,
  { clients, otherClients, seed }: { clients: number; otherClients: number; seed: number },
): Promise<string> {
  // random() in parallel workers ignores setseed: keep every random() of this session in one process.
  await db.query('SET max_parallel_workers_per_gather = 0');
  await db.query(`SELECT setseed($1)`, [(seed % 1000) / 1000]);
  // Organizations the way OrganizationsService.create writes them (a name, the rest defaults); inserting
  // them before the start also keeps the first-start bootstrap from creating a third one.
  const { rows: orgs } = await db.query<{ id: string }>(
    `INSERT INTO organization (name) VALUES ('УК «Бенчмарк»'), ('ТСЖ «Соседи»') RETURNING id`,
  );
  const [orgA, orgB] = orgs.map((o) => o.id);
  const seedStart = performance.now();
  const { ms: clientsMs } = await timed(`clients, organization A (${clients.toLocaleString('en')})`, () =>
    seedClients(db, orgA, 1, clients, 123_456_789),
  );
  await timed(`clients, organization B (${otherClients})`, () =>
    seedClients(db, orgB, clients + 1, otherClients, 123_456_789),
  );
  await timed(`premises, accounts, tags, identifiers for the first ${RELATED_CLIENTS} clients`, () =>
    seedRelations(db, orgA),
  );
  const { ms: vacuumMs } = await timed('VACUUM (ANALYZE)', () => db.query('VACUUM (ANALYZE)'));
  // Flush the bulk load's dirty pages now, so the timings below do not share the disk with a checkpoint.
  await timed('CHECKPOINT', () => db.query('CHECKPOINT'));
  const seedMs = performance.now() - seedStart;
  const { rows: sizes } = await db.query(
    `SELECT pg_size_pretty(pg_table_size('client')) AS heap,
            pg_size_pretty(pg_relation_size('ix_client_surname')) AS surname_ix,
            pg_size_pretty(pg_relation_size('ix_client_phone_digits')) AS phone_ix,
            pg_size_pretty(pg_relation_size('ix_client_phone_quadgrams')) AS quadgram_ix,
            pg_size_pretty(pg_indexes_size('client')) AS all_ix`,
  );
  console.log(
    `  seeding total ${seconds(seedMs)}; client INSERT ${seconds(clientsMs)} = ${Math.round(clients / (clientsMs / 1000)).toLocaleString('en')} rows/s` +
      ` (all indexes maintained during the insert); VACUUM ANALYZE ${seconds(vacuumMs)}`,
  );
  console.log(
    `  client heap ${sizes[0].heap}, ix_client_surname ${sizes[0].surname_ix}, ix_client_phone_digits ${sizes[0].phone_ix}, ix_client_phone_quadgrams ${sizes[0].quadgram_ix}, all client indexes ${sizes[0].all_ix}`,
  );
  await checkKeys(db, orgA);
  return orgA;
}
