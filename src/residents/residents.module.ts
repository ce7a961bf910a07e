import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PurgeResidentCodesJob } from './purge-residents.job';
import { ResidentsResolver } from './residents.resolver';
import { ResidentsService } from './residents.service';

@Module({
  imports: [AuthModule],
  providers: [ResidentsService, ResidentsResolver, PurgeResidentCodesJob],
  exports: [ResidentsService],
})
export class ResidentsModule {}
