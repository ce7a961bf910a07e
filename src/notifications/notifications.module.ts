import { Global, Module } from '@nestjs/common';
import { DeliverNotificationJob, SweepOutboxJob } from './deliver-notification.job';
import { NotificationsService } from './notifications.service';

@Global()
@Module({ providers: [NotificationsService, DeliverNotificationJob, SweepOutboxJob], exports: [NotificationsService] })
export class NotificationsModule {}
