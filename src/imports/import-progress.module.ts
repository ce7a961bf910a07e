import { Module } from '@nestjs/common';
import { NotifyModule } from '../common/notify/notify.module';
import { ImportProgressPublisher } from './job/import-progress';

/** The publisher without the GraphQL module, so the worker role can announce progress too. */
@Module({
  imports: [NotifyModule],
  providers: [ImportProgressPublisher],
  exports: [ImportProgressPublisher],
})
export class ImportProgressModule {}
