import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { PremisesModule } from '../premises/premises.module';
import { AccountImportWriter } from './account-import-writer';
import { AccountReads } from './account-reads';
import { AccountSearch } from './account-search';
import { AccountsResolver, PremisesAccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';

@Module({
  imports: [ClientsModule, PremisesModule],
  providers: [
    AccountsService,
    AccountReads,
    AccountSearch,
    AccountImportWriter,
    AccountsResolver,
    PremisesAccountsResolver,
  ],
  exports: [AccountsService, AccountReads, AccountSearch, AccountImportWriter],
})
export class AccountsModule {}
