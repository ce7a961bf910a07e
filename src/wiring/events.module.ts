import { Global, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DomainEvents } from '../kernel/events';
import { TicketCategoryCheck } from '../kernel/ticket-category-check';
import { TicketCategoriesService } from '../tickets/ticket-categories.service';
import { eventSubscribers } from './event-subscribers';

/**
 * Provides the event bus and the kernel's ports to every module. Subscribers and implementations are
 * looked up when first used, so no module registers code in another at start-up.
 */
@Global()
@Module({
  providers: [
    {
      provide: DomainEvents,
      inject: [ModuleRef],
      useFactory: (moduleRef: ModuleRef) =>
        new DomainEvents(() => eventSubscribers((type) => moduleRef.get(type, { strict: false }))),
    },
    {
      provide: TicketCategoryCheck,
      inject: [ModuleRef],
      useFactory: (moduleRef: ModuleRef): TicketCategoryCheck => ({
        missing: (tx, organizationId, ids) =>
          moduleRef.get(TicketCategoriesService, { strict: false }).missing(tx, organizationId, ids),
      }),
    },
  ],
  exports: [DomainEvents, TicketCategoryCheck],
})
export class EventsModule {}
