import { Module } from '@nestjs/common';
import { BuildingsModule } from '../buildings/buildings.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PremisesModule } from '../premises/premises.module';
import { ClientsModule } from '../clients/clients.module';
import { OccupancyModule } from '../occupancy/occupancy.module';
import { AccountsModule } from '../accounts/accounts.module';
import { RegistrationModule } from '../registration/registration.module';
import { RequestLoadersFactory } from './request-loaders';
import { TicketsModule } from '../tickets/tickets.module';
import { ContactCardModule } from '../contact-card/contact-card.module';

@Module({
  imports: [
    BuildingsModule,
    OrganizationsModule,
    PremisesModule,
    ClientsModule,
    OccupancyModule,
    AccountsModule,
    RegistrationModule,
    TicketsModule,
    ContactCardModule,
  ],
  providers: [RequestLoadersFactory],
  exports: [RequestLoadersFactory],
})
export class LoadersModule {}
