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
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { accountNumberKey } from '../src/accounts/account-number';
import { Actor, AuditChannel } from '../src/kernel/actor';
import { addressKey, searchText } from '../src/buildings/address';
import { ClientType } from '../src/clients/client-enums';
import { nameKey, surnameKey, tagKey } from '../src/clients/client-names';
import { ClientSearch } from '../src/clients/client-search';
import { PhoneDigitsDensity } from '../src/clients/phone-digits-density';
import { appLogger } from '../src/common/logging/json-logger';
import { normalizePhone, phoneDigits } from '../src/common/validation/phone';
import { loadConfig } from '../src/config/config';
import { sqlStatementCounter } from '../src/database/data-source-options';
import { runMigrations } from '../src/database/run-migrations';
import { CrmSpace } from '../src/kernel/crm-space';
import { EmployeesService } from '../src/organizations/employees.service';
import { EmployeeRole } from '../src/kernel/role';
import { premisesNumberKey, premisesNumberSort } from '../src/premises/premises-number';
import { RunningServer, startServer } from '../src/server';
import {
  adminQuery as adminQueryOn,
  closeRun,
  Gql,
  graphqlClient,
  intEnv,
  prng,
  requestsOverHttp,
  seconds,
  stats,
  timed,
  withDatabase,
} from './support';

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = intEnv('CLIENTS', 1_000_000);
const OTHER_CLIENTS = 1_000;
const SAMPLES = intEnv('SAMPLES', 500);
const WARMUP = intEnv('WARMUP', 50);
const SEED = intEnv('SEED', 42);
const KEEP = process.env.KEEP === '1';
const TARGET_P99_MS = 10;
const RELATED_CLIENTS = 100;
const BATCH = 250_000;
const PASSWORD = 'bench-password-123';

// ---------------------------------------------------------------------------------------------
// Names: common Russian surnames (roughly most frequent first), first names and patronymics
// ---------------------------------------------------------------------------------------------

const SURNAMES = `Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев
Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов
Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов
Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов
Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов
Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев
Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов
Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин
Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин
Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин
Митрофанов Воронцов Мухин Шестаков Рыбаков Зуев Мишин Пестов Лаптев Блинов Шубин Логинов Савин Шаров Субботин Бобров
Исаков Лобанов Рябов Гордеев Носков Ершов Шилов Устинов Большаков Калашников Третьяков Шувалов Виноградский Островский
Покровский Вишневский Успенский Дубровский Троицкий Жуковский Шевченко Бондаренко Коваленко Кравченко Ткаченко Лысенко
Черных Седых Толстой Донской Белых Гладких Кох Цой`.split(/\s+/);

const MALE_NAMES =
  `Александр Сергей Дмитрий Андрей Алексей Максим Иван Евгений Михаил Николай Владимир Артём Павел Денис Роман
Олег Игорь Виктор Юрий Антон Константин Никита Кирилл Илья Егор Тимур Вадим Григорий Фёдор Пётр Семён Степан Борис Леонид
Георгий Ярослав Матвей Руслан Валерий Анатолий`.split(/\s+/);

const FEMALE_NAMES =
  `Елена Ольга Наталья Татьяна Ирина Светлана Анна Мария Екатерина Юлия Анастасия Марина Дарья Людмила
Галина Надежда Валентина Виктория Ксения Алёна Полина Софья Вера Любовь Лариса Нина Алина Кристина Евгения Оксана Жанна
Тамара Зоя Раиса Алла Маргарита Варвара Ульяна Лидия Диана`.split(/\s+/);

/** [male, female] patronymic forms. */
const PATRONYMICS: [string, string][] =
  `Александрович/Александровна Сергеевич/Сергеевна Дмитриевич/Дмитриевна Андреевич/Андреевна
Алексеевич/Алексеевна Максимович/Максимовна Иванович/Ивановна Евгеньевич/Евгеньевна Михайлович/Михайловна Николаевич/Николаевна
Владимирович/Владимировна Артёмович/Артёмовна Павлович/Павловна Денисович/Денисовна Романович/Романовна Олегович/Олеговна
Игоревич/Игоревна Викторович/Викторовна Юрьевич/Юрьевна Антонович/Антоновна Константинович/Константиновна Никитич/Никитична
Кириллович/Кирилловна Ильич/Ильинична Егорович/Егоровна Вадимович/Вадимовна Григорьевич/Григорьевна Фёдорович/Фёдоровна
Петрович/Петровна Семёнович/Семёновна Степанович/Степановна Борисович/Борисовна Леонидович/Леонидовна Георгиевич/Георгиевна
Анатольевич/Анатольевна Валерьевич/Валерьевна Геннадьевич/Геннадьевна Васильевич/Васильевна Яковлевич/Яковлевна
Львович/Львовна`
    .split(/\s+/)
    .map((pair) => pair.split('/') as [string, string]);

/** The female form of a surname: Иванов → Иванова, Островский → Островская, Толстой → Толстая, Шевченко stays. */
function femaleSurname(surname: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(surname)) return `${surname}а`;
  if (/(ский|цкий)$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  if (/ой$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  return surname;
}

/** The search key of one name part, folded exactly as `surnameKey` folds the whole name. */
function partKey(part: string): string {
  return surnameKey({ type: ClientType.LEGAL_ENTITY, organizationName: part });
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const random = prng(SEED);
const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

// ---------------------------------------------------------------------------------------------
// 1. Scratch database
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// 2. Seeding
// ---------------------------------------------------------------------------------------------

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
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Measurements
// ---------------------------------------------------------------------------------------------

const SURNAME_QUERY = `query($p: String) { clients(first: 20, filter: { surnamePrefix: $p }) { edges { node { id fullName phone } } } }`;
const PHONE_QUERY = `query($d: String) { clients(first: 20, filter: { phone: $d }) { edges { node { id fullName phone } } } }`;
const RELATIONS_QUERY = `query($first: Int) { clients(first: $first) { edges { node { id fullName tags { name } externalIds { value }
  premises { role premises { id name building { id } accounts { number } } } } } } }`;

/** The same requests from the shared lean HTTP client (bench/support.ts): `name` is the query's one variable. */
function measureOverHttp(
  url: string,
  token: string,
  query: string,
  name: string,
  warmup: string[],
  measured: string[],
): Promise<{ times: number[]; rows: number[] }> {
  const variables = (values: string[]) => values.map((value) => (name ? { [name]: value } : {}));
  return requestsOverHttp(url, token, query, variables(warmup), variables(measured));
}

/** Times `run` for each input after `WARMUP` unmeasured calls; returns the times in ms and the row counts. */
async function measure<T>(
  warmup: T[],
  inputs: T[],
  run: (input: T) => Promise<number>,
): Promise<{ times: number[]; rows: number[] }> {
  for (const input of warmup) await run(input);
  const times: number[] = [];
  const rows: number[] = [];
  for (const input of inputs) {
    const start = performance.now();
    rows.push(await run(input));
    times.push(performance.now() - start);
  }
  return { times, rows };
}

interface Captured {
  query: string;
  parameters: unknown[];
}

/** The SQL statements TypeORM sends while `run` runs, read from the project's own statement logger. */
async function captureSql(run: () => Promise<unknown>): Promise<Captured[]> {
  const captured: Captured[] = [];
  const original = sqlStatementCounter.logQuery;
  sqlStatementCounter.logQuery = function (this: typeof sqlStatementCounter, query: string, parameters?: unknown[]) {
    captured.push({ query, parameters: parameters ?? [] });
    return original.call(this, query);
  };
  try {
    await run();
  } finally {
    sqlStatementCounter.logQuery = original;
  }
  return captured;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  appLogger.setLevel('error');
  const database = `domovoy_bench_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(SERVER_URL, database);
  console.log(
    `Client search benchmark: ${CLIENTS.toLocaleString('en')} clients (+${OTHER_CLIENTS} in another organization), ${SAMPLES} samples after ${WARMUP} warm-up, seed ${SEED}`,
  );
  console.log(`Database ${database} on ${new URL(SERVER_URL).host}${KEEP ? ' (kept: KEEP=1)' : ''}`);

  await adminQueryOn(SERVER_URL, `CREATE DATABASE "${database}"`);
  let server: RunningServer | undefined;
  const db = new PgClient({ connectionString: url, application_name: 'domovoy-bench' });
  try {
    console.log('\n1. Migrations');
    await timed('runMigrations', () => runMigrations(url));

    // ---- 2. seed ----
    console.log('\n2. Seeding');
    await db.connect();
    // random() in parallel workers ignores setseed: keep every random() of this session in one process.
    await db.query('SET max_parallel_workers_per_gather = 0');
    await db.query(`SELECT setseed($1)`, [(SEED % 1000) / 1000]);
    // Organizations the way OrganizationsService.create writes them (a name, the rest defaults); inserting
    // them before the start also keeps the first-start bootstrap from creating a third one.
    const { rows: orgs } = await db.query<{ id: string }>(
      `INSERT INTO organization (name) VALUES ('УК «Бенчмарк»'), ('ТСЖ «Соседи»') RETURNING id`,
    );
    const [orgA, orgB] = orgs.map((o) => o.id);
    const seedStart = performance.now();
    const { ms: clientsMs } = await timed(`clients, organization A (${CLIENTS.toLocaleString('en')})`, () =>
      seedClients(db, orgA, 1, CLIENTS, 123_456_789),
    );
    await timed(`clients, organization B (${OTHER_CLIENTS})`, () =>
      seedClients(db, orgB, CLIENTS + 1, OTHER_CLIENTS, 123_456_789),
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
      `  seeding total ${seconds(seedMs)}; client INSERT ${seconds(clientsMs)} = ${Math.round(CLIENTS / (clientsMs / 1000)).toLocaleString('en')} rows/s` +
        ` (all indexes maintained during the insert); VACUUM ANALYZE ${seconds(vacuumMs)}`,
    );
    console.log(
      `  client heap ${sizes[0].heap}, ix_client_surname ${sizes[0].surname_ix}, ix_client_phone_digits ${sizes[0].phone_ix}, ix_client_phone_quadgrams ${sizes[0].quadgram_ix}, all client indexes ${sizes[0].all_ix}`,
    );
    await checkKeys(db, orgA);

    // Search inputs, drawn from the seeded rows (so their frequencies follow the data).
    const want = SAMPLES + WARMUP;
    const { rows: picked } = await db.query<{ last_name: string; phone_digits: string }>(
      `SELECT last_name, phone_digits FROM client WHERE organization_id = $1 ORDER BY random() LIMIT $2`,
      [orgA, want * 2],
    );
    const prefixes = picked.slice(0, want).map((r) => [...r.last_name].slice(0, between(2, 4)).join(''));
    const phoneParts = picked.slice(want, want * 2).map((r) => {
      const length = between(4, 7);
      const offset = between(0, r.phone_digits.length - length);
      return r.phone_digits.slice(offset, offset + length);
    });

    // ---- 3. the application ----
    console.log('\n3. Application (in-process, HTTP on 127.0.0.1)');
    const config = loadConfig({
      DATABASE_URL: url,
      ROLE: 'all',
      PORT: '0',
      JWT_SECRET: randomBytes(20).toString('hex'),
      LOG_LEVEL: 'error',
      QUEUE_PREFIX: `{domovoy-bench-${randomUUID().slice(0, 8)}}`,
    });
    server = (await timed('startServer', () => startServer(config, url))).result;
    const app = server.app;
    const gql = graphqlClient(server.url!);
    const admin = await app.get(EmployeesService).create(orgA, {
      email: `bench-admin-${randomUUID()}@bench.local`,
      password: PASSWORD,
      fullName: 'Администратор бенчмарка',
      role: EmployeeRole.ADMIN,
    });
    const token: string = (
      await gql(`mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, {
        input: { email: admin.email, password: PASSWORD },
      })
    ).data.login.accessToken;
    const actor: Actor = {
      organizationId: orgA,
      employeeId: admin.id,
      channel: AuditChannel.CRM,
      space: CrmSpace.OPERATION,
    };
    const clients = app.get(ClientSearch);
    // The search plans by a sample of the organization's phone digits, read once in the background.
    await app.get(PhoneDigitsDensity).ready(orgA);
    const dataSource = app.get<DataSource>(getDataSourceToken());

    const split = <T>(all: T[]) => ({ warmup: all.slice(0, WARMUP), measured: all.slice(WARMUP) });
    const p = split(prefixes);
    const d = split(phoneParts);

    console.log(
      `  a/b. searches: ${p.measured.length} prefixes such as ${p.measured
        .slice(0, 6)
        .map((x) => `"${x}"`)
        .join(', ')}; ` +
        `${d.measured.length} phone parts such as ${d.measured
          .slice(0, 6)
          .map((x) => `"${x}"`)
          .join(', ')}`,
    );
    // Two passes over the same inputs. The first meets them cold (pages come from the OS cache into
    // shared_buffers); the measured pass comes after each input was searched once, so the HTTP and the
    // service-level figures find the same pages in memory (before, the service level ran second on
    // pages the HTTP pass had just read, and its figures were the warm ones).
    const firstPrefix = await measureOverHttp(server.url!, token, SURNAME_QUERY, 'p', p.warmup, p.measured);
    const firstPhone = await measureOverHttp(server.url!, token, PHONE_QUERY, 'd', d.warmup, d.measured);
    // The same round trip with no search in it: what the framework, auth and loopback cost on this machine.
    const httpBaseline = await measureOverHttp(server.url!, token, '{ __typename }', '', p.warmup, p.measured);
    const httpPrefix = await measureOverHttp(server.url!, token, SURNAME_QUERY, 'p', [], p.measured);
    const httpPhone = await measureOverHttp(server.url!, token, PHONE_QUERY, 'd', [], d.measured);
    const sqlPrefix = await measure(
      p.warmup,
      p.measured,
      async (prefix) => (await clients.list(actor, { surnamePrefix: prefix }, { first: 20 }, false)).edges.length,
    );
    const sqlPhone = await measure(
      d.warmup,
      d.measured,
      async (digits) => (await clients.list(actor, { phone: digits }, { first: 20 }, false)).edges.length,
    );

    const lines: [string, string, { times: number[]; rows: number[] }][] = [
      ['surname prefix', 'HTTP, first pass', firstPrefix],
      ['partial phone', 'HTTP, first pass', firstPhone],
      ['no search (baseline)', 'HTTP (2nd process)', httpBaseline],
      ['surname prefix', 'HTTP (2nd process)', httpPrefix],
      ['surname prefix', 'SQL (service)', sqlPrefix],
      ['partial phone', 'HTTP (2nd process)', httpPhone],
      ['partial phone', 'SQL (service)', sqlPhone],
    ];
    console.log(`\n  ${CLIENTS.toLocaleString('en')} clients, first: 20, ms (sequential, one client)`);
    const header = ['search', 'level', 'n', 'empty', 'p50', 'p95', 'p99', 'max', `p99 ≤ ${TARGET_P99_MS} ms`];
    const widths = [20, 18, 5, 6, 8, 8, 8, 8, 12];
    const row = (cells: string[]) =>
      '  ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
    console.log(row(header));
    console.log('  ' + '-'.repeat(widths.reduce((a, b) => a + b + 1, -1)));
    for (const [search, level, result] of lines) {
      const s = stats(result.times);
      const empty = result.rows.filter((n) => n === 0).length;
      console.log(
        row([
          search,
          level,
          String(s.n),
          String(empty),
          s.p50.toFixed(2),
          s.p95.toFixed(2),
          s.p99.toFixed(2),
          s.max.toFixed(2),
          result === httpBaseline
            ? '—'
            : `${s.p99 <= TARGET_P99_MS ? 'PASS' : 'FAIL'}${result === firstPrefix || result === firstPhone ? ' (cold)' : ''}`,
        ]),
      );
    }

    // Slowest phone parts at SQL level, by the length of the typed part.
    const byLength = new Map<number, number[]>();
    d.measured.forEach((digits, i) =>
      byLength.set(digits.length, [...(byLength.get(digits.length) ?? []), sqlPhone.times[i]]),
    );
    console.log('\n  partial phone, SQL level, by number of digits typed:');
    for (const [length, times] of [...byLength.entries()].sort((a, b) => a[0] - b[0])) {
      const s = stats(times);
      console.log(
        `    ${length} digits: n=${String(s.n).padStart(3)}  p50 ${s.p50.toFixed(2).padStart(7)}  p95 ${s.p95.toFixed(2).padStart(7)}  p99 ${s.p99.toFixed(2).padStart(7)}  max ${s.max.toFixed(2).padStart(7)}`,
      );
    }
    const slowestPhones = d.measured
      .map((digits, i) => ({ digits, ms: sqlPhone.times[i] }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 8);
    console.log(
      `  slowest phone parts (SQL level): ${slowestPhones.map((x) => `"${x.digits}" ${x.ms.toFixed(1)} ms`).join(', ')}`,
    );
    // Which plan each phone search got: a quadgram or trigram bitmap + sort, or a walk of ix_client_surname
    // in list order. The statement's shape depends on the digits, so each search's own is explained.
    const byPlan = new Map<string, number[]>();
    for (const [i, digits] of d.measured.entries()) {
      const [phoneSql] = (await captureSql(() => clients.list(actor, { phone: digits }, { first: 20 }, false))).filter(
        (c) => /^\s*SELECT/i.test(c.query),
      );
      const [{ 'QUERY PLAN': plan }] = await dataSource.query(
        `EXPLAIN (FORMAT JSON) ${phoneSql.query}`,
        phoneSql.parameters,
      );
      const text = JSON.stringify(plan);
      const kind = text.includes('ix_client_phone_quadgrams')
        ? 'bitmap on ix_client_phone_quadgrams + sort'
        : text.includes('ix_client_phone_digits')
          ? 'bitmap on ix_client_phone_digits + sort'
          : text.includes('ix_client_surname')
            ? 'walk of ix_client_surname + filter'
            : 'other';
      byPlan.set(kind, [...(byPlan.get(kind) ?? []), sqlPhone.times[i]]);
    }
    console.log('  partial phone, SQL level, by the plan PostgreSQL chose:');
    for (const [kind, times] of byPlan) {
      const s = stats(times);
      console.log(
        `    ${kind.padEnd(44)} n=${String(s.n).padStart(3)}  p50 ${s.p50.toFixed(2).padStart(7)}  p95 ${s.p95.toFixed(2).padStart(7)}  p99 ${s.p99.toFixed(2).padStart(7)}  max ${s.max.toFixed(2).padStart(7)}`,
      );
    }
    const slowestPrefixes = p.measured
      .map((prefix, i) => ({ prefix, ms: sqlPrefix.times[i] }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5);
    console.log(
      `  slowest prefixes (SQL level): ${slowestPrefixes.map((x) => `"${x.prefix}" ${x.ms.toFixed(1)} ms`).join(', ')}`,
    );

    // ---- 3c. statement counts ----
    console.log(
      '\n  c. SQL statements for one HTTP request of a client page with tags, identifiers, premises, buildings and accounts:',
    );
    await gql(RELATIONS_QUERY, { first: 100 }, token); // warm-up
    for (const first of [10, 100]) {
      let result: Gql | undefined;
      const captured = await captureSql(async () => (result = await gql(RELATIONS_QUERY, { first }, token)));
      const nodes: any[] = result!.data.clients.edges.map((e: any) => e.node);
      const filled = (pick: (n: any) => unknown[]) => nodes.filter((n) => pick(n).length > 0).length;
      console.log(
        `    first: ${String(first).padStart(3)} → ${captured.length} statements ` +
          `(${nodes.length} clients; with tags ${filled((n) => n.tags)}, externalIds ${filled((n) => n.externalIds)}, ` +
          `premises ${filled((n) => n.premises)}, accounts ${filled((n) => n.premises.flatMap((o: any) => o.premises.accounts))})`,
      );
      for (const statement of captured) console.log(`      - ${statement.query.replace(/\s+/g, ' ').slice(0, 150)}`);
    }

    // ---- 4. plans ----
    console.log('\n4. Plans of the SQL ClientSearch.list sends (EXPLAIN (ANALYZE, BUFFERS))');
    const explain = async (title: string, filter: { surnamePrefix?: string; phone?: string }) => {
      const captured = await captureSql(() => clients.list(actor, filter, { first: 20 }, false));
      const select = captured.find((c) => /^\s*SELECT/i.test(c.query))!;
      const plan = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${select.query}`, select.parameters);
      console.log(`\n  --- ${title} ---`);
      console.log(`  ${select.query.replace(/\s+/g, ' ').replace(/SELECT .* FROM/, 'SELECT … FROM')}`);
      console.log(`  parameters: ${JSON.stringify(select.parameters)}`);
      for (const line of plan) console.log(`  ${line['QUERY PLAN']}`);
    };
    const typicalPrefix = p.measured.find((x) => [...x].length === 3) ?? p.measured[0];
    const typicalPhone = d.measured.find((x) => x.length === 4 && !x.startsWith('79')) ?? d.measured[0];
    await explain(`surname prefix "${typicalPrefix}"`, { surnamePrefix: typicalPrefix });
    await explain(`partial phone "${typicalPhone}" (4 digits)`, { phone: typicalPhone });
    const longPhone = d.measured.find((x) => x.length === 7 && !x.startsWith('79'));
    if (longPhone) await explain(`partial phone "${longPhone}" (7 digits)`, { phone: longPhone });
    for (const slow of slowestPhones.slice(0, 3)) {
      await explain(`slow partial phone "${slow.digits}" (${slow.ms.toFixed(1)} ms during the run)`, {
        phone: slow.digits,
      });
    }
  } finally {
    // ---- 5. clean up ----
    console.log('\n5. Closing');
    await closeRun({ server, db, serverUrl: SERVER_URL, database, url, keep: KEEP });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
