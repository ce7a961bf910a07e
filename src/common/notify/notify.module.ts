import { Global, Module } from '@nestjs/common';
import { PgNotifyBus } from './pg-notify-bus';

/** One LISTEN connection per process, shared by every feature that publishes or subscribes. */
@Global()
@Module({
  providers: [PgNotifyBus],
  exports: [PgNotifyBus],
})
export class NotifyModule {}
