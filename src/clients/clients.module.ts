import { Module } from '@nestjs/common';
import { ClientsResolver } from './clients.resolver';
import { ClientsService } from './clients.service';
import { TagsService } from './tags.service';
import { PhoneDigitsDensity } from './phone-digits-density';

@Module({
  providers: [ClientsService, TagsService, ClientsResolver, PhoneDigitsDensity],
  exports: [ClientsService, TagsService, PhoneDigitsDensity],
})
export class ClientsModule {}
