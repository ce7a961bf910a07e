import type { EntityManager } from 'typeorm';
import type { Actor } from './actor';

/*
 * The in-process events: what one module announces so that others can follow, inside the announcer's
 * transaction. Every event is declared here, and who follows each is listed in one place,
 * src/wiring/event-subscribers.ts. A module that owns rows pointing at another's (a client's tickets,
 * accounts, attachments) follows that module's events rather than registering code in it.
 */

/** Two cards of one person became one: what pointed at `sourceId` must point at `targetId` (the source is deleted after the subscribers run). */
export interface ClientsMerged {
  tx: EntityManager;
  actor: Actor;
  sourceId: string;
  targetId: string;
}

export interface PhonesGained {
  clientId: string;
  phones: string[];
}

/** Cards gained phones they did not carry (a card created, a phone changed, the import, a merge of phones). */
export interface ClientPhonesGained {
  tx: EntityManager;
  actor: Actor;
  gained: readonly PhonesGained[];
}

/** An organization was created (bootstrap, seed, tests): modules set up what every organization starts with. */
export interface OrganizationCreated {
  tx: EntityManager;
  organizationId: string;
}

/** An employee was blocked or given a new password: whoever signed in as them must sign in again. */
export interface EmployeeLockedOut {
  tx: EntityManager;
  organizationId: string;
  employeeId: string;
}

export interface DomainEventMap {
  OrganizationCreated: OrganizationCreated;
  EmployeeLockedOut: EmployeeLockedOut;
  ClientsMerged: ClientsMerged;
  ClientPhonesGained: ClientPhonesGained;
}

export type EventSubscriber<K extends keyof DomainEventMap> = (event: DomainEventMap[K]) => Promise<void>;

export type EventSubscribers = { readonly [K in keyof DomainEventMap]: readonly EventSubscriber<K>[] };

/** Announces events to their subscribers, one after another in the listed order; an error aborts the announcer's transaction. */
export class DomainEvents {
  private table?: EventSubscribers;

  /** `subscribers` is read at the first announcement, so the subscribing services can be created after the announcer. */
  constructor(private readonly subscribers: () => EventSubscribers) {}

  async publish<K extends keyof DomainEventMap>(name: K, event: DomainEventMap[K]): Promise<void> {
    const subscribers: readonly EventSubscriber<K>[] = (this.table ??= this.subscribers())[name];
    for (const subscriber of subscribers) await subscriber(event);
  }
}
