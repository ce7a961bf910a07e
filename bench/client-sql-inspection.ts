/*
 * The SQL behind the client search benchmark's figures (bench/clients.ts): the statements a request
 * sends, read from the project's own statement logger, and the plans PostgreSQL chooses for them.
 */
import { sqlStatementCounter } from '../src/database/data-source-options';
import { Gql } from './graphql-over-http';
import { ClientSearchApp, listPage, SearchFilter } from './client-search-measures';

const RELATIONS_QUERY = `query($first: Int) { clients(first: $first) { edges { node { id fullName tags { name } externalIds { value }
  premises { role premises { id name building { id } accounts { number } } } } } } }`;

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

/** The SELECT the service sends for the first page of `filter`. */
async function pageSelect(app: ClientSearchApp, filter: SearchFilter): Promise<Captured> {
  const captured = await captureSql(() => listPage(app, filter));
  return captured.find((c) => /^\s*SELECT/i.test(c.query))!;
}

/**
 * Which plan a phone search got: a quadgram or trigram bitmap + sort, or a walk of ix_client_surname
 * in list order. The statement's shape depends on the digits, so each search's own is explained.
 */
export async function phonePlanKind(app: ClientSearchApp, digits: string): Promise<string> {
  const phoneSql = await pageSelect(app, { phone: digits });
  const [{ 'QUERY PLAN': plan }] = await app.dataSource.query(
    `EXPLAIN (FORMAT JSON) ${phoneSql.query}`,
    phoneSql.parameters,
  );
  const text = JSON.stringify(plan);
  return text.includes('ix_client_phone_quadgrams')
    ? 'bitmap on ix_client_phone_quadgrams + sort'
    : text.includes('ix_client_phone_digits')
      ? 'bitmap on ix_client_phone_digits + sort'
      : text.includes('ix_client_surname')
        ? 'walk of ix_client_surname + filter'
        : 'other';
}

/** c. The statements of one HTTP request of a client page with every relation, for 10 and 100 clients. */
export async function printRelationStatementCounts(app: ClientSearchApp): Promise<void> {
  console.log(
    '\n  c. SQL statements for one HTTP request of a client page with tags, identifiers, premises, buildings and accounts:',
  );
  await app.gql(RELATIONS_QUERY, { first: 100 }, app.token); // warm-up
  for (const first of [10, 100]) {
    let result: Gql | undefined;
    const captured = await captureSql(async () => (result = await app.gql(RELATIONS_QUERY, { first }, app.token)));
    const nodes: any[] = result!.data.clients.edges.map((e: any) => e.node);
    const filled = (pick: (n: any) => unknown[]) => nodes.filter((n) => pick(n).length > 0).length;
    console.log(
      `    first: ${String(first).padStart(3)} → ${captured.length} statements ` +
        `(${nodes.length} clients; with tags ${filled((n) => n.tags)}, externalIds ${filled((n) => n.externalIds)}, ` +
        `premises ${filled((n) => n.premises)}, accounts ${filled((n) => n.premises.flatMap((o: any) => o.premises.accounts))})`,
    );
    for (const statement of captured) console.log(`      - ${statement.query.replace(/\s+/g, ' ').slice(0, 150)}`);
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of the SELECT the service sends for `filter`, printed under `title`. */
async function printPlan(app: ClientSearchApp, title: string, filter: SearchFilter): Promise<void> {
  const select = await pageSelect(app, filter);
  const plan = await app.dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${select.query}`, select.parameters);
  console.log(`\n  --- ${title} ---`);
  console.log(`  ${select.query.replace(/\s+/g, ' ').replace(/SELECT .* FROM/, 'SELECT … FROM')}`);
  console.log(`  parameters: ${JSON.stringify(select.parameters)}`);
  for (const line of plan) console.log(`  ${line['QUERY PLAN']}`);
}

/** 4. The plans of a typical prefix, a 4- and a 7-digit phone part, and the three slowest phone parts of the run. */
export async function printTypicalPlans(
  app: ClientSearchApp,
  prefixes: string[],
  phoneParts: string[],
  slowestPhones: { input: string; ms: number }[],
): Promise<void> {
  console.log('\n4. Plans of the SQL ClientSearch.list sends (EXPLAIN (ANALYZE, BUFFERS))');
  const typicalPrefix = prefixes.find((x) => [...x].length === 3) ?? prefixes[0];
  const typicalPhone = phoneParts.find((x) => x.length === 4 && !x.startsWith('79')) ?? phoneParts[0];
  await printPlan(app, `surname prefix "${typicalPrefix}"`, { surnamePrefix: typicalPrefix });
  await printPlan(app, `partial phone "${typicalPhone}" (4 digits)`, { phone: typicalPhone });
  const longPhone = phoneParts.find((x) => x.length === 7 && !x.startsWith('79'));
  if (longPhone) await printPlan(app, `partial phone "${longPhone}" (7 digits)`, { phone: longPhone });
  for (const slow of slowestPhones.slice(0, 3)) {
    await printPlan(app, `slow partial phone "${slow.input}" (${slow.ms.toFixed(1)} ms during the run)`, {
      phone: slow.input,
    });
  }
}
