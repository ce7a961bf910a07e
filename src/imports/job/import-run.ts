import { DataSource, EntityManager } from 'typeorm';
import { runSql, sql } from '../../common/sql/sql';
import type { RegistryHeader, RowBatch, RowBatches } from '../rows/row-batches';
import type { BatchResult } from '../write/registry-batch.service';
import { ImportMode } from './import-enums';
import { ImportErrorEntity } from './import-error.entity';
import { ImportJobEntity } from './import-job.entity';

/** The job's warning that some columns were left out (registry-header.ts). */
export const IGNORED_COLUMNS = 'IGNORED_COLUMNS';

/** A cancel request was noticed between batches. */
export class ImportCancelled extends Error {}
/** Another attempt of the same job moved its checkpoint: this one stops without touching the job. */
export class ImportTakenOver extends Error {}

/** Counters and pacing of one attempt. */
export interface RunProgress {
  job: ImportJobEntity;
  startedAt: number;
  rowsThisAttempt: number;
  /** Rows this attempt created or updated: what makes the planner's statistics stale (a re-import writes none). */
  rowsWrittenThisAttempt: number;
  lastPublishedAt: number;
  /** How many times statistics were refreshed this attempt. */
  statisticsRefreshed: number;
}

export function startedProgress(job: ImportJobEntity): RunProgress {
  return {
    job,
    startedAt: Date.now(),
    rowsThisAttempt: 0,
    rowsWrittenThisAttempt: 0,
    lastPublishedAt: 0,
    statisticsRefreshed: 0,
  };
}

/** The job's counters, checkpoint, percent and speed once a batch is in. */
export function countersAfterBatch(
  progress: RunProgress,
  batch: RowBatch,
  result: BatchResult,
): Partial<ImportJobEntity> {
  const { items } = batch;
  const { job } = progress;
  const seconds = Math.max((Date.now() - progress.startedAt) / 1000, 0.001);
  return {
    checkpointRow: items[items.length - 1].raw.rowNumber,
    processedRows: job.processedRows + items.length,
    created: job.created + result.created,
    updated: job.updated + result.updated,
    unchanged: job.unchanged + result.unchanged,
    failed: job.failed + result.failed,
    percent: Math.min(99, Math.round(batch.progress * 1000) / 10),
    rowsPerSecond: Math.round((progress.rowsThisAttempt + items.length) / seconds),
  };
}

/**
 * Serializes the batches of one organization's imports (two imports matching the same person by
 * name must not both create them), notices a cancel request, and stops an attempt whose job another
 * attempt has moved on (a worker Bull wrongly believed dead).
 *
 * The batch's commit does not wait for its WAL to reach the disk (synchronous_commit off, this
 * transaction only): a database crash can lose the last fraction of a second of batches, but never
 * half of one, and the job's checkpoint commits with its batch, so a resumed job loads those rows
 * again. Waiting cost a flush per batch (50 of a 100,000-row import).
 */
export async function lockForBatch(tx: EntityManager, job: ImportJobEntity): Promise<void> {
  await runSql(
    tx,
    sql`SELECT pg_advisory_xact_lock(hashtext('registry-import:' || ${job.organizationId}::text)), set_config('synchronous_commit', 'off', true)`,
  );
  const [row] = await runSql<{ cancelRequested: boolean; checkpointRow: number; syncDone: boolean }>(
    tx,
    sql`SELECT cancel_requested AS "cancelRequested", checkpoint_row AS "checkpointRow", sync_done AS "syncDone" FROM import_job WHERE organization_id = ${job.organizationId} AND id = ${job.id} FOR UPDATE`,
  );
  if (!row || row.checkpointRow !== job.checkpointRow || row.syncDone !== job.syncDone) throw new ImportTakenOver();
  if (row.cancelRequested) throw new ImportCancelled();
}

/**
 * Batch n+1 is read and parsed while batch n is written (in the job's thread between the batch's
 * statements, or in the reading thread); a batch is written only after the previous one committed.
 */
export async function eachBatch(
  source: RowBatches,
  after: number,
  batchRows: number,
  write: (batch: RowBatch) => Promise<void>,
): Promise<void> {
  const batches = source.batches(after, batchRows)[Symbol.asyncIterator]();
  let next = batches.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = batches.next();
    // A failure reading ahead surfaces when that batch is due; it must not crash the process meanwhile.
    next.catch(() => undefined);
    await write(current.value);
  }
}

export function cancelledText(job: ImportJobEntity): { code: string; ru: string; en: string } {
  return {
    code: 'CANCELLED',
    ru:
      job.mode === ImportMode.DRY_RUN
        ? 'Проверка отменена: в базе ничего не изменилось'
        : `Импорт отменён: строки до ${job.checkpointRow}-й загружены и сохранены (${job.processedRows} шт.), остальные не загружались`,
    en:
      job.mode === ImportMode.DRY_RUN
        ? 'The dry run was cancelled: nothing changed in the database'
        : `The import was cancelled: rows up to ${job.checkpointRow} were loaded and kept (${job.processedRows}), the rest were not loaded`,
  };
}

/** Columns the template does not have were left out: the job says so, on the header's row, once. */
export async function noteIgnoredColumns(
  dataSource: DataSource,
  job: ImportJobEntity,
  reader: RegistryHeader,
): Promise<void> {
  if (!reader.ignoredColumns.length) return;
  const repository = dataSource.getRepository(ImportErrorEntity);
  if (await repository.existsBy({ organizationId: job.organizationId, jobId: job.id, code: IGNORED_COLUMNS })) return;
  const names = reader.ignoredColumns;
  await repository.insert({
    organizationId: job.organizationId,
    jobId: job.id,
    row: reader.headerRow,
    column: null,
    code: IGNORED_COLUMNS,
    messageRu: `Столбцы не из шаблона не загружены: ${names.map((n) => `«${n}»`).join(', ')}`,
    messageEn: `Columns not in the template were not loaded: ${names.map((n) => `"${n}"`).join(', ')}`,
    rowSkipped: false,
  });
}
