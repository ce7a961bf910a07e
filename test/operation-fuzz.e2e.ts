import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLSchema,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
} from 'graphql';
import { createOrganization, GraphqlResult, startTestApp, TestApp, TestOrganization } from './support/test-app';
import { catalogueOf, forgedCursors, Malformed, validValue } from './support/malformed-values';
import { Subscription, wsClient } from './support/ws-subscription';

/**
 * Every operation of the schema, each with a catalogue of malformed values for every argument (and
 * every field of its inputs): no answer may be INTERNAL or a 5xx, and every value the gate or a scalar
 * must refuse is a BAD_USER_INPUT naming the argument. A new operation fails the sweep below until it
 * is listed here (`note` says what its probes reach, where that is worth saying).
 */
/** Real rows of the fuzzing organization, for probes that must get past an id to reach the argument under test. */
interface Fixture {
  buildingId: string;
}

interface Entry {
  note?: string;
  /** Valid values of other arguments, so the probe reaches the one it tests. */
  base?: (fixture: Fixture) => Record<string, unknown>;
}

const OPERATIONS: Record<string, Entry> = {
  'Query.account': {},
  'Query.accounts': {},
  'Query.auditLog': {},
  'Query.building': {},
  'Query.buildings': {},
  'Query.changes': {},
  'Query.client': {},
  'Query.clients': {},
  'Query.contactCard': {},
  'Query.contactsByPhone': {},
  'Query.employee': {},
  'Query.employees': {},
  'Query.houseTickets': { base: (f) => ({ buildingId: f.buildingId }) },
  'Query.importJob': {},
  'Query.importJobs': {},
  'Query.jobQueues': { note: 'no arguments' },
  'Query.me': { note: 'no arguments' },
  'Query.myPremises': { note: 'no arguments' },
  'Query.myRegistrationRequests': { note: 'no arguments' },
  'Query.premises': {},
  'Query.premisesList': {},
  'Query.registrationRequests': {},
  'Query.similarOpenTickets': { base: (f) => ({ buildingId: f.buildingId }) },
  'Query.tags': {},
  'Query.ticket': {},
  'Query.ticketCategories': { note: 'no arguments' },
  'Query.tickets': {},
  'Mutation.addClientTag': {},
  'Mutation.addContactAddress': {},
  'Mutation.addExternalId': {},
  'Mutation.approveRegistration': {},
  'Mutation.attachClientToPremises': {},
  'Mutation.blockClient': {},
  'Mutation.cancelImport': {},
  'Mutation.changeClientPhone': {},
  'Mutation.changeTicketStatus': {},
  'Mutation.closeAccount': {},
  'Mutation.commentRegistration': {},
  'Mutation.createAccount': {},
  'Mutation.createBuilding': {},
  'Mutation.createClient': {},
  'Mutation.createEmployee': {},
  'Mutation.createPremises': {},
  'Mutation.createTicket': {},
  'Mutation.createTicketCategory': {},
  'Mutation.createTicketFromCard': {},
  'Mutation.deleteByExternalId': {},
  'Mutation.deletePremises': {},
  'Mutation.detachClientFromPremises': {},
  'Mutation.login': {},
  'Mutation.logout': { note: 'no arguments' },
  'Mutation.mergeClients': {},
  'Mutation.rejectRegistration': {},
  'Mutation.removeClientTag': {},
  'Mutation.removeExternalId': {},
  'Mutation.renameTicketCategory': {},
  'Mutation.requestSignInCode': {},
  'Mutation.signIn': {},
  'Mutation.signOutResident': { note: 'no arguments' },
  'Mutation.submitRegistration': {},
  'Mutation.unblockClient': {},
  'Mutation.updateAccount': {},
  'Mutation.updateBuilding': {},
  'Mutation.updateClient': {},
  'Mutation.updateContact': {},
  'Mutation.updateEmployee': {},
  'Mutation.updateExternalId': {},
  'Mutation.updateOrganizationSettings': {},
  'Mutation.updatePremises': {},
  'Mutation.updateReferenceSheet': {},
  'Mutation.updateTicket': {},
  'Mutation.upsertAccounts': {},
  'Mutation.upsertBuildings': {},
  'Mutation.upsertClients': {},
  'Mutation.upsertPremises': {},
  'Subscription.importJobProgress': { note: 'over graphql-ws' },
};

/** One place in an argument where a leaf value goes: `input.items.0.phone`. */
interface Leaf {
  path: string[];
  type: GraphQLNamedType;
}

function leavesOf(type: GraphQLInputType, path: string[], seen: Set<string>): Leaf[] {
  const named = getNamedType(type);
  if (isLeafType(named)) return [{ path, type: named }];
  if (!isInputObjectType(named) || seen.has(named.name)) return [];
  const inner = new Set(seen).add(named.name);
  return Object.values(named.getFields()).flatMap((field) => {
    const listed = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
    return leavesOf(field.type, [...path, ...(listed ? [field.name, '[0]'] : [field.name])], inner);
  });
}

/** The argument's value: valid everywhere except `value` at `path` (created on the way where optional). */
function withValueAt(type: GraphQLInputType, name: string, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const base = (validValue(type, name) ?? {}) as Record<string, unknown>;
  const [step, ...rest] = path;
  if (Array.isArray(base)) {
    const item = (isNonNullType(type) ? type.ofType : type) as { ofType: GraphQLInputType };
    return [withValueAt(item.ofType, name, rest, value)];
  }
  const named = getNamedType(type);
  if (!isInputObjectType(named)) return value;
  const field = named.getFields()[step];
  const listed = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
  return {
    ...base,
    [step]: listed
      ? [withValueAt(getNamedType(field.type) as GraphQLInputType, step, rest.slice(1), value)]
      : withValueAt(field.type, step, rest, value),
  };
}

interface Probe {
  operation: string;
  argument: string;
  path: string;
  malformed: Malformed;
  query: string;
  variables: Record<string, unknown>;
}

function probesOf(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
  foreignCursor: string,
  base: Record<string, unknown>,
): Probe[] {
  const selection = isLeafType(getNamedType(field.type)) ? '' : '{ __typename }';
  const probes: Probe[] = [];
  for (const argument of field.args) {
    const listed = isListType(isNonNullType(argument.type) ? argument.type.ofType : argument.type);
    const leaves = leavesOf(argument.type, listed ? [argument.name, '[0]'] : [argument.name], new Set());
    for (const leaf of leaves) {
      const catalogue =
        argument.name === 'after' && leaf.path.length === 1 ? forgedCursors(foreignCursor) : catalogueOf(leaf.type);
      for (const malformed of catalogue) {
        const variables: Record<string, unknown> = {};
        for (const other of field.args) {
          if (other === argument)
            variables[other.name] = withValueAt(other.type, other.name, leaf.path.slice(1), malformed.value);
          else if (other.name in base) variables[other.name] = base[other.name];
          else if (isNonNullType(other.type) && other.defaultValue === undefined)
            variables[other.name] = validValue(other.type, other.name);
        }
        const used = field.args.filter((arg) => arg.name in variables);
        const declarations = used.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
        const passing = used.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
        const query = `${kind} Fuzz(${declarations}) { ${field.name}(${passing}) ${selection} }`;
        probes.push({
          operation: field.name,
          argument: argument.name,
          path: leaf.path.join('.').replace(/\.\[/g, '['),
          malformed,
          query,
          variables,
        });
      }
    }
  }
  return probes;
}

/** What went wrong with one answer, or null when it is one a client can act on. */
function verdict(probe: Probe, status: number, result: GraphqlResult): string | null {
  const where = `${probe.operation}(${probe.path} = ${probe.malformed.label})`;
  if (status >= 500) return `${where}: HTTP ${status}`;
  const internal = result.errors?.find((error) => error.extensions?.code === 'INTERNAL' || !error.extensions?.code);
  if (internal) return `${where}: ${internal.extensions?.code ?? 'no code'} ${internal.message}`;
  if (probe.malformed.expect === 'survives') return null;
  const error = result.errors?.[0];
  if (!error) return `${where}: accepted`;
  const named = (error.extensions?.fields as { path: string }[] | undefined)?.some(
    (field) => field.path === probe.path || field.path.startsWith(`${probe.path}.`),
  );
  if (error.extensions?.code !== 'BAD_USER_INPUT' || !named)
    return `${where}: ${error.extensions?.code} without the argument named: ${error.message.slice(0, 200)}`;
  return null;
}

describe('every operation, every argument, malformed', () => {
  let app: TestApp;
  let org: TestOrganization;
  let schema: GraphQLSchema;
  let fixture: Fixture;
  /** Real cursors of two lists: each is foreign to every list but its own. */
  let cursors: { employees: string; buildings: string };

  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
    schema = app.server.app.get(GraphQLSchemaHost).schema;
    const building = await app.gql(
      'mutation { createBuilding(input: { city: "Москва", street: "Фаззинга", house: "1" }) { building { id } } }',
      {},
      org.adminToken,
    );
    fixture = { buildingId: building.data.createBuilding.building.id };
    const pages = await app.gql(
      '{ employees(first: 1) { pageInfo { endCursor } } buildings(first: 1) { pageInfo { endCursor } } }',
      {},
      org.adminToken,
    );
    cursors = {
      employees: pages.data.employees.pageInfo.endCursor,
      buildings: pages.data.buildings.pageInfo.endCursor,
    };
  });
  afterAll(() => app?.close());

  it('has an entry for every operation of the schema (a new operation needs one)', () => {
    const all = (['Query', 'Mutation', 'Subscription'] as const).flatMap((root) =>
      Object.keys(
        schema.getType(root) ? (schema.getType(root) as never as { getFields(): object }).getFields() : {},
      ).map((name) => `${root}.${name}`),
    );
    expect(all.filter((name) => !(name in OPERATIONS))).toEqual([]);
    expect(Object.keys(OPERATIONS).filter((name) => !all.includes(name))).toEqual([]);
  });

  async function overHttp(probe: Probe): Promise<[number, GraphqlResult]> {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.adminToken}` },
      body: JSON.stringify({ query: probe.query, variables: probe.variables }),
    });
    return [response.status, (await response.json()) as GraphqlResult];
  }

  async function overWs(probe: Probe): Promise<[number, GraphqlResult]> {
    const client = wsClient(app.url, { authorization: `Bearer ${org.adminToken}` });
    const subscription = new Subscription(client, probe.query, probe.variables);
    try {
      return [
        200,
        await subscription
          .next('an answer')
          .catch((errors: unknown) => ({ errors: errors as GraphqlResult['errors'] })),
      ];
    } finally {
      await subscription.stop();
      await client.dispose();
    }
  }

  for (const [root, kind] of [
    ['Query', 'query'],
    ['Mutation', 'mutation'],
    ['Subscription', 'subscription'],
  ] as const) {
    it(`${root}: no INTERNAL, no 5xx, the argument named`, async () => {
      const type = schema.getType(root) as { getFields(): Record<string, GraphQLField<unknown, unknown>> };
      const probes = Object.values(type.getFields())
        // logout would end the session the other probes use; it takes no arguments anyway.
        .filter((field) => field.name !== 'logout')
        .flatMap((field) =>
          probesOf(
            kind,
            field,
            field.name === 'employees' ? cursors.buildings : cursors.employees,
            OPERATIONS[`${root}.${field.name}`]?.base?.(fixture) ?? {},
          ),
        );
      const failures: string[] = [];
      const send = kind === 'subscription' ? overWs : overHttp;
      for (let index = 0; index < probes.length; index += 8) {
        const batch = probes.slice(index, index + 8);
        const answers = await Promise.all(batch.map(send));
        batch.forEach((probe, i) => {
          const problem = verdict(probe, ...answers[i]);
          if (problem) failures.push(problem);
        });
      }
      expect(probes.length).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    }, 300_000);
  }
});
