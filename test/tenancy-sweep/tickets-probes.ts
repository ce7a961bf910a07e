import type { TestApp } from '../support/test-app';
import { Probe } from './probe';

/** Tickets and the classifier. */
export function ticketsProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.ticketCategories': {
      kind: 'list',
      run: (t) => gql(`{ ticketCategories { id } }`, {}, t),
      ids: (r) => r.data.ticketCategories.map((c: any) => c.id),
    },
    'Query.tickets': {
      kind: 'list',
      run: (t) => gql(`{ tickets(first: 100) { edges { node { id } } } }`, {}, t),
      ids: (r) => r.data.tickets.edges.map((e: any) => e.node.id),
    },
    'Query.ticket': { kind: 'foreign-id', run: (t, a) => gql(`{ ticket(id: "${a.ticketId}") { id } }`, {}, t) },
    'Query.houseTickets': {
      kind: 'foreign-id',
      run: (t, a) => gql(`{ houseTickets(buildingId: "${a.buildingId}") { edges { node { id } } } }`, {}, t),
    },
    'Query.similarOpenTickets': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`{ similarOpenTickets(buildingId: "${a.buildingId}", categoryId: "${a.categoryId}") { id } }`, {}, t),
    },
    'Mutation.createTicket': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { createTicket(input: { buildingId: "${a.buildingId}", description: "x" }) { ticket { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.updateTicket': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(`mutation { updateTicket(input: { id: "${a.ticketId}", description: "x" }) { ticket { id } } }`, {}, t),
    },
    'Mutation.changeTicketStatus': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { changeTicketStatus(input: { id: "${a.ticketId}", status: IN_PROGRESS }) { ticket { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.createTicketCategory': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { createTicketCategory(input: { name: "x", parentId: "${a.categoryId}" }) { category { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.renameTicketCategory': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { renameTicketCategory(input: { id: "${a.categoryId}", name: "x" }) { category { id } } }`,
          {},
          t,
        ),
    },
  };
}
