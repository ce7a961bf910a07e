import { errorCode, startTestApp, TestApp } from './support/test-app';
import { CARD, CREATE_TICKET, TYPEAHEAD, ticketWorlds } from './support/ticket-world';

describe('tickets and the contact card', () => {
  let app: TestApp;
  const { gql, world, ticket, employeeWith } = ticketWorlds(() => app);

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  describe('visibility', () => {
    it('shows each organization serving one resident only its own part', async () => {
      const a = await world('ул. Ленина');
      const b = await world('ул. Мира');
      const phone = '+7 916 555-12-34';
      const inA = await a.make.client({ lastName: 'Общий', firstName: 'Житель', phone });
      const inB = await b.make.client({ lastName: 'Общий', firstName: 'Житель', phone });
      await ticket(a, { premisesId: a.flat12, clientId: inA, description: 'В УК А' });
      await ticket(b, { premisesId: b.flat13, clientId: inB, description: 'В УК Б' });
      for (const [w, own, description, address] of [
        [a, inA, 'В УК А', 'Москва, ул. Ленина, д. 5, кв. 12'],
        [b, inB, 'В УК Б', 'Москва, ул. Мира, д. 5, кв. 13'],
      ] as const) {
        const card = (await gql(CARD, { phone }, w.org.adminToken)).data.contactCard;
        expect(card.contact.id).toBe(own);
        expect(card.addresses.map((x: any) => x.address)).toEqual([address]);
        expect(card.addresses[0].tickets.edges.map((e: any) => e.node.description)).toEqual([description]);
        const matches = (await gql(TYPEAHEAD, { q: '555 12' }, w.org.adminToken)).data.contactsByPhone;
        expect(matches.map((m: any) => m.contact.id)).toEqual([own]);
      }
      expect(errorCode(await gql(CARD, { contactId: inA }, b.org.adminToken))).toBe('NOT_FOUND');
    });

    it('shows an employee exactly the tickets of their specializations in every list and on the card, and only the addresses they have a reason to see', async () => {
      const w = await world();
      const clientId = await w.make.client({ lastName: 'Видимый', firstName: 'Клиент', phone: '+7 916 600-00-01' });
      const leak = await ticket(w, {
        premisesId: w.flat12,
        clientId,
        categoryId: w.categories['Течь'],
        description: 'течь',
      });
      const lift = await ticket(w, {
        premisesId: w.flat13,
        clientId,
        categoryId: w.categories['Лифт не работает'],
        description: 'лифт',
        entrance: 2,
      });
      const none = await ticket(w, { premisesId: w.flat12, clientId, description: 'без категории' });
      const plumber = await employeeWith(w, ['Сантехника']);
      const liftman = await employeeWith(w, ['Подъезд']);
      const everyone = await employeeWith(w, []);
      // The client is attached to no premises here: an address shows only through a ticket the employee may see.
      const expected: [string, string[], string[]][] = [
        [plumber, [leak.id], ['12']],
        [liftman, [lift.id], ['13']],
        [everyone, [none.id, lift.id, leak.id], ['12', '13']],
      ];
      for (const [token, ids, addresses] of expected) {
        const list = (await gql(`{ tickets { totalCount edges { node { id } } } }`, {}, token)).data.tickets;
        expect(list.edges.map((e: any) => e.node.id)).toEqual(ids);
        expect(list.totalCount).toBe(ids.length);
        const house = (
          await gql(`{ houseTickets(buildingId: "${w.buildingId}") { totalCount edges { node { id } } } }`, {}, token)
        ).data.houseTickets;
        expect(house.edges.map((e: any) => e.node.id)).toEqual(ids);
        const byContact = (
          await gql(`{ tickets(filter: { contactId: "${clientId}" }) { edges { node { id } } } }`, {}, token)
        ).data.tickets;
        expect(byContact.edges.map((e: any) => e.node.id)).toEqual(ids);
        const card = (
          await gql(
            `{ contactCard(contactId: "${clientId}") { addresses { premises { number } tickets { totalCount edges { node { id } } } } } }`,
            {},
            token,
          )
        ).data.contactCard;
        expect(card.addresses.map((x: any) => x.premises.number).sort()).toEqual(addresses);
        const onCard = card.addresses.flatMap((x: any) => x.tickets.edges.map((e: any) => e.node.id));
        expect(onCard.sort()).toEqual([...ids].sort());
        expect(card.addresses.reduce((n: number, x: any) => n + x.tickets.totalCount, 0)).toBe(ids.length);
        for (const t of [leak, lift, none]) {
          const one = await gql(`{ ticket(id: "${t.id}") { id } }`, {}, token);
          expect(ids.includes(t.id) ? one.data.ticket.id : errorCode(one)).toBe(
            ids.includes(t.id) ? t.id : 'NOT_FOUND',
          );
        }
        const similar = (
          await gql(
            `{ similarOpenTickets(buildingId: "${w.buildingId}", categoryId: "${w.categories['Подъезд']}") { id } }`,
            {},
            token,
          )
        ).data.similarOpenTickets;
        expect(similar.map((t: any) => t.id)).toEqual(ids.includes(lift.id) ? [lift.id] : []);
      }
      const hidden = await gql(
        `mutation { changeTicketStatus(input: { id: "${lift.id}", status: IN_PROGRESS }) { ticket { id } } }`,
        {},
        plumber,
      );
      expect(errorCode(hidden)).toBe('NOT_FOUND');
      const outside = await gql(
        CREATE_TICKET,
        { input: { buildingId: w.buildingId, description: 'x', categoryId: w.categories['Лифт не работает'] } },
        plumber,
      );
      expect(errorCode(outside)).toBe('BAD_USER_INPUT');
    });
  });
});
