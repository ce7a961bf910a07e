import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClientsModule } from '../clients/clients.module';
import { PremisesModule } from '../premises/premises.module';
import { ChangesService } from './changes.service';
import { IntegrationResolver } from './integration.resolver';
import { IntegrationService } from './integration.service';

@Module({
  imports: [ClientsModule, AccountsModule, PremisesModule, BuildingsModule],
  providers: [IntegrationService, ChangesService, IntegrationResolver],
})
export class IntegrationModule {}
