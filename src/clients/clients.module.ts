import { Module } from '@nestjs/common';
import { ClientsResolver } from './clients.resolver';
import { ClientsService } from './clients.service';
import { TagsService } from './tags.service';

@Module({
  providers: [ClientsService, TagsService, ClientsResolver],
  exports: [ClientsService, TagsService],
})
export class ClientsModule {}
