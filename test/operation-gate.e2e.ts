import { GraphQLSchemaHost } from '@nestjs/graphql';
import { execute, parse } from 'graphql';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  createOrganization,
  errorCode,
  GraphqlResult,
  startTestApp,
  TestApp,
  TestOrganization,
} from './support/test-app';
import { Subscription, withTimeout, wsClient } from './support/ws-subscription';

/** Small limits, so each can be crossed by a subscription (one root field) as well as by a query. */
const LIMITS = {
  GRAPHQL_MAX_DEPTH: '4',
  GRAPHQL_MAX_COMPLEXITY: '60',
  GRAPHQL_MAX_ALIASES: '1',
  GRAPHQL_MAX_STRING_LENGTH: '200',
  GRAPHQL_MAX_BODY_BYTES: '20000',
};

/** One selection asked once as a query (HTTP) and once as a subscription (graphql-ws): the same depth, aliases and cost. */
function both(selection: string, id = randomUUID()): { http: string; ws: string } {
  return {
    http: `query { importJob(id: "${id}") ${selection} }`,
    ws: `subscription { importJobProgress(id: "${id}") ${selection} }`,
  };
}

describe('one gate for HTTP and graphql-ws', () => {
  let app: TestApp;
  let org: TestOrganization;

  beforeAll(async () => {
    app = await startTestApp(LIMITS);
    org = await createOrganization(app);
  });
  afterAll(() => app?.close());

  async function overHttp(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<{ status: number; body: GraphqlResult }> {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.adminToken}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphqlResult };
  }

  async function overWs(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResult> {
    const client = wsClient(app.url, { authorization: `Bearer ${org.adminToken}` });
    const subscription = new Subscription(client, query, variables);
    try {
      return await subscription
        .next('the refusal')
        .catch((error: unknown) => ({ errors: error as GraphqlResult['errors'] }));
    } finally {
      await subscription.stop();
      await client.dispose();
    }
  }

  /** The same refusal on both transports: code, Russian message, English twin, fields; HTTP answers it with 400. */
  async function expectSameRefusal(
    pair: { http: string; ws: string },
    code: string,
    variables: Record<string, unknown> = {},
  ) {
    const http = await overHttp(pair.http, variables);
    const ws = await overWs(pair.ws, variables);
    expect(http.status).toBe(400);
    expect(errorCode(http.body)).toBe(code);
    const strip = (error: NonNullable<GraphqlResult['errors']>[number]) => ({
      message: error.message,
      extensions: error.extensions,
    });
    expect(ws.errors?.map(strip)).toEqual(http.body.errors?.map(strip));
  }

  it('refuses an over-deep operation identically', async () => {
    await expectSameRefusal(both('{ errors(first: 1) { edges { node { row } } } }'), 'QUERY_TOO_COMPLEX');
  });

  it('refuses an over-expensive operation identically (page sizes multiply)', async () => {
    await expectSameRefusal(both('{ errors(first: 100) { totalCount } }'), 'QUERY_TOO_COMPLEX');
  });

  it('refuses too many aliased fields identically', async () => {
    await expectSameRefusal(
      both('{ a: errors(first: 1) { totalCount } b: errors(first: 1) { totalCount } }'),
      'QUERY_TOO_COMPLEX',
    );
  });

  it('refuses NUL, a lone surrogate and an over-long text identically, naming the field', async () => {
    for (const bad of ['a\u0000b', 'a\ud800b', 'x'.repeat(201)]) {
      const pair = {
        http: 'query($id: String!) { importJob(id: $id) { id } }',
        ws: 'subscription($id: String!) { importJobProgress(id: $id) { id } }',
      };
      // The subscription's argument is an ID: the variable's own type is what coercion checks, the gate checks the text first.
      pair.ws = pair.ws.replace('String!', 'ID!');
      await expectSameRefusal(pair, 'BAD_USER_INPUT', { id: bad });
      const http = await overHttp(pair.http, { id: bad });
      expect(http.body.errors![0].extensions!.fields[0].path).toBe('id');
    }
  });

  it('checks strings written into the query text too, and a forged cursor on any list names `after`', async () => {
    const literal = await overHttp('{ clients(filter: { search: "a\\u0000b" }) { totalCount } }');
    expect(literal.status).toBe(400);
    expect(literal.body.errors![0].extensions!.fields[0].path).toBe('filter.search');
    const forged = await overHttp('{ tickets(after: "WyJhYmMiXQ") { totalCount } }');
    expect(errorCode(forged.body)).toBe('BAD_USER_INPUT');
    expect(forged.body.errors![0].extensions!.fields[0].path).toBe('after');
  });

  it('refuses a variable that cannot be coerced with HTTP 400, naming it', async () => {
    const http = await overHttp('query($n: Int) { tickets(first: $n) { totalCount } }', { n: 2 ** 40 });
    expect(http.status).toBe(400);
    expect(errorCode(http.body)).toBe('BAD_USER_INPUT');
    expect(http.body.errors![0].extensions!.fields[0].path).toBe('n');
  });

  it('runs only subscriptions over graphql-ws: a query or a mutation is refused', async () => {
    for (const query of ['{ me { id } }', 'mutation { logout { __typename } }']) {
      const result = await overWs(query);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.messageEn).toMatch(/Only subscriptions/);
    }
    // The aliased premises query that produced megabytes over the socket before (200 aliases: 12 kB, under this app's cap).
    const aliases = Array.from(
      { length: 200 },
      (_, i) => `p${i}: premisesList(first: 100) { edges { node { id } } }`,
    ).join(' ');
    expect(errorCode(await overWs(`{ ${aliases} }`))).toBe('BAD_USER_INPUT');
  });

  it('caps a WebSocket message at the HTTP body limit: the socket closes with 1009, HTTP answers 413 as JSON', async () => {
    const big = 'x'.repeat(25_000);
    const http = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { big } }),
    });
    expect(http.status).toBe(413);
    expect(((await http.json()) as GraphqlResult).errors![0].extensions!.code).toBe('BAD_USER_INPUT');

    const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await withTimeout(new Promise((resolve) => socket.on('open', resolve)), 'the socket to open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${org.adminToken}` } }));
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription { importJobProgress(id: "x") { id } }', variables: { big } },
      }),
    );
    expect(await withTimeout(closed, 'the socket to close')).toBe(1009);
  });

  it('answers a resolver’s error with HTTP 200, as GraphQL over HTTP says', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(200);
    expect(errorCode((await response.json()) as GraphqlResult)).toBe('UNAUTHENTICATED');
  });

  it('gates an operation executed by any other path at its root fields', async () => {
    const schema = app.server.app.get(GraphQLSchemaHost).schema;
    const document = parse(`{ importJob(id: "${randomUUID()}") { errors(first: 1) { edges { node { row } } } } }`);
    const result = await execute({ schema, document, contextValue: {} });
    expect(result.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(result.errors?.[0].message).toMatch(/too deep/);
  });
});

describe('introspection in production', () => {
  it('is refused unless GRAPHQL_INTROSPECTION=on', async () => {
    const app = await startTestApp({ NODE_ENV: 'production' });
    try {
      const result = await app.gql('{ __schema { queryType { name } } }');
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.data).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
