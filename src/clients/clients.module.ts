import { Module } from '@nestjs/common';
import { ClientsResolver } from './clients.resolver';
import { ClientsService } from './clients.service';
import { ClientReads } from './client-reads';
import { ClientSearch } from './client-search';
import { ClientImportWriter } from './client-import-writer';
import { TagsService } from './tags.service';
import { PhoneDigitsDensity } from './phone-digits-density';

@Module({
  providers: [
    ClientsService,
    ClientReads,
    ClientSearch,
    ClientImportWriter,
    TagsService,
    ClientsResolver,
    PhoneDigitsDensity,
  ],
  exports: [ClientsService, ClientReads, ClientSearch, ClientImportWriter, TagsService, PhoneDigitsDensity],
})
export class ClientsModule {}
