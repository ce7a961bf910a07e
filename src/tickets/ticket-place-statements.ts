import { EntityMetadata } from 'typeorm';
import { raw, sql, Sql } from '../common/sql/sql';
import { ContactKey } from './ticket-scope';
import { TicketScope, visibleTicketsSql } from './ticket-visibility';
import { TicketEntity } from './ticket.entity';

/** One page of one contact's tickets at one place (premises, or building for house-wide tickets). */
export interface PlacePageRequest {
  contact: ContactKey;
  placeId: string;
  first: number;
  /** Number of the last ticket of the previous page. */
  before: number | null;
}

export interface ContactPlace {
  placeId: string;
  buildingId: string;
  premisesId: string | null;
  lastNumber: number;
}

/** A place with the newest of the contact's tickets there (that the employee may see), read together. */
export interface ContactPlaceWithPage extends ContactPlace {
  firstPage: TicketEntity[];
}

/**
 * The contacts of a places statement as rows (k, client_id, phones). One contact (every card) is a
 * one-row VALUES: PostgreSQL then settles on one generic plan for the prepared statement instead of
 * planning it anew on each run, which it does for unnest() of arrays whose length it cannot know
 * (planning took 0.3–1 ms of a 0.15 ms statement).
 */
export function contactRows(contacts: readonly ContactKey[]): Sql {
  if (contacts.length === 1)
    return sql`(VALUES (${0}::int, ${contacts[0].clientId}::uuid, ${contacts[0].phones.join(',')}::text))`;
  return sql`unnest(${contacts.map((_, i) => i)}::int[], ${contacts.map((c) => c.clientId)}::uuid[], ${contacts.map((c) => c.phones.join(','))}::text[])`;
}

/** A contact row's phones (kept joined by commas in the rows above) as a text[]. */
export const ROW_PHONES = raw("string_to_array(r.phones, ',')");

/** The `before` of a first page: every ticket number is below it. */
export const NO_LATER_THAN_ANY = raw('2147483647');

/**
 * One page of a contact's tickets at the place `r.place_id` that the scope lets the employee see, newest
 * first: the client's own tickets and the unlinked ones from its phones, each read in order from its
 * index, merged.
 */
export function placePageSql(scope: TicketScope, limit: Sql, before: Sql, phones: Sql = ROW_PHONES): Sql {
  const branch = (
    own: Sql,
  ) => sql`(SELECT t.* FROM ticket t WHERE t.organization_id = ${scope.organizationId} AND ${own} AND t.place_id = r.place_id
      AND t.number < ${before} ${visibleTicketsSql(scope, 't')} ORDER BY t.number DESC LIMIT ${limit})`;
  return sql`SELECT * FROM (${branch(sql`t.client_id = r.client_id`)} UNION ALL ${branch(sql`t.client_id IS NULL AND t.contact_phone = ANY(${phones})`)}) b
    ORDER BY b.number DESC LIMIT ${limit}`;
}

/** The ticket's columns of `alias` under their property names (with `prefix`), for raw SQL read back as entities. */
export function ticketColumns(metadata: EntityMetadata, alias: string, prefix = ''): Sql {
  return raw(metadata.columns.map((c) => `${alias}.${c.databaseName} AS "${prefix}${c.propertyName}"`).join(', '));
}
