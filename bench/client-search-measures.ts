/*
 * What the client search benchmark (bench/clients.ts) times: surname-prefix and partial-phone
 * searches over HTTP from a second process and at the service level, each after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { ClientSearch } from '../src/clients/client-search';
import { Actor } from '../src/kernel/actor';
import { graphqlClient, requestsOverHttp } from './graphql-over-http';

const SURNAME_QUERY = `query($p: String) { clients(first: 20, filter: { surnamePrefix: $p }) { edges { node { id fullName phone } } } }`;
const PHONE_QUERY = `query($d: String) { clients(first: 20, filter: { phone: $d }) { edges { node { id fullName phone } } } }`;

/** The running application as the searches reach it: over HTTP with a token, and its ClientSearch in process. */
export interface ClientSearchApp {
  url: string;
  token: string;
  gql: ReturnType<typeof graphqlClient>;
  clients: ClientSearch;
  actor: Actor;
  dataSource: DataSource;
}

export interface SearchInputs {
  warmup: string[];
  measured: string[];
}

/** Each measured request's time in ms and the rows it answered. */
export interface SearchFigures {
  times: number[];
  rows: number[];
}

export interface SearchRuns {
  firstPrefix: SearchFigures;
  firstPhone: SearchFigures;
  httpBaseline: SearchFigures;
  httpPrefix: SearchFigures;
  httpPhone: SearchFigures;
  sqlPrefix: SearchFigures;
  sqlPhone: SearchFigures;
}

export type SearchFilter = { surnamePrefix?: string; phone?: string };

/** The first page of 20 the service lists for `filter`, as the resolver asks for it. */
export function listPage(app: ClientSearchApp, filter: SearchFilter) {
  return app.clients.list(app.actor, filter, { first: 20 }, false);
}

/** The same requests from the shared lean HTTP client (bench/graphql-over-http.ts): `name` is the query's one variable. */
function measureOverHttp(
  app: ClientSearchApp,
  query: string,
  name: string,
  warmup: string[],
  measured: string[],
): Promise<SearchFigures> {
  const variables = (values: string[]) => values.map((value) => (name ? { [name]: value } : {}));
  return requestsOverHttp(app.url, app.token, query, variables(warmup), variables(measured));
}

/** Times `run` for each input after the unmeasured `warmup` calls; returns the times in ms and the row counts. */
async function measure<T>(warmup: T[], inputs: T[], run: (input: T) => Promise<number>): Promise<SearchFigures> {
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

const quoted = (inputs: string[]) =>
  inputs
    .slice(0, 6)
    .map((x) => `"${x}"`)
    .join(', ');

/** Surname prefixes `p` and phone parts `d`: a cold HTTP pass, then HTTP and the service level on warm pages. */
export async function measureSearches(app: ClientSearchApp, p: SearchInputs, d: SearchInputs): Promise<SearchRuns> {
  console.log(
    `  a/b. searches: ${p.measured.length} prefixes such as ${quoted(p.measured)}; ` +
      `${d.measured.length} phone parts such as ${quoted(d.measured)}`,
  );
  // Two passes over the same inputs. The first meets them cold (pages come from the OS cache into
  // shared_buffers); the measured pass comes after each input was searched once, so the HTTP and the
  // service-level figures find the same pages in memory (before, the service level ran second on
  // pages the HTTP pass had just read, and its figures were the warm ones).
  const firstPrefix = await measureOverHttp(app, SURNAME_QUERY, 'p', p.warmup, p.measured);
  const firstPhone = await measureOverHttp(app, PHONE_QUERY, 'd', d.warmup, d.measured);
  // The same round trip with no search in it: what the framework, auth and loopback cost on this machine.
  const httpBaseline = await measureOverHttp(app, '{ __typename }', '', p.warmup, p.measured);
  const httpPrefix = await measureOverHttp(app, SURNAME_QUERY, 'p', [], p.measured);
  const httpPhone = await measureOverHttp(app, PHONE_QUERY, 'd', [], d.measured);
  const sqlPrefix = await measure(
    p.warmup,
    p.measured,
    async (prefix) => (await listPage(app, { surnamePrefix: prefix })).edges.length,
  );
  const sqlPhone = await measure(
    d.warmup,
    d.measured,
    async (digits) => (await listPage(app, { phone: digits })).edges.length,
  );
  return { firstPrefix, firstPhone, httpBaseline, httpPrefix, httpPhone, sqlPrefix, sqlPhone };
}

/** The `count` inputs that took longest, slowest first, with their time in ms. */
export function slowestInputs(inputs: string[], times: number[], count: number): { input: string; ms: number }[] {
  return inputs
    .map((input, i) => ({ input, ms: times[i] }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}
