import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { InputValidationPipe } from '../src/common/validation/validation.pipe';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runMigrations } from '../src/database/run-migrations';
import { dataSourceOptions } from '../src/database/data-source-options';
import { pendingSchemaChanges } from '../src/database/migration-writer';
import { schemaSdl } from '../src/graphql/print-schema';
import { factories } from './support/factories';
import { createOrganization, errorCode, startTestApp, TestApp, TestOrganization } from './support/test-app';

describe('GraphQL conventions', () => {
  let app: TestApp;
  let org: TestOrganization;
  beforeAll(async () => {
    app = await startTestApp({ GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COMPLEXITY: '3000' });
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  it('serves exactly the committed schema.gql (run `npm run schema:print` after changing resolvers)', () => {
    const committed = readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8');
    expect(schemaSdl(app.server.app.get(GraphQLSchemaHost).schema)).toBe(committed);
  });

  it('has migrations that match the entities (run `npm run migration:generate -- Name` after changing an entity)', async () => {
    const dataSource = new DataSource(dataSourceOptions(process.env.TEST_DATABASE_URL!, { poolSize: 1 }));
    await dataSource.initialize();
    try {
      const { up } = await pendingSchemaChanges(dataSource);
      expect(up).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('rejects an over-deep query with QUERY_TOO_COMPLEX before running anything', async () => {
    const deep = `{ premisesList(first: 1) { edges { node { building { referenceSheet { updatedBy { organization { id } } } } } } } }`;
    const result = await app.gql(deep, {}, org.adminToken);
    expect(errorCode(result)).toBe('QUERY_TOO_COMPLEX');
    expect(result.errors![0].message).toContain('слишком глубокий');
    expect(result.errors![0].extensions).toMatchObject({ depth: 8, maxDepth: 6 });
    expect(result.data).toBeUndefined();
  });

  it('counts fragments towards depth', async () => {
    const viaFragments = `
      fragment O on Organization { id }
      fragment E on Employee { organization { ...O } }
      { premisesList(first: 1) { edges { node { building { referenceSheet { updatedBy { ...E } } } } } } }`;
    expect(errorCode(await app.gql(viaFragments, {}, org.adminToken))).toBe('QUERY_TOO_COMPLEX');
  });

  it('rejects an over-expensive query by complexity (page sizes multiply)', async () => {
    const fields = Array.from({ length: 40 }, (_, i) => `f${i}: number`).join(' ');
    const result = await app.gql(`{ premisesList(first: 100) { edges { node { ${fields} } } } }`, {}, org.adminToken);
    expect(errorCode(result)).toBe('QUERY_TOO_COMPLEX');
    expect(result.errors![0].extensions!.complexity).toBeGreaterThan(3000);
  });

  it('prices the same query text anew when a page size it depends on changes, whatever else is cached', async () => {
    const fields = Array.from({ length: 40 }, (_, i) => `f${i}: number`).join(' ');
    const query = `query($n: Int, $s: String) { premisesList(first: $n, filter: { search: $s }) { edges { node { ${fields} } } } }`;
    expect((await app.gql(query, { n: 5, s: 'a' }, org.adminToken)).errors).toBeUndefined();
    expect(errorCode(await app.gql(query, { n: 100, s: 'a' }, org.adminToken))).toBe('QUERY_TOO_COMPLEX');
    expect((await app.gql(query, { n: 5, s: 'b' }, org.adminToken)).errors).toBeUndefined();
    // A card's contact id does not change its price: served from the cache, and still within limits.
    const card = `query($id: ID!) { contactCard(contactId: $id) { contact { id } } }`;
    for (const id of [randomUUID(), randomUUID()])
      expect(errorCode(await app.gql(card, { id }, org.adminToken))).toBe('NOT_FOUND');
  });

  it('answers a syntax error and an unknown field as BAD_USER_INPUT without internals', async () => {
    const syntax = await app.gql(`{ me { id `, {}, org.adminToken);
    expect(errorCode(syntax)).toBe('BAD_USER_INPUT');
    const unknown = await app.gql(`{ me { password } }`, {}, org.adminToken);
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    const badEnum = await app.gql(
      `query($t: PremisesType) { premisesList(filter: { type: $t }) { totalCount } }`,
      { t: 'CASTLE' },
      org.adminToken,
    );
    expect(errorCode(badEnum)).toBe('BAD_USER_INPUT');
    expect(badEnum.errors![0].extensions!.fields[0].path).toBe('t');
    for (const result of [syntax, unknown, badEnum])
      expect(JSON.stringify(result)).not.toMatch(/stacktrace|at \w+ \(|node_modules/);
  });

  it('validates the arguments of every resolver and field resolver (Args of src/common/validation/validated-args)', async () => {
    // Nest keeps each decorated parameter as "<type>:<index>" with its pipes; type 3 is @Args
    // (GqlParamtype.ARGS, not exported by @nestjs/graphql).
    const ARGS = 3;
    let checked = 0;
    const unvalidated: string[] = [];
    for (const module of app.server.app.get(ModulesContainer).values()) {
      for (const { instance } of module.providers.values()) {
        if (!instance || typeof instance !== 'object') continue;
        const prototype = Object.getPrototypeOf(instance);
        for (const method of Object.getOwnPropertyNames(prototype)) {
          const parameters: Record<string, { pipes: unknown[] }> =
            Reflect.getMetadata('__routeArguments__', prototype.constructor, method) ?? {};
          for (const [key, { pipes }] of Object.entries(parameters)) {
            if (!key.startsWith(`${ARGS}:`)) continue;
            checked++;
            if (!pipes.some((pipe) => pipe instanceof InputValidationPipe))
              unvalidated.push(`${prototype.constructor.name}.${method} (${key})`);
          }
        }
      }
    }
    expect(unvalidated).toEqual([]);
    expect(checked).toBeGreaterThan(80);
    // A field resolver's page, deep in the card, is refused like a query's.
    const make = factories(app, org);
    const clientId = await make.client({ lastName: 'Проверкин', firstName: 'Пётр' });
    // With no address the field resolver is never reached: the client gets one.
    const premisesId = await make.premises(await make.building({ city: 'Тверь', street: 'Проверочная' }), '1');
    await make.occupancy(clientId, premisesId, 'OWNER');
    const refused = await app.gql(
      `query($id: ID!) { contactCard(contactId: $id) { addresses { tickets(first: 0) { edges { cursor } } } } }`,
      { id: clientId },
      org.adminToken,
    );
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].extensions!.fields[0]).toMatchObject({ path: 'first', message: 'не меньше 1' });
  });

  it('hides database failures behind INTERNAL with no SQL or stack in the answer', async () => {
    // The failure is made in a database of this test's own: renaming a column of the shared test
    // database broke whichever other suite touched premises meanwhile.
    const name = `${process.env.TEST_DATABASE_NAME}_broken`;
    const server = new URL(process.env.TEST_DATABASE_URL!);
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    server.pathname = `/${name}`;
    let broken: TestApp | undefined;
    try {
      await runMigrations(server.toString());
      broken = await startTestApp({ DATABASE_URL: server.toString() });
      const owner = await createOrganization(broken);
      await broken.dataSource.query(`ALTER TABLE premises RENAME COLUMN cadastral_number TO cadastral_number_hidden`);
      const result = await broken.gql(`{ premisesList(first: 1) { totalCount } }`, {}, owner.adminToken);
      expect(errorCode(result)).toBe('INTERNAL');
      const text = JSON.stringify(result);
      expect(text).not.toMatch(/cadastral|SELECT|column|stack|\.ts:/i);
      expect(result.errors![0].message).toContain('Внутренняя ошибка');
    } finally {
      await broken?.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('tags every response with a request id (taken from X-Request-Id when given)', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-123' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
  });

  it('reports database and queue status on /health', async () => {
    const response = await fetch(`${app.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      database: 'up',
      redis: process.env.REDIS_URL ? 'up' : 'disabled',
    });
  });
});
