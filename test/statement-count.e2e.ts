import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

const PAGE = `query($first: Int) {
  premisesList(first: $first) {
    totalCount
    edges { node { id number name area building { id address entrances { number } referenceSheet { html updatedBy { email organization { name } } } } } }
  }
}`;

/** Seeds `count` premises, each in its own building, the worst case for the premises → building relation. */
async function seed(app: TestApp, organizationId: string, employeeId: string, count: number): Promise<void> {
  await app.dataSource.query(
    `WITH b AS (
       INSERT INTO building (organization_id, city, street, house, address_key, search_text, entrances, reference_sheet_html, reference_sheet_updated_by)
       SELECT $1, 'Москва', 'Счётная', g::text, 'москва|счетная|' || g || '|', 'москва, счетная, д. ' || g, '[]'::jsonb, '<p>x</p>', $2
         FROM generate_series(1, $3) g
       RETURNING id, house)
     INSERT INTO premises (organization_id, building_id, type, number, number_key, number_sort)
     SELECT $1, b.id, 'FLAT', b.house, b.house, lpad(b.house, 10, '0') FROM b`,
    [organizationId, employeeId, count],
  );
}

const sharedApp: { current?: TestApp } = {};

/**
 * The fewest statements `run` costs in three runs. The suites share one database, and another suite's
 * change to staff (a NOTIFY) makes this app's session cache read the session once more, in whichever
 * request is under way; a path that really costs more costs it every time.
 */
async function fewestStatements(app: TestApp, run: () => Promise<unknown>): Promise<number> {
  let fewest = Infinity;
  for (let attempt = 0; attempt < 3; attempt++) fewest = Math.min(fewest, await app.countStatements(run));
  return fewest;
}
beforeAll(async () => {
  sharedApp.current = await startTestApp();
});
afterAll(() => sharedApp.current?.close());

describe('DataLoader batching', () => {
  let app: TestApp;
  let org: TestOrganization;
  beforeAll(async () => {
    app = sharedApp.current!;
    org = await createOrganization(app);
    await seed(app, org.organizationId, org.adminId, 100);
    await app.warmSession(org.adminToken);
  });

  it('lists 100 premises with their buildings for the same number of SQL statements as 10', async () => {
    let ten: any;
    let hundred: any;
    const tenCost = await fewestStatements(app, async () => (ten = await app.gql(PAGE, { first: 10 }, org.adminToken)));
    const hundredCost = await fewestStatements(
      app,
      async () => (hundred = await app.gql(PAGE, { first: 100 }, org.adminToken)),
    );
    expect(ten.errors).toBeUndefined();
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data.premisesList.edges).toHaveLength(100);
    expect(new Set(hundred.data.premisesList.edges.map((e: any) => e.node.building.id)).size).toBe(100);
    expect(hundred.data.premisesList.edges[0].node.building.referenceSheet.updatedBy.email).toBe(org.adminEmail);
    // count, page, buildings, employees (updatedBy), organizations (the session is served from memory)
    expect(hundredCost).toBe(5);
    expect(hundredCost).toBe(tenCost);
  });
});

const CLIENT_PAGE = `query($first: Int) {
  clients(first: $first) {
    edges { node { id fullName tags { name } externalIds { value } premises { role premises { id name building { id } accounts { number owner { id } } } } } }
  }
}`;

/** `count` clients, each with a tag, an identifier, its own premises (in its own building) and an account. */
async function seedClients(app: TestApp, organizationId: string, count: number): Promise<void> {
  await app.dataSource.query(
    `WITH b AS (
       INSERT INTO building (organization_id, city, street, house, address_key, search_text, entrances)
       SELECT $1, 'Казань', 'Связная', g::text, 'казань|связная|' || g || '|', 'казань, связная, д. ' || g, '[]'::jsonb FROM generate_series(1, $2) g
       RETURNING id, house),
     p AS (
       INSERT INTO premises (organization_id, building_id, type, number, number_key, number_sort)
       SELECT $1, b.id, 'FLAT', b.house, b.house, lpad(b.house, 10, '0') FROM b RETURNING id, number),
     c AS (
       INSERT INTO client (organization_id, last_name, first_name, surname_key, name_key, phone, phone_digits)
       SELECT $1, 'Связной', p.number, 'связной ' || p.number, 'связной ' || p.number, '+7900' || lpad(p.number, 7, '0'), '7900' || lpad(p.number, 7, '0') FROM p
       RETURNING id, first_name),
     t AS (INSERT INTO tag (organization_id, name, name_key) VALUES ($1, 'Связь', 'связь') RETURNING id),
     ct AS (INSERT INTO client_tag (organization_id, client_id, tag_id) SELECT $1, c.id, t.id FROM c, t),
     x AS (INSERT INTO external_id (organization_id, entity_type, entity_id, space, system, value) SELECT $1, 'CLIENT', c.id, 'OPERATION', '1С', 'S-' || c.first_name FROM c),
     o AS (INSERT INTO occupancy (organization_id, premises_id, client_id, role, source) SELECT $1, p.id, c.id, 'OWNER', 'MANUAL' FROM p JOIN c ON c.first_name = p.number)
     INSERT INTO account (organization_id, number, number_key, premises_id, owner_client_id)
     SELECT $1, 'L-' || p.number, 'L-' || p.number, p.id, c.id FROM p JOIN c ON c.first_name = p.number`,
    [organizationId, count],
  );
}

// One application per test file: @nestjs/graphql keeps schema metadata per process.
describe('DataLoader batching on client pages', () => {
  it('lists 100 clients with tags, identifiers, premises, buildings and accounts for the same number of statements as 10', async () => {
    const app = sharedApp.current!;
    const org = await createOrganization(app);
    await seedClients(app, org.organizationId, 100);
    await app.warmSession(org.adminToken);
    let hundred: any;
    const tenCost = await fewestStatements(app, () => app.gql(CLIENT_PAGE, { first: 10 }, org.adminToken));
    const hundredCost = await fewestStatements(
      app,
      async () => (hundred = await app.gql(CLIENT_PAGE, { first: 100 }, org.adminToken)),
    );
    expect(hundred.errors).toBeUndefined();
    const nodes = hundred.data.clients.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(100);
    expect(
      nodes.every(
        (n: any) =>
          n.tags.length === 1 && n.externalIds.length === 1 && n.premises[0].premises.accounts[0].owner.id === n.id,
      ),
    ).toBe(true);
    // page, tags, identifiers, occupancies, premises with their buildings, accounts, owners
    expect(hundredCost).toBe(7);
    expect(hundredCost).toBe(tenCost);
  });
});

const CARD = `query($id: ID!) {
  contactCard(contactId: $id) {
    contact { id fullName client { id } }
    addresses { role address premises { number } building { address } referenceSheet { html updatedBy { email } }
      tickets(first: 10) { totalCount edges { node { number status category { name } building { id } premises { id } } } } }
    appStatus { usesApp lastSeenAt }
    paymentAccess { enabled accounts { number } }
  }
}`;

const CARD_BY_PHONE = CARD.replace('query($id: ID!)', 'query($phone: String!)').replace(
  'contactCard(contactId: $id)',
  'contactCard(phone: $phone)',
);

/** A client attached to `places` premises (each in its own building), with `perPlace` categorized tickets at each and an account on each. */
async function seedContact(
  app: TestApp,
  organizationId: string,
  employeeId: string,
  places: number,
  perPlace: number,
  tag: string,
): Promise<string> {
  const [{ id: categoryId }] = await app.dataSource.query(
    `SELECT id FROM ticket_category WHERE organization_id = $1 AND name = 'Течь' LIMIT 1`,
    [organizationId],
  );
  const [{ id: clientId }] = await app.dataSource.query(
    `INSERT INTO client (organization_id, last_name, first_name, surname_key, name_key, phone, phone_digits)
     VALUES ($1, 'Многоадресный', $2, 'многоадресный ' || $2, 'многоадресный ' || $2, '+7916' || lpad($3::text, 7, '0'), '7916' || lpad($3::text, 7, '0')) RETURNING id`,
    [organizationId, tag, places],
  );
  await app.dataSource.query(
    `WITH b AS (
       INSERT INTO building (organization_id, city, street, house, address_key, search_text, entrances, reference_sheet_html, reference_sheet_updated_by)
       SELECT $1, 'Москва', $4, g::text, 'москва|' || $4 || '|' || g || '|', 'москва, ' || $4 || ', д. ' || g, '[]'::jsonb, '<p>справка</p>', $6 FROM generate_series(1, $2) g
       RETURNING id, house),
     p AS (
       INSERT INTO premises (organization_id, building_id, type, number, number_key, number_sort)
       SELECT $1, b.id, 'FLAT', b.house, b.house, lpad(b.house, 10, '0') FROM b RETURNING id, building_id, number),
     o AS (INSERT INTO occupancy (organization_id, premises_id, client_id, role, source) SELECT $1, p.id, $3, 'OWNER', 'MANUAL' FROM p),
     a AS (INSERT INTO account (organization_id, number, number_key, premises_id) SELECT $1, $4 || p.number, $4 || p.number, p.id FROM p)
     INSERT INTO ticket (organization_id, number, building_id, premises_id, place_id, category_id, description, client_id, contact_name, contact_phone)
     SELECT $1, (SELECT coalesce(max(number), 0) FROM ticket WHERE organization_id = $1) + row_number() OVER (), p.building_id, p.id, p.id, $5, 'Течь', $3, 'Многоадресный', NULL
       FROM p, generate_series(1, $7) n`,
    [organizationId, places, clientId, tag, categoryId, employeeId, perPlace],
  );
  return clientId;
}

describe('DataLoader batching on the contact card', () => {
  it('costs the same statements for a contact with 1 address and with 50 addresses × 1,000 tickets', async () => {
    const app = sharedApp.current!;
    const org = await createOrganization(app);
    const small = await seedContact(app, org.organizationId, org.adminId, 1, 1, 'один');
    const large = await seedContact(app, org.organizationId, org.adminId, 50, 1000, 'много');
    await app.warmSession(org.adminToken);
    // The organization's classifier is read once and then kept (TicketCategoriesService), like the session.
    for (
      let attempt = 0;
      (await app.countStatements(() => app.gql(`{ ticketCategories { id } }`, {}, org.adminToken))) > 0;
      attempt++
    ) {
      if (attempt > 200) throw new Error('the classifier was never served from memory');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let smallCard: any;
    let largeCard: any;
    const smallCost = await fewestStatements(
      app,
      async () => (smallCard = await app.gql(CARD, { id: small }, org.adminToken)),
    );
    const largeCost = await fewestStatements(
      app,
      async () => (largeCard = await app.gql(CARD, { id: large }, org.adminToken)),
    );
    expect(smallCard.errors).toBeUndefined();
    expect(largeCard.errors).toBeUndefined();
    const addresses = largeCard.data.contactCard.addresses;
    expect(addresses).toHaveLength(50);
    expect(
      addresses.every(
        (a: any) =>
          a.tickets.totalCount === 1000 &&
          a.tickets.edges.length === 10 &&
          a.referenceSheet.updatedBy.email === org.adminEmail,
      ),
    ).toBe(true);
    expect(largeCard.data.contactCard.paymentAccess.accounts).toHaveLength(50);
    expect(smallCard.data.contactCard.addresses).toHaveLength(1);
    // the contact with its occupancies, the resident app's last sign-in of its phone, its homes' premises,
    // buildings and accounts, and its ticket places with their first pages (one statement); counts;
    // employees (session, specializations and classifier are kept in memory)
    expect(largeCost).toBe(smallCost);
    expect(largeCost).toBe(3);
    // A card asked only for its contact reads no premises: the client's homes are read ahead only
    // when the query selects the addresses or the payment access.
    let bare: any;
    const bareCost = await fewestStatements(
      app,
      async () =>
        (bare = await app.gql(
          `query($id: ID!) { contactCard(contactId: $id) { contact { id fullName } } }`,
          { id: large },
          org.adminToken,
        )),
    );
    expect(bare.errors).toBeUndefined();
    expect(bare.data.contactCard.contact.id).toBe(large);
    // the contact's own statement
    expect(bareCost).toBe(1);
    // As the call comes in: the card by phone finds the contact inside the same statement.
    const phone = `+7916${String(50).padStart(7, '0')}`;
    let byPhone: any;
    const byPhoneCost = await fewestStatements(
      app,
      async () => (byPhone = await app.gql(CARD_BY_PHONE, { phone }, org.adminToken)),
    );
    expect(byPhone.errors).toBeUndefined();
    expect(byPhone.data.contactCard).toEqual(largeCard.data.contactCard);
    expect(byPhoneCost).toBe(largeCost);
  });
});
