/*
 * The dispatcher's contact card and phone typeahead as the benchmarks ask for them: the GraphQL
 * requests, and the same card in one hand-written SQL statement (bench/contact-card.ts compares the
 * two; bench/card-floor-server.ts serves the statement as the load bench's floor).
 */

export const CARD_QUERY = `query($id: ID!) { contactCard(contactId: $id) {
  contact { id kind fullName phone phones email }
  addresses { role address premises { id number } building { id address } referenceSheet { html updatedAt }
    tickets(first: 10) { edges { node { id number status description createdAt contactName category { name } } } } }
  appStatus { usesApp lastSeenAt }
  paymentAccess { enabled accounts { number } }
} }`;

export const TYPEAHEAD_QUERY = `query($q: String!) { contactsByPhone(query: $q, first: 10) { contact { id kind fullName phone } addresses { address role } } }`;

/**
 * The same card in one hand-written statement: the contact, each place (attached premises and
 * places of their tickets) with its address and reference sheet, the last 10 tickets there with
 * their category, and the payable accounts.
 */
export const CARD_SQL = `
WITH contact AS (
  SELECT c.id, 'CLIENT' AS kind, concat_ws(' ', c.last_name, c.first_name, c.middle_name) AS full_name, c.phone, c.email, c.id AS client_id,
         array_remove(array_prepend(c.phone, c.extra_phones), NULL) AS phones
    FROM client c WHERE c.organization_id = $1 AND c.id = $2
  UNION ALL
  SELECT k.id, 'CALLER', k.full_name, k.phone, NULL, NULL, ARRAY[k.phone] FROM ticket_caller k
   WHERE k.organization_id = $1 AND k.id = $2 AND NOT EXISTS (SELECT 1 FROM client c WHERE c.organization_id = $1 AND c.id = $2)
),
ticket_places AS (
  SELECT t.place_id, t.building_id, t.premises_id, max(t.number) AS last FROM ticket t, contact
   WHERE t.organization_id = $1 AND (t.client_id = contact.client_id OR (t.client_id IS NULL AND t.contact_phone = ANY(contact.phones)))
   GROUP BY 1, 2, 3
),
places AS (
  SELECT tp.place_id, tp.building_id, tp.premises_id, tp.last FROM ticket_places tp
  UNION ALL
  SELECT o.premises_id, p.building_id, o.premises_id, NULL FROM occupancy o JOIN contact ON o.client_id = contact.client_id
    JOIN premises p ON p.organization_id = o.organization_id AND p.id = o.premises_id
   WHERE o.organization_id = $1 AND NOT EXISTS (SELECT 1 FROM ticket_places tp WHERE tp.place_id = o.premises_id)
)
SELECT json_build_object(
  'contact', (SELECT row_to_json(contact) FROM contact),
  'addresses', (SELECT json_agg(json_build_object(
      'role', o.role, 'premises', pr.number, 'building', b.search_text, 'referenceSheet', b.reference_sheet_html,
      'tickets', (SELECT json_agg(x) FROM (
          SELECT u.id, u.number, u.status, u.description, u.created_at, u.contact_name, cat.name AS category FROM (
            (SELECT t.* FROM ticket t, contact WHERE t.organization_id = $1 AND t.client_id = contact.client_id AND t.place_id = pl.place_id ORDER BY t.number DESC LIMIT 10)
            UNION ALL
            (SELECT t.* FROM ticket t, contact WHERE t.organization_id = $1 AND t.client_id IS NULL AND t.contact_phone = ANY(contact.phones) AND t.place_id = pl.place_id ORDER BY t.number DESC LIMIT 10)
          ) u LEFT JOIN ticket_category cat ON cat.organization_id = $1 AND cat.id = u.category_id ORDER BY u.number DESC LIMIT 10) x))
      ORDER BY pl.last DESC NULLS LAST)
    FROM places pl JOIN building b ON b.organization_id = $1 AND b.id = pl.building_id
    LEFT JOIN premises pr ON pr.organization_id = $1 AND pr.id = pl.premises_id
    LEFT JOIN occupancy o ON o.organization_id = $1 AND o.premises_id = pl.premises_id AND o.client_id = (SELECT client_id FROM contact)),
  'accounts', (SELECT json_agg(a.number) FROM account a WHERE a.organization_id = $1 AND a.premises_id IN (SELECT premises_id FROM places)
                 AND NOT a.hidden_from_resident AND a.payments_enabled AND a.status = 'ACTIVE')
) AS card`;
