import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClientsModule } from '../clients/clients.module';
import { OccupancyModule } from '../occupancy/occupancy.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PremisesModule } from '../premises/premises.module';
import { TicketsModule } from '../tickets/tickets.module';
import {
  ContactAddressResolver,
  ContactCardResolver,
  ContactMatchResolver,
  ContactResolver,
} from './contact-card.resolver';
import { ContactsService } from './contacts.service';
import { ContactReads } from './contact-reads';
import { ContactSearch } from './contact-search';
import { CardStatement } from './card-statement';
import { ResidentAppStatusService } from './resident-app-status.service';
import { ResidentPresenceModule } from '../residents/resident-presence.module';

@Module({
  imports: [
    AccountsModule,
    BuildingsModule,
    ClientsModule,
    OccupancyModule,
    OrganizationsModule,
    PremisesModule,
    TicketsModule,
    ResidentPresenceModule,
  ],
  providers: [
    ContactsService,
    ContactReads,
    ContactSearch,
    CardStatement,
    ResidentAppStatusService,
    ContactCardResolver,
    ContactMatchResolver,
    ContactResolver,
    ContactAddressResolver,
  ],
  exports: [ContactsService, ContactReads, ContactSearch, ResidentAppStatusService],
})
export class ContactCardModule {}
