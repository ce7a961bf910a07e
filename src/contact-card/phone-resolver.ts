import { normalizePhone } from '../common/validation/phone';
import { raw, sql, Sql } from '../common/sql/sql';
import { ContactKind } from './contact';

/**
 * The one answer to "which contacts may this phone mean", for the typeahead (contactsByPhone) and for the
 * card opened by phone (contactCard(phone:)): client cards carrying it — as the login or as a contact
 * phone —, callers who filed tickets from it without a card (a phone on a card is that card's), and staff
 * (whose phones are E.164 like clients'). A phone several contacts share means all of them: the card asks
 * which one rather than picking one.
 */

/** A typed part of a phone: its digits anywhere in a number, and the number's beginning when it reads as one. */
export interface PhonePart {
  contains: string;
  startsWith: string | null;
}

/**
 * What a typed phone part means: its digits anywhere in a number, and, when it reads as one, the
 * number's beginning: typed with the trunk 8 (after +7), or starting with the country code 7 itself
 * ("+7 (916) 1", "7916"). Numbers with that beginning are offered first. Under three digits: nothing.
 */
export function phonePart(query: string): PhonePart | null {
  const digits = query.replace(/\D/g, '');
  if (digits.length < 3) return null;
  const trunk = /^\s*8/.test(query);
  return { contains: digits, startsWith: trunk ? `7${digits.slice(1)}` : digits.startsWith('7') ? digits : null };
}

/** A whole number in any writing ("8 (916) 440-55-55", "+79164405555") as E.164; null when it is not one. */
export function wholeNumber(query: string): string | null {
  return normalizePhone(query);
}

/** What each module gives for the ids of its records carrying the phone, as a row set of `id`. */
export interface PhoneOwnerSql {
  /** Client cards with the phone as login or contact phone. */
  clients: Sql;
  /** Callers with the phone (the card, when there is one, is the contact instead). */
  callers: Sql;
  /** Active staff with the phone. */
  employees: Sql;
}

/** SQL of the contacts a whole number means: rows (kind, id), cards first. */
export function phoneContactsSql(owners: PhoneOwnerSql): Sql {
  const [client, caller, employee] = [ContactKind.CLIENT, ContactKind.CALLER, ContactKind.EMPLOYEE].map((kind) =>
    raw(`'${kind}'`),
  );
  return sql`SELECT ${client} AS kind, x.id FROM (${owners.clients}) x
          UNION ALL SELECT ${caller}, x.id FROM (${owners.callers}) x WHERE NOT EXISTS (${owners.clients})
          UNION ALL SELECT ${employee}, x.id FROM (${owners.employees}) x`;
}

/** SQL for the id of the one contact the number means, from its contacts (phoneContactsSql's rows); NULL when it means nobody or several. */
export function onlyContactIdSql(contacts: Sql): Sql {
  return sql`(SELECT CASE WHEN count(*) = 1 THEN (array_agg(m.id))[1] END FROM (${contacts}) m)`;
}

/** How many contacts are listed when a number means several: the card asks to choose among them. */
export const AMBIGUOUS_LIST_LIMIT = 20;

export interface PhoneContactRef {
  kind: ContactKind;
  id: string;
}
