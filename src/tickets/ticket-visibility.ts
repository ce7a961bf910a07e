import { empty, raw, sql, Sql } from '../common/sql/sql';

/**
 * Who sees a ticket — the one rule, for every path that returns, counts or changes ticket data
 * (lists, the card's addresses, pages and counts, duplicates, the audit log, contact edits):
 *
 * - only tickets of the employee's own organization;
 * - an employee without specializations sees every ticket of it;
 * - an employee with specializations sees the tickets whose category is one of them or below one
 *   (`categoryIds` holds that whole subtree); a ticket without a category is outside every
 *   specialization.
 *
 * The rule exists twice by necessity — in memory (canSeeTicket) and as SQL (visibleTicketsSql) — and
 * both are here, next to each other; test/ticket-visibility.e2e.ts checks they agree row by row.
 */
export interface TicketScope {
  organizationId: string;
  /** The specializations with every category below them; null: no specializations, every ticket. */
  categoryIds: string[] | null;
}

export function canSeeTicket(
  scope: TicketScope,
  ticket: { organizationId: string; categoryId: string | null },
): boolean {
  return ticket.organizationId === scope.organizationId && canUseCategory(scope, ticket.categoryId);
}

/** May the employee file or move a ticket into this category (null: no category)? The same rule. */
export function canUseCategory(scope: TicketScope, categoryId: string | null): boolean {
  return !scope.categoryIds || (categoryId !== null && scope.categoryIds.includes(categoryId));
}

function categoryCondition(scope: TicketScope, alias: string): Sql | null {
  return scope.categoryIds ? sql`${raw(alias)}.category_id = ANY(${scope.categoryIds}::uuid[])` : null;
}

/**
 * The SQL condition `AND …` on the ticket alias `alias` (its organization is the statement's own
 * business), empty when the scope sees every category.
 */
export function visibleTicketsSql(scope: TicketScope, alias: string): Sql {
  const condition = categoryCondition(scope, alias);
  return condition ? sql`AND ${condition}` : empty;
}

/** The same condition on the ticket alias `alias`, organization included: what a list's WHERE embeds. */
export function ticketVisibleSql(scope: TicketScope, alias: string): Sql {
  return sql`${raw(alias)}.organization_id = ${scope.organizationId} ${visibleTicketsSql(scope, alias)}`;
}
