import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource, EntityManager, In, LessThan } from 'typeorm';
import { Actor, AuditChannel } from '../../kernel/actor';
import { isUniqueViolation } from '../../common/errors/database-errors';
import { runSql, sql } from '../../common/sql/sql';
import { appLogger } from '../../common/logging/json-logger';
import { observeImportFinished } from '../../metrics/metrics';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { OccupancyService } from '../../occupancy/occupancy.service';
import { InProcessJobQueue } from '../../jobs/in-process-job-queue';
import { JobHandler, JobHandlerFor, JobQueue, JobRun } from '../../jobs/job-queue';
import { FINISHED_STATUSES, ImportMode, ImportStatus } from './import-enums';
import { ImportErrorEntity } from './import-error.entity';
import { ImportJobEntity } from './import-job.entity';
import { ImportListedEntity } from '../write/import-listed.entity';
import { listedBySyncJob } from '../write/import-listing';
import { ImportProgressPublisher } from './import-progress';
import { RegistryBatchService } from '../write/registry-batch.service';
import { ImportFileError } from '../file/registry-file';
import type { RowBatches } from '../rows/row-batches';
import { openRowBatches } from '../rows/row-batches-thread';
import type { RegistryKey } from '../registry-columns';
import { statisticsDue } from './statistics-schedule';
import {
  cancelledText,
  countersAfterBatch,
  eachBatch,
  ImportCancelled,
  ImportTakenOver,
  lockForBatch,
  noteIgnoredColumns,
  RunProgress,
  startedProgress,
} from './import-run';

export const REGISTRY_IMPORT_JOB = 'registry-import';
export const IMPORT_ATTEMPTS = 3;
/** Progress events (and dry-run job-row updates) at most this often. */
const PROGRESS_EVERY_MS = 250;
/** A batch that meets a concurrent writer's unique key is re-read and re-applied this many times. */
const BATCH_TRIES = 3;

export interface RegistryImportJobData {
  organizationId: string;
  jobId: string;
}

const CLIENT_COLUMNS = new Set<RegistryKey>(['lastName', 'firstName', 'organizationName', 'phones', 'externalId']);

/**
 * Runs an uploaded registry: streams the sheet, parses rows while the previous batch is being
 * written, commits each batch with its checkpoint and counters, then (with sync) detaches what the
 * file no longer lists. A retried job resumes after its checkpoint. A dry run does all of it in one
 * transaction that is rolled back, so its counts are the real run's.
 */
@Injectable()
@JobHandlerFor({ queue: 'imports', name: REGISTRY_IMPORT_JOB })
export class RegistryImportJob
  implements JobHandler<RegistryImportJobData>, OnApplicationBootstrap, OnApplicationShutdown
{
  private recheck?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly batches: RegistryBatchService,
    private readonly occupancy: OccupancyService,
    private readonly progress: ImportProgressPublisher,
    private readonly queue: JobQueue,
  ) {}

  /**
   * Without Redis nothing survives a restart but the job rows: pick up the unfinished ones. Only those
   * idle for a minute: a job whose row moved recently belongs to a process that is still running it.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!(this.queue instanceof InProcessJobQueue)) return;
    await this.resumeIdle();
    // Jobs that were fresh at the start are looked at once more when they have had time to go idle.
    const again = setTimeout(
      () =>
        void this.resumeIdle().catch((error: unknown) =>
          appLogger.warn('import recovery failed', { error: String(error) }),
        ),
      70_000,
    );
    again.unref();
    this.recheck = again;
  }

  onApplicationShutdown(): void {
    if (this.recheck) clearTimeout(this.recheck);
  }

  private async resumeIdle(): Promise<void> {
    const unfinished = await this.dataSource.getRepository(ImportJobEntity).findBy({
      status: In([ImportStatus.QUEUED, ImportStatus.RUNNING]),
      updatedAt: LessThan(new Date(Date.now() - 60_000)),
    });
    for (const job of unfinished) await this.enqueue(job);
  }

  async enqueue(job: ImportJobEntity): Promise<void> {
    await this.queue.add<RegistryImportJobData>(
      'imports',
      REGISTRY_IMPORT_JOB,
      { organizationId: job.organizationId, jobId: job.id },
      { jobId: job.id, attempts: IMPORT_ATTEMPTS, backoffMs: 2000 },
    );
  }

  async handle(run: JobRun<RegistryImportJobData>): Promise<void> {
    const repository = this.dataSource.getRepository(ImportJobEntity);
    const job = await repository.findOneBy({ organizationId: run.data.organizationId, id: run.data.jobId });
    if (!job || FINISHED_STATUSES.includes(job.status)) return;
    if (job.cancelRequested) return this.finish(job, ImportStatus.CANCELLED, cancelledText(job));
    Object.assign(job, { status: ImportStatus.RUNNING, startedAt: job.startedAt ?? new Date() });
    // Only a job still waiting or running is taken: a cancel that landed meanwhile wins.
    const taken = await repository
      .createQueryBuilder()
      .update()
      .set({ status: job.status, startedAt: job.startedAt })
      .where('organization_id = :organizationId AND id = :id AND status IN (:...open) AND NOT cancel_requested', {
        organizationId: job.organizationId,
        id: job.id,
        open: [ImportStatus.QUEUED, ImportStatus.RUNNING],
      })
      .execute();
    if (!taken.affected) return;
    const progress = startedProgress(job);
    await this.publish(progress, true);
    let reader: RowBatches | undefined;
    try {
      reader = await openRowBatches(
        join(this.config.imports.dir, job.storedFile ?? ''),
        { limits: { maxBytes: this.config.imports.maxUploadBytes }, fileName: job.fileName },
        this.config.imports.readingThreadMinBytes,
      );
      if (job.sync && !reader.columns.some((key) => key && CLIENT_COLUMNS.has(key))) {
        throw new ImportFileError(
          'BAD_HEADER',
          'Синхронизация сверяет жителей помещений, а в файле нет ни одного столбца клиента (ФИО, наименование, телефоны, внешний ID): добавьте их или загрузите файл без синхронизации',
          'Sync compares the residents of the premises, but the file has no client column (names, organization name, phones, external id): add them or upload without sync',
        );
      }
      if (job.mode === ImportMode.DRY_RUN) await this.dryRun(progress, reader);
      else await this.realRun(progress, reader);
      await noteIgnoredColumns(this.dataSource, job, reader);
      job.totalRows = job.processedRows;
      await this.finish(job, ImportStatus.COMPLETED, null);
    } catch (error) {
      if (error instanceof ImportFileError) {
        // A problem found mid-file (too many rows, damage) comes after earlier batches committed: say so.
        const kept = job.mode !== ImportMode.DRY_RUN && job.processedRows > 0;
        return this.finish(job, ImportStatus.FAILED, {
          code: error.problem,
          ru: kept ? `${error.ru} Строки до ${job.checkpointRow}-й уже загружены и сохранены.` : error.ru,
          en: kept ? `${error.en} Rows up to ${job.checkpointRow} were already loaded and kept.` : error.en,
        });
      }
      if (error instanceof ImportTakenOver) return;
      if (error instanceof ImportCancelled)
        return this.finish(await this.reload(job), ImportStatus.CANCELLED, cancelledText(job));
      appLogger.error('import attempt failed', {
        jobId: job.id,
        attempt: run.attemptsMade + 1,
        error: error instanceof Error ? error.stack : String(error),
      });
      if (run.attemptsMade + 1 >= IMPORT_ATTEMPTS) {
        return this.finish(await this.reload(job), ImportStatus.FAILED, {
          code: 'INTERNAL',
          ru: `Внутренняя ошибка после ${IMPORT_ATTEMPTS} попыток; загруженные строки (до ${job.checkpointRow}-й) сохранены — запустите импорт файла ещё раз`,
          en: `Internal error after ${IMPORT_ATTEMPTS} attempts; rows up to ${job.checkpointRow} were saved — run the import of the file again`,
        });
      }
      throw error;
    } finally {
      await reader?.close();
    }
  }

  private actor(job: ImportJobEntity): Actor {
    return {
      organizationId: job.organizationId,
      employeeId: job.createdBy,
      channel: AuditChannel.IMPORT,
      channelRef: job.id,
      space: job.crmSpace,
    };
  }

  private async realRun(progress: RunProgress, reader: RowBatches): Promise<void> {
    const { job } = progress;
    const actor = this.actor(job);
    await eachBatch(reader, job.checkpointRow, this.config.imports.batchRows, async (batch) => {
      const { items } = batch;
      let written = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          await this.dataSource.transaction(async (tx) => {
            await lockForBatch(tx, job);
            const result = await this.batches.run(tx, actor, job, items);
            await this.batches.recordProblems(tx, job.organizationId, job.id, result.outcomes);
            const next = countersAfterBatch(progress, batch, result);
            await tx.getRepository(ImportJobEntity).update({ organizationId: job.organizationId, id: job.id }, next);
            Object.assign(job, next);
            written = result.created + result.updated;
          });
          break;
        } catch (error) {
          // Someone else created the same building, phone or account meanwhile: read again and re-apply.
          if (!isUniqueViolation(error) || attempt >= BATCH_TRIES) throw error;
        }
      }
      progress.rowsThisAttempt += items.length;
      progress.rowsWrittenThisAttempt += written;
      await this.refreshStatisticsNow(this.dataSource.manager, progress);
      await this.publish(progress, false);
    });
    if (job.sync && !job.syncDone) {
      await this.dataSource.transaction(async (tx) => {
        await lockForBatch(tx, job);
        const detached = await this.occupancy.detachUnlisted(
          tx,
          actor,
          await listedBySyncJob(tx, job.organizationId, job.id),
        );
        await tx
          .getRepository(ImportJobEntity)
          .update(
            { organizationId: job.organizationId, id: job.id },
            { detached: job.detached + detached, syncDone: true },
          );
        Object.assign(job, { detached: job.detached + detached, syncDone: true });
      });
    }
  }

  /** Everything in one transaction, rolled back at the end; progress and problems go through other connections so they stay. */
  private async dryRun(progress: RunProgress, reader: RowBatches): Promise<void> {
    const { job } = progress;
    const actor = this.actor(job);
    Object.assign(job, {
      processedRows: 0,
      checkpointRow: 1,
      created: 0,
      updated: 0,
      unchanged: 0,
      detached: 0,
      failed: 0,
    });
    await this.dataSource
      .getRepository(ImportErrorEntity)
      .delete({ organizationId: job.organizationId, jobId: job.id });
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    // A dry run's changes are real until the rollback, and so are their row locks: wait for a busy row
    // at most a few seconds rather than queue behind (or hold up) staff for minutes.
    await runSql(runner.manager, sql`SET LOCAL lock_timeout = '5s'`);
    try {
      await eachBatch(reader, 1, this.config.imports.batchRows, async (batch) => {
        const { items } = batch;
        const cancelled = await this.dataSource
          .getRepository(ImportJobEntity)
          .findOneBy({ organizationId: job.organizationId, id: job.id, cancelRequested: true });
        if (cancelled) throw new ImportCancelled();
        const result = await this.batches.run(runner.manager, actor, job, items);
        await this.batches.recordProblems(this.dataSource.manager, job.organizationId, job.id, result.outcomes);
        Object.assign(job, countersAfterBatch(progress, batch, result));
        progress.rowsThisAttempt += items.length;
        progress.rowsWrittenThisAttempt += result.created + result.updated;
        await this.refreshStatisticsNow(runner.manager, progress);
        await this.publish(progress, false, true);
      });
      if (job.sync)
        job.detached += await this.occupancy.detachUnlisted(
          runner.manager,
          actor,
          await listedBySyncJob(runner.manager, job.organizationId, job.id),
        );
    } finally {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * Keeps key lookups on their indexes while a big file loads (statisticsDue says when). Counted in
   * rows written: a re-import of an unchanged 100,000-row file spent 4.9 s of its 25 s re-analyzing
   * tables it had not changed.
   */
  private async refreshStatisticsNow(manager: EntityManager, progress: RunProgress): Promise<void> {
    const due = statisticsDue(progress.rowsWrittenThisAttempt, this.config.imports.batchRows);
    if (due <= progress.statisticsRefreshed) return;
    progress.statisticsRefreshed = due;
    await this.batches.refreshStatistics(manager);
  }

  private async publish(progress: RunProgress, force: boolean, persist = false): Promise<void> {
    const now = Date.now();
    if (!force && now - progress.lastPublishedAt < PROGRESS_EVERY_MS) return;
    progress.lastPublishedAt = now;
    const { job } = progress;
    if (persist) {
      await this.dataSource.getRepository(ImportJobEntity).update(
        { organizationId: job.organizationId, id: job.id },
        {
          processedRows: job.processedRows,
          created: job.created,
          updated: job.updated,
          unchanged: job.unchanged,
          failed: job.failed,
          percent: job.percent,
          rowsPerSecond: job.rowsPerSecond,
        },
      );
    }
    await this.progress
      .publish(this.dataSource, job)
      .catch((error: unknown) =>
        appLogger.warn('import progress not published', { jobId: job.id, error: String(error) }),
      );
  }

  private async reload(job: ImportJobEntity): Promise<ImportJobEntity> {
    return (
      (await this.dataSource
        .getRepository(ImportJobEntity)
        .findOneBy({ organizationId: job.organizationId, id: job.id })) ?? job
    );
  }

  private async finish(
    job: ImportJobEntity,
    status: ImportStatus,
    error: { code: string; ru: string; en: string } | null,
  ): Promise<void> {
    const upload = job.storedFile;
    const keepReport =
      job.failed > 0 ||
      (await this.dataSource
        .getRepository(ImportErrorEntity)
        .existsBy({ organizationId: job.organizationId, jobId: job.id }));
    Object.assign(job, {
      status,
      finishedAt: new Date(),
      percent: status === ImportStatus.COMPLETED ? 100 : job.percent,
      errorCode: error?.code ?? null,
      errorRu: error?.ru ?? null,
      errorEn: error?.en ?? null,
      storedFile: keepReport ? job.storedFile : null,
    });
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(ImportJobEntity).update(
        { organizationId: job.organizationId, id: job.id },
        {
          status: job.status,
          finishedAt: job.finishedAt,
          percent: job.percent,
          totalRows: job.totalRows,
          processedRows: job.processedRows,
          detached: job.detached,
          created: job.created,
          updated: job.updated,
          unchanged: job.unchanged,
          failed: job.failed,
          rowsPerSecond: job.rowsPerSecond,
          errorCode: job.errorCode,
          errorRu: job.errorRu,
          errorEn: job.errorEn,
          storedFile: job.storedFile,
        },
      );
      await tx.getRepository(ImportListedEntity).delete({ organizationId: job.organizationId, jobId: job.id });
    });
    if (!keepReport && upload) await rm(join(this.config.imports.dir, upload), { force: true });
    await this.progress.publish(this.dataSource, job).catch(() => undefined);
    observeImportFinished(job);
    appLogger.info('import finished', {
      jobId: job.id,
      status,
      rows: job.processedRows,
      created: job.created,
      updated: job.updated,
      unchanged: job.unchanged,
      failed: job.failed,
      detached: job.detached,
    });
  }
}
