import { Global, Module } from '@nestjs/common';
import { ExternalIdsService } from './external-ids.service';

@Global()
@Module({ providers: [ExternalIdsService], exports: [ExternalIdsService] })
export class ExternalIdsModule {}
