import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MAX_NOTIFY_PAYLOAD_BYTES, PgNotifyBus } from '../../common/notify/pg-notify-bus';
import { ImportJobType } from '../api/dto/import-job.type';
import { ImportJobEntity } from './import-job.entity';
import { toImportJobType } from './import-jobs.service';

export const IMPORT_JOB_PROGRESS_CHANNEL = 'import_job_progress';

type DateField = 'createdAt' | 'startedAt' | 'finishedAt';

/** What travels on the channel: the API's view of the job, its organization, dates as ISO strings. */
export type ImportJobProgressEvent = Omit<ImportJobType, DateField> & {
  organizationId: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export function toImportJobProgressEvent(job: ImportJobEntity): ImportJobProgressEvent {
  const view = toImportJobType(job);
  const event: ImportJobProgressEvent = {
    ...view,
    organizationId: job.organizationId,
    createdAt: view.createdAt.toISOString(),
    startedAt: view.startedAt?.toISOString() ?? null,
    finishedAt: view.finishedAt?.toISOString() ?? null,
  };
  return fitsNotify(event) ? event : shortened(event);
}

/** The event back as the GraphQL type, or null when it is not a well-formed progress event. */
export function fromImportJobProgressEvent(raw: unknown): (ImportJobType & { organizationId: string }) | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const event = raw as Partial<ImportJobProgressEvent>;
  if (typeof event.id !== 'string' || typeof event.organizationId !== 'string' || typeof event.createdAt !== 'string')
    return null;
  return {
    ...(event as ImportJobProgressEvent),
    createdAt: new Date(event.createdAt),
    startedAt: event.startedAt ? new Date(event.startedAt) : null,
    finishedAt: event.finishedAt ? new Date(event.finishedAt) : null,
  };
}

/**
 * Announces a job's state to its subscribers in every API process. The import engine calls it after
 * each batch, in the batch's transaction, so subscribers never see counts that then roll back.
 */
@Injectable()
export class ImportProgressPublisher {
  constructor(private readonly bus: PgNotifyBus) {}

  /** On `manager`'s transaction (sent on commit), or on the data source (sent at once). */
  publish(manager: EntityManager | DataSource, job: ImportJobEntity): Promise<void> {
    return this.bus.publish(manager, IMPORT_JOB_PROGRESS_CHANNEL, toImportJobProgressEvent(job));
  }
}

function fitsNotify(event: ImportJobProgressEvent): boolean {
  return Buffer.byteLength(JSON.stringify(event), 'utf8') <= MAX_NOTIFY_PAYLOAD_BYTES;
}

/**
 * Only free text can make an event too long (a very long file name or failure message); progress must
 * not fail the batch that reports it, so those are cut — the job query still returns them whole.
 */
function shortened(event: ImportJobProgressEvent): ImportJobProgressEvent {
  const cut = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);
  return {
    ...event,
    fileName: cut(event.fileName, 200),
    error: event.error
      ? {
          code: cut(event.error.code, 64),
          message: cut(event.error.message, 500),
          messageEn: cut(event.error.messageEn, 500),
        }
      : null,
  };
}
