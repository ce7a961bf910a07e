import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { JobQueuesResolver } from './job-queues.resolver';
import { QueueDashboard } from './queue-dashboard';

/** What administrators see of the job queues: Bull Board (with Redis) and the jobQueues query (always). Serving roles only. */
@Module({ imports: [AuthModule], providers: [QueueDashboard, JobQueuesResolver] })
export class QueueDashboardModule {}
