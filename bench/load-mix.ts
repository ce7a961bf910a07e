/*
 * The load benchmark's traffic (bench/load.ts): the samples it draws from the card database and the
 * dispatcher's mix of requests built from them.
 */
import { Client as PgClient } from 'pg';
import { CardSizes, sampleContacts, samplePhoneDigits } from './card-database';
import { CARD_QUERY, TYPEAHEAD_QUERY } from './card-queries';
import { LoadRequest } from './load-generator';

const CREATE_TICKET = `mutation($input: CreateTicketFromCardInput!) { createTicketFromCard(input: $input) { ticket { id number status } } }`;
const CHANGE_STATUS = `mutation($input: ChangeTicketStatusInput!) { changeTicketStatus(input: $input) { ticket { id status } } }`;
/** Contacts and phones the mix draws from; enough that the card's pages are the database's, not one hot set. */
const SAMPLE_POOL = 20_000;
const TICKETS_PER_CLIENT = 8;

export interface Samples {
  contacts: string[];
  parts: string[];
  /** Client i's own tickets and their status (only client i changes them, so no two race). */
  tickets: { id: string; status: string }[][];
}

/** Contacts, 4–7 digit phone parts and each of `clients` clients' own NEW tickets, drawn with `random`. */
export async function drawSamples(
  db: PgClient,
  org: string,
  { sizes, clients, seed }: { sizes: CardSizes; clients: number; seed: number },
  random: () => number,
): Promise<Samples> {
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const contacts = await sampleContacts(db, org, sizes, SAMPLE_POOL, seed, random);
  const parts = (await samplePhoneDigits(db, sizes, SAMPLE_POOL, random)).map((digits) => {
    const length = between(4, 7);
    return digits.substr(between(0, digits.length - length), length);
  });
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM ticket WHERE organization_id = $1 AND status = 'NEW' ORDER BY number DESC LIMIT $2`,
    [org, clients * TICKETS_PER_CLIENT],
  );
  const tickets = Array.from({ length: clients }, (_, i) =>
    rows.slice(i * TICKETS_PER_CLIENT, (i + 1) * TICKETS_PER_CLIENT).map(({ id }) => ({ id, status: 'NEW' })),
  );
  return { contacts, parts, tickets };
}

/** One of `items`, drawn with `random`. */
export const pick = <T>(random: () => number, items: T[]): T => items[Math.floor(random() * items.length)];

const graphql = (kind: string, query: string, variables: object, onSuccess?: (answer: any) => void): LoadRequest => ({
  kind,
  path: '/graphql',
  body: { query, variables },
  onSuccess,
});

/** A card request of one of the sampled contacts. */
export function cardRequest(samples: Samples, random: () => number): LoadRequest {
  return graphql('card', CARD_QUERY, { id: pick(random, samples.contacts) });
}

/** The dispatcher's mix: 70 % typeahead, 20 % cards, 10 % tickets. */
export function dispatcherMix(samples: Samples, random: () => number) {
  return (client: number): LoadRequest => {
    const r = random();
    if (r < 0.7) return graphql('typeahead', TYPEAHEAD_QUERY, { q: pick(random, samples.parts) });
    if (r < 0.9) return cardRequest(samples, random);
    const own = samples.tickets[client];
    if (own.length && random() < 0.5) {
      const ticket = pick(random, own);
      const status = ticket.status === 'NEW' ? 'IN_PROGRESS' : 'NEW';
      return graphql(
        'ticket status',
        CHANGE_STATUS,
        { input: { id: ticket.id, status } },
        () => (ticket.status = status),
      );
    }
    return graphql('ticket create', CREATE_TICKET, {
      input: { contactId: pick(random, samples.contacts), description: 'Нагрузочный тест: течёт кран на кухне' },
    });
  };
}
