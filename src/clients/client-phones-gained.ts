import { EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { DomainEvents, PhonesGained } from '../kernel/events';

/**
 * Someone's phones joined cards: ClientPhonesGained's subscribers (the tickets filed from them) follow, in
 * this transaction. Every writer of cards announces through here (the API per card, the import per batch).
 */
export async function announcePhonesGained(
  events: DomainEvents,
  tx: EntityManager,
  actor: Actor,
  gained: readonly PhonesGained[],
): Promise<void> {
  const nonEmpty = gained.filter((g) => g.phones.length);
  if (!nonEmpty.length) return;
  await events.publish('ClientPhonesGained', { tx, actor, gained: nonEmpty });
}
