import type { TestApp } from '../support/test-app';
import { Probe } from './probe';

/** The dispatcher's contact card and phone typeahead. */
export function contactCardProbes(app: TestApp): Record<string, Probe> {
  const gql = app.gql.bind(app);
  return {
    'Query.contactsByPhone': {
      kind: 'list',
      run: (t) => gql(`{ contactsByPhone(query: "8916") { contact { id } addresses { premises { id } } } }`, {}, t),
      ids: (r) =>
        r.data.contactsByPhone.flatMap((m: any) => [m.contact.id, ...m.addresses.map((x: any) => x.premises?.id)]),
    },
    'Query.contactCard': {
      kind: 'foreign-id',
      run: (t, a) => gql(`{ contactCard(contactId: "${a.clientId}") { contact { id } } }`, {}, t),
    },
    'Mutation.createTicketFromCard': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { createTicketFromCard(input: { contactId: "${a.clientId}", description: "x" }) { ticket { id } } }`,
          {},
          t,
        ),
    },
    'Mutation.updateContact': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { updateContact(input: { contactId: "${a.callerId}", fullName: "Чужой Человек" }) { ticketsUpdated } }`,
          {},
          t,
        ),
    },
    'Mutation.addContactAddress': {
      kind: 'foreign-id',
      run: (t, a) =>
        gql(
          `mutation { addContactAddress(input: { contactId: "${a.clientId}", street: "Тенантная", house: "1", premisesNumber: "1", role: OWNER }) { contact { id } } }`,
          {},
          t,
        ),
    },
  };
}
