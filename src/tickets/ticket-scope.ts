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

/** SQL for "this ticket belongs to the contact"; the caller supplies the two parameters. */
export function contactPredicate(alias: string, clientParam: string, phonesParam: string): string {
  return `(${alias}.client_id = ${clientParam} OR (${alias}.client_id IS NULL AND ${alias}.contact_phone = ANY(${phonesParam})))`;
}

/**
 * SQL of a contact's places: each (place, building, premises) of their tickets that the employee may
 * see with the last such ticket's number. `visibleSql` is ticket-visibility's condition on the alias
 * `ticket`. Two index-only scans (card, then phones without a card) rather than one OR, which can only
 * be a bitmap scan fetching every ticket row; a scope of categories adds a look at each row's category.
 */
export function contactPlacesSql(organizationParam: string, clientParam: string, phonesParam: string, visibleSql: string): string {
  return `SELECT t.place_id, t.building_id, t.premises_id, max(t.number) AS last FROM (
            SELECT place_id, building_id, premises_id, number FROM ticket WHERE organization_id = ${organizationParam} AND client_id = ${clientParam} ${visibleSql}
            UNION ALL
            SELECT place_id, building_id, premises_id, number FROM ticket
             WHERE organization_id = ${organizationParam} AND client_id IS NULL AND contact_phone = ANY(${phonesParam}) ${visibleSql}) t
          GROUP BY t.place_id, t.building_id, t.premises_id`;
}
