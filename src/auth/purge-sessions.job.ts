import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { appLogger } from '../common/logging/json-logger';
import { JobHandler, JobHandlerFor, JobQueue, JobRun } from '../jobs/job-queue';
import { AuthService } from './auth.service';

export const PURGE_SESSIONS_JOB = 'purge-expired-sessions';
const HOURLY = 3600 * 1000;

/** Housekeeping: expired and revoked sign-in sessions are deleted every hour. */
@Injectable()
@JobHandlerFor({ queue: 'housekeeping', name: PURGE_SESSIONS_JOB })
export class PurgeExpiredSessionsJob implements JobHandler, OnApplicationBootstrap {
  constructor(
    private readonly auth: AuthService,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.queue.processes) await this.queue.addRepeating('housekeeping', PURGE_SESSIONS_JOB, HOURLY);
  }

  async handle(job: JobRun): Promise<{ purged: number }> {
    const purged = await this.auth.purgeExpiredSessions();
    appLogger.info('purged expired sessions', { jobId: job.id, purged });
    return { purged };
  }
}
