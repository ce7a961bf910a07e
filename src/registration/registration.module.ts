import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClientsModule } from '../clients/clients.module';
import { OccupancyModule } from '../occupancy/occupancy.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PremisesModule } from '../premises/premises.module';
import { RegistrationCards } from './registration-cards.service';
import { RegistrationLocator } from './registration-locator.service';
import { RegistrationQueries } from './registration-queries.service';
import { RegistrationResolver } from './registration.resolver';
import { RegistrationReview } from './registration-review.service';
import { RegistrationSubmission } from './registration-submission.service';

@Module({
  imports: [OrganizationsModule, BuildingsModule, PremisesModule, AccountsModule, ClientsModule, OccupancyModule],
  providers: [
    RegistrationCards,
    RegistrationLocator,
    RegistrationSubmission,
    RegistrationReview,
    RegistrationQueries,
    RegistrationResolver,
  ],
  exports: [RegistrationQueries],
})
export class RegistrationModule {}
