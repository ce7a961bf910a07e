import { Type } from '@nestjs/common';
import { moveAccountsToMergedClient } from '../accounts/account-moves';
import { AuthService } from '../auth/auth.service';
import { EventSubscribers } from '../kernel/events';
import { moveOccupancyToMergedClient } from '../occupancy/occupancy-moves';
import { TicketCategoriesService } from '../tickets/ticket-categories.service';
import { TicketClientLinkService } from '../tickets/ticket-client-link.service';
import { moveTicketsToMergedClient } from '../tickets/ticket-moves';

/**
 * Who follows each event of src/kernel/events.ts, in the order they run (inside the announcer's
 * transaction). The one place to read what a merge or a gained phone sets off; `get` gives the
 * application's instance of a service.
 */
export function eventSubscribers(get: <T>(type: Type<T>) => T): EventSubscribers {
  return {
    OrganizationCreated: [(event) => get(TicketCategoriesService).onOrganizationCreated(event)],
    EmployeeLockedOut: [(event) => get(AuthService).onEmployeeLockedOut(event)],
    ClientsMerged: [moveOccupancyToMergedClient, moveAccountsToMergedClient, moveTicketsToMergedClient],
    ClientPhonesGained: [(event) => get(TicketClientLinkService).onClientPhonesGained(event)],
  };
}
