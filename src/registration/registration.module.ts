import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClientsModule } from '../clients/clients.module';
import { OccupancyModule } from '../occupancy/occupancy.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PremisesModule } from '../premises/premises.module';
import { RegistrationResolver } from './registration.resolver';
import { RegistrationService } from './registration.service';

@Module({
  imports: [OrganizationsModule, BuildingsModule, PremisesModule, AccountsModule, ClientsModule, OccupancyModule],
  providers: [RegistrationService, RegistrationResolver],
  exports: [RegistrationService],
})
export class RegistrationModule {}
