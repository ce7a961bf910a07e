import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobHandler, JobHandlerFor, JobQueue } from '../jobs/job-queue';
import { ResidentsService } from './residents.service';

export const PURGE_RESIDENT_CODES_JOB = 'purge-resident-codes';

/** Housekeeping: expired sign-in codes, old resident sessions and spent rate-limit windows, hourly. */
@Injectable()
@JobHandlerFor({ queue: 'housekeeping', name: PURGE_RESIDENT_CODES_JOB })
export class PurgeResidentCodesJob implements JobHandler, OnApplicationBootstrap {
  constructor(
    private readonly residents: ResidentsService,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.queue.processes) await this.queue.addRepeating('housekeeping', PURGE_RESIDENT_CODES_JOB, 3600 * 1000);
  }

  async handle(): Promise<void> {
    await this.residents.purgeExpired();
  }
}
