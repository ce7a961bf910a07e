import { ID, Resolver, Subscription } from '@nestjs/graphql';
import { Args } from '../../common/validation/validated-args';
import { CurrentEmployee } from '../../access/auth.decorators';
import { StaffPrincipal } from '../../access/principal';
import { NotifyIterator, PgNotifyBus } from '../../common/notify/pg-notify-bus';
import { ImportJobType } from './dto/import-job.type';
import { FINISHED_STATUSES } from '../job/import-enums';
import { fromImportJobProgressEvent, IMPORT_JOB_PROGRESS_CHANNEL } from '../job/import-progress';
import { ImportJobsService, toImportJobType } from '../job/import-jobs.service';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

@Resolver()
export class ImportProgressResolver {
  constructor(
    private readonly jobs: ImportJobsService,
    private readonly bus: PgNotifyBus,
  ) {}

  @Subscription(() => ImportJobType, {
    description: 'The job’s current state, then every progress update; completes once the job has finished',
    // The stream already yields ImportJob values, not { importJobProgress: … } envelopes.
    resolve: (job: ImportJobType) => job,
  })
  async importJobProgress(
    @CurrentEmployee() me: StaffPrincipal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AsyncIterableIterator<ImportJobType>> {
    // Listen before reading the row, so no update committed in between is missed.
    const events = this.bus.listen(IMPORT_JOB_PROGRESS_CHANNEL);
    try {
      await events.ready;
      const job = await this.jobs.get(me.organizationId, id);
      return new JobProgressStream(toImportJobType(job), events, me.organizationId, job.id);
    } catch (error) {
      await events.return();
      throw error;
    }
  }
}

/**
 * The current state, then the channel's events for this job of this organization (the organization is
 * checked too: an id alone must never carry another tenant's data), ending after a finished status.
 * A class rather than an async generator: a generator's return() waits for the pending next(), which
 * could wait forever for an event, leaking the listener after the client unsubscribes.
 */
class JobProgressStream implements AsyncIterableIterator<ImportJobType> {
  private first: ImportJobType | null;
  private ended = false;

  constructor(
    current: ImportJobType,
    private readonly events: NotifyIterator,
    private readonly organizationId: string,
    private readonly jobId: string,
  ) {
    this.first = current;
  }

  async next(): Promise<IteratorResult<ImportJobType>> {
    if (this.first) {
      const current = this.first;
      this.first = null;
      return this.emit(current);
    }
    while (!this.ended) {
      const next = await this.events.next();
      if (next.done || this.ended) break;
      const event = fromImportJobProgressEvent(next.value);
      if (!event || event.organizationId !== this.organizationId || event.id !== this.jobId) continue;
      const { organizationId: _organizationId, ...job } = event;
      return this.emit(job);
    }
    await this.end();
    return DONE;
  }

  async return(): Promise<IteratorResult<ImportJobType>> {
    await this.end();
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async emit(job: ImportJobType): Promise<IteratorResult<ImportJobType>> {
    if (FINISHED_STATUSES.includes(job.status)) await this.end();
    return { value: job, done: false };
  }

  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.events.return();
  }
}
