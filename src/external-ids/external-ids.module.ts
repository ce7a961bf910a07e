import { Global, Module } from '@nestjs/common';
import { ExternalIdsService } from './external-ids.service';
import { ExternalIdResolver } from './external-id.resolver';

@Global()
@Module({ providers: [ExternalIdsService, ExternalIdResolver], exports: [ExternalIdsService] })
export class ExternalIdsModule {}
