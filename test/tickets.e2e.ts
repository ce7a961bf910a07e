import { EmployeeRole } from '../src/kernel/role';
import { errorCode, startTestApp, TestApp } from './support/test-app';
import { CREATE_TICKET, ticketWorlds } from './support/ticket-world';

describe('tickets and the contact card', () => {
  let app: TestApp;
  const { gql, world, ticket } = ticketWorlds(() => app);

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  describe('classifier', () => {
    it('seeds the default Russian tree for a new organization and lets staff extend and rename it', async () => {
      const w = await world();
      const all = (await gql(`{ ticketCategories { id name parentId } }`, {}, w.org.adminToken)).data.ticketCategories;
      const byId = new Map(all.map((c: any) => [c.id, c]));
      const leak = all.find((c: any) => c.name === 'Течь');
      const plumbing: any = byId.get(leak.parentId);
      expect(plumbing.name).toBe('Сантехника');
      expect((byId.get(plumbing.parentId) as any).name).toBe('Квартира');
      const created = await gql(
        `mutation { createTicketCategory(input: { name: " Прорыв  трубы ", parentId: "${plumbing.id}" }) { category { id name parentId } } }`,
        {},
        w.org.adminToken,
      );
      expect(created.data.createTicketCategory.category).toMatchObject({ name: 'Прорыв трубы', parentId: plumbing.id });
      const renamed = await gql(
        `mutation { renameTicketCategory(input: { id: "${plumbing.id}", name: "Водоснабжение" }) { category { name } } }`,
        {},
        w.org.adminToken,
      );
      expect(renamed.data.renameTicketCategory.category.name).toBe('Водоснабжение');
      const dispatcher = (await w.make.employee(EmployeeRole.DISPATCHER)).token;
      expect(
        errorCode(
          await gql(
            `mutation { renameTicketCategory(input: { id: "${plumbing.id}", name: "X" }) { category { name } } }`,
            {},
            dispatcher,
          ),
        ),
      ).toBe('FORBIDDEN');
    });
  });

  describe('tickets', () => {
    it('numbers tickets per organization without duplicates under concurrent creation', async () => {
      const w = await world();
      const other = await world();
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          gql(CREATE_TICKET, { input: { buildingId: w.buildingId, description: `Заявка ${i}` } }, w.org.adminToken),
        ),
      );
      expect(results.filter((r) => r.errors)).toEqual([]);
      const numbers = results.map((r) => r.data.createTicket.ticket.number).sort((a: number, b: number) => a - b);
      expect(numbers).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect((await ticket(other, {})).number).toBe(1);
    });

    it('fills entrance, floor and the address snapshot from the premises and links the caller to a client by phone', async () => {
      const w = await world();
      const clientId = await w.make.client({
        lastName: 'Иванов',
        firstName: 'Иван',
        middleName: 'Иванович',
        phone: '+7 916 100-00-01',
      });
      const t = await ticket(w, {
        premisesId: w.flat12,
        contactPhone: '8 916 100 00 01',
        categoryId: w.categories['Течь'],
        emergency: true,
      });
      expect(t).toMatchObject({
        entrance: 1,
        floor: 3,
        contactPhone: '+79161000001',
        contactName: 'Иванов Иван Иванович',
        emergency: true,
        status: 'NEW',
        client: { id: clientId },
      });
      expect(t.contactAddress).toBe('Москва, ул. Ленина, д. 5, кв. 12');
      expect(t.category.name).toBe('Течь');
      const foreign = (await world()).buildingId;
      expect(
        errorCode(await gql(CREATE_TICKET, { input: { buildingId: foreign, description: 'x' } }, w.org.adminToken)),
      ).toBe('NOT_FOUND');
      const mismatch = await gql(
        CREATE_TICKET,
        { input: { buildingId: foreign, premisesId: w.flat12, description: 'x' } },
        w.org.adminToken,
      );
      expect(mismatch.errors![0].extensions!.fields[0].path).toBe('input.premisesId');
    });

    it('moves through the statuses of the spec and names the allowed ones on an illegal move', async () => {
      const w = await world();
      const t = await ticket(w, {});
      const move = (status: string) =>
        gql(
          `mutation { changeTicketStatus(input: { id: "${t.id}", status: ${status} }) { ticket { status closedAt } } }`,
          {},
          w.org.adminToken,
        );
      const illegal = await move('CLOSED');
      expect(errorCode(illegal)).toBe('BAD_USER_INPUT');
      expect(illegal.errors![0].extensions!.fields[0].messageEn).toContain('allowed: IN_PROGRESS, CANCELLED');
      for (const status of ['IN_PROGRESS', 'DEFERRED', 'NEW', 'IN_PROGRESS', 'COMPLETED'])
        expect((await move(status)).data.changeTicketStatus.ticket.status).toBe(status);
      const closed = (await move('CLOSED')).data.changeTicketStatus.ticket;
      expect(closed.closedAt).not.toBeNull();
      expect(errorCode(await move('NEW'))).toBe('BAD_USER_INPUT');
      const audit = await gql(
        `{ auditLog(entityType: TICKET, entityId: "${t.id}", first: 20) { edges { node { action } } } }`,
        {},
        w.org.adminToken,
      );
      expect(
        audit.data.auditLog.edges.map((e: any) => e.node.action).filter((a: string) => a === 'status_changed'),
      ).toHaveLength(6);
    });

    it('edits a ticket and filters the list newest first', async () => {
      const w = await world();
      const a = await ticket(w, { premisesId: w.flat12, categoryId: w.categories['Течь'] });
      const b = await ticket(w, { premisesId: w.flat13, categoryId: w.categories['Лифт не работает'] });
      const updated = await gql(
        `mutation { updateTicket(input: { id: "${a.id}", description: "Течёт стояк", paid: true }) { ticket { description } } }`,
        {},
        w.org.adminToken,
      );
      expect(updated.data.updateTicket.ticket.description).toBe('Течёт стояк');
      const list = async (filter: string) =>
        (await gql(`{ tickets(filter: { ${filter} }) { totalCount edges { node { id } } } }`, {}, w.org.adminToken))
          .data.tickets;
      expect((await list(`buildingId: "${w.buildingId}"`)).edges.map((e: any) => e.node.id)).toEqual([b.id, a.id]);
      expect((await list(`categoryId: "${w.categories['Сантехника']}"`)).edges.map((e: any) => e.node.id)).toEqual([
        a.id,
      ]);
      expect((await list(`premisesId: "${w.flat13}", status: NEW`)).totalCount).toBe(1);
      expect((await list(`entrance: 2`)).edges.map((e: any) => e.node.id)).toEqual([b.id]);
    });
  });

  describe('house tickets and duplicates', () => {
    it('lists every caller’s tickets of the house or one entrance, and the open tickets of the same category there', async () => {
      const w = await world();
      const light1 = await ticket(w, {
        entrance: 1,
        categoryId: w.categories['Нет света в подъезде'],
        contactPhone: '+79160000011',
      });
      const light2 = await ticket(w, {
        entrance: 2,
        categoryId: w.categories['Нет света в подъезде'],
        contactPhone: '+79160000012',
      });
      const lamp = await ticket(w, { entrance: 2, categoryId: w.categories['Перегорела лампа'] });
      const lift = await ticket(w, { entrance: 2, categoryId: w.categories['Лифт не работает'] });
      await gql(
        `mutation { changeTicketStatus(input: { id: "${lamp.id}", status: CANCELLED }) { ticket { id } } }`,
        {},
        w.org.adminToken,
      );
      const house = await gql(
        `{ houseTickets(buildingId: "${w.buildingId}", first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        {},
        w.org.adminToken,
      );
      expect(house.data.houseTickets.totalCount).toBe(4);
      expect(house.data.houseTickets.edges.map((e: any) => e.node.id)).toEqual([lift.id, lamp.id]);
      const next = await gql(
        `{ houseTickets(buildingId: "${w.buildingId}", first: 2, after: "${house.data.houseTickets.pageInfo.endCursor}") { pageInfo { hasNextPage } edges { node { id } } } }`,
        {},
        w.org.adminToken,
      );
      expect(next.data.houseTickets.edges.map((e: any) => e.node.id)).toEqual([light2.id, light1.id]);
      expect(next.data.houseTickets.pageInfo.hasNextPage).toBe(false);
      const entrance = await gql(
        `{ houseTickets(buildingId: "${w.buildingId}", entrance: 1) { edges { node { id } } } }`,
        {},
        w.org.adminToken,
      );
      expect(entrance.data.houseTickets.edges.map((e: any) => e.node.id)).toEqual([light1.id]);
      // "Освещение" covers its problems; the cancelled lamp ticket is not open; entrance 1 is another staircase.
      const similar = await gql(
        `{ similarOpenTickets(buildingId: "${w.buildingId}", entrance: 2, categoryId: "${w.categories['Освещение']}") { id } }`,
        {},
        w.org.adminToken,
      );
      expect(similar.data.similarOpenTickets.map((t: any) => t.id)).toEqual([light2.id]);
      const houseWide = await gql(
        `{ similarOpenTickets(buildingId: "${w.buildingId}", categoryId: "${w.categories['Освещение']}") { id } }`,
        {},
        w.org.adminToken,
      );
      expect(houseWide.data.similarOpenTickets.map((t: any) => t.id)).toEqual([light2.id, light1.id]);
    });
  });
});
