import { Type } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { AuthService } from '../auth/auth.service';
import { EventSubscribers } from '../kernel/events';
import { OccupancyService } from '../occupancy/occupancy.service';
import { TicketCategoriesService } from '../tickets/ticket-categories.service';
import { TicketClientLinkService } from '../tickets/ticket-client-link.service';
import { TicketsService } from '../tickets/tickets.service';

/**
 * Who follows each event of src/kernel/events.ts, in the order they run (inside the announcer's
 * transaction). The one place to read what a merge or a gained phone sets off; `get` gives the
 * application's instance of a service.
 */
export function eventSubscribers(get: <T>(type: Type<T>) => T): EventSubscribers {
  return {
    OrganizationCreated: [(event) => get(TicketCategoriesService).onOrganizationCreated(event)],
    EmployeeLockedOut: [(event) => get(AuthService).onEmployeeLockedOut(event)],
    ClientsMerged: [
      (event) => get(OccupancyService).onClientsMerged(event),
      (event) => get(AccountsService).onClientsMerged(event),
      (event) => get(TicketsService).onClientsMerged(event),
    ],
    ClientPhonesGained: [(event) => get(TicketClientLinkService).onClientPhonesGained(event)],
  };
}
