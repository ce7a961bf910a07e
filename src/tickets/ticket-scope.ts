import { raw, sql, Sql } from '../common/sql/sql';
import { TicketScope, visibleTicketsSql } from './ticket-visibility';

/**
 * Whose tickets: a client card (its own tickets, and tickets filed from its phones before anyone
 * linked them), or a caller without a card (tickets from that phone not linked to any client).
 */
export interface ContactKey {
  clientId: string | null;
  phones: string[];
}

export function contactKeyString(contact: ContactKey): string {
  return `${contact.clientId ?? ''}|${[...contact.phones].sort().join(',')}`;
}

/** SQL for "this ticket (`alias`) belongs to the contact" whose client id is `clientId` and phones (a text[]) `phones`. */
export function contactPredicate(alias: string, clientId: Sql, phones: Sql): Sql {
  const t = raw(alias);
  return sql`(${t}.client_id = ${clientId} OR (${t}.client_id IS NULL AND ${t}.contact_phone = ANY(${phones})))`;
}

/**
 * SQL of a contact's places: each (place, building, premises) of their tickets that the employee may
 * see (ticket-visibility's condition) with the last such ticket's number. Two index-only scans (card,
 * then phones without a card) rather than one OR, which can only be a bitmap scan fetching every ticket
 * row; a scope of categories adds a look at each row's category.
 */
export function contactPlacesSql(scope: TicketScope, clientId: Sql, phones: Sql): Sql {
  const organizationId = scope.organizationId;
  return sql`SELECT t.place_id, t.building_id, t.premises_id, max(t.number) AS last FROM (
            SELECT place_id, building_id, premises_id, number FROM ticket WHERE organization_id = ${organizationId} AND client_id = ${clientId} ${visibleTicketsSql(scope, 'ticket')}
            UNION ALL
            SELECT place_id, building_id, premises_id, number FROM ticket
             WHERE organization_id = ${organizationId} AND client_id IS NULL AND contact_phone = ANY(${phones}) ${visibleTicketsSql(scope, 'ticket')}) t
          GROUP BY t.place_id, t.building_id, t.premises_id`;
}

/** An id no row has: what a malformed id (not a uuid) stands for in a statement, so it matches nothing. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
