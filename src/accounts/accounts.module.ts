import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { PremisesModule } from '../premises/premises.module';
import { AccountsResolver, PremisesAccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';

@Module({
  imports: [ClientsModule, PremisesModule],
  providers: [AccountsService, AccountsResolver, PremisesAccountsResolver],
  exports: [AccountsService],
})
export class AccountsModule {}
