import { Module } from '@nestjs/common';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClientsModule } from '../clients/clients.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PremisesModule } from '../premises/premises.module';
import { TicketCallersService } from './ticket-callers.service';
import { TicketCategoriesService } from './ticket-categories.service';
import { TicketsResolver } from './tickets.resolver';
import { TicketsService } from './tickets.service';
import { TicketSearch } from './ticket-search.service';
import { TicketPlaceReads } from './ticket-place-reads.service';
import { TicketCardParts } from './ticket-card-parts';
import { TicketClientLinkService } from './ticket-client-link.service';

@Module({
  imports: [BuildingsModule, ClientsModule, OrganizationsModule, PremisesModule],
  providers: [
    TicketsService,
    TicketSearch,
    TicketPlaceReads,
    TicketCardParts,
    TicketCategoriesService,
    TicketCallersService,
    TicketsResolver,
    TicketClientLinkService,
  ],
  exports: [
    TicketsService,
    TicketSearch,
    TicketPlaceReads,
    TicketCardParts,
    TicketCategoriesService,
    TicketCallersService,
    TicketClientLinkService,
  ],
})
export class TicketsModule {}
