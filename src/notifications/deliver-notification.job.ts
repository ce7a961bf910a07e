import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobHandler, JobHandlerFor, JobQueue, JobRun } from '../jobs/job-queue';
import { DELIVER_NOTIFICATION_JOB, DeliveryOutcome, NotificationsService } from './notifications.service';

export const SWEEP_OUTBOX_JOB = 'sweep-outbox';
const SWEEP_EVERY_MS = 60_000;

@Injectable()
@JobHandlerFor({ queue: 'notifications', name: DELIVER_NOTIFICATION_JOB, concurrency: 4 })
export class DeliverNotificationJob implements JobHandler<{ id: string }> {
  constructor(private readonly notifications: NotificationsService) {}

  handle(job: JobRun<{ id: string }>): Promise<DeliveryOutcome> {
    return this.notifications.deliver(job.data.id, job.attemptsMade);
  }
}

/** The outbox's safety net: messages whose dispatch was lost (a process died after commit) are queued again. */
@Injectable()
@JobHandlerFor({ queue: 'notifications', name: SWEEP_OUTBOX_JOB })
export class SweepOutboxJob implements JobHandler, OnApplicationBootstrap {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.queue.processes) await this.queue.addRepeating('notifications', SWEEP_OUTBOX_JOB, SWEEP_EVERY_MS);
  }

  async handle(): Promise<{ requeued: number }> {
    return { requeued: await this.notifications.dispatchStale(SWEEP_EVERY_MS / 1000) };
  }
}
