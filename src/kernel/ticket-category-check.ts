import type { EntityManager } from 'typeorm';

/**
 * What the organizations module asks of the tickets module when an employee's specializations are set
 * (the tickets module owns the classifier, and depends on organizations, so it cannot be imported back).
 * Provided by src/wiring/events.module.ts with the tickets module's TicketCategoriesService.
 */
export abstract class TicketCategoryCheck {
  /** Those of `ids` that are not categories of the organization's classifier, read in `tx`. */
  abstract missing(tx: EntityManager, organizationId: string, ids: readonly string[]): Promise<string[]>;
}
