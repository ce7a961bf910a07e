import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { appLogger } from '../../common/logging/json-logger';
import { runSql, sql } from '../../common/sql/sql';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { JobHandler, JobHandlerFor, JobQueue, JobRun } from '../../jobs/job-queue';

export const PRUNE_IMPORTS_JOB = 'prune-imports';
const HOURLY = 3600 * 1000;

/**
 * Housekeeping: an import's upload and its row errors are kept IMPORT_KEEP_DAYS after it ended (the
 * error report needs both), then removed; the job row itself stays as the import's history.
 */
@Injectable()
@JobHandlerFor({ queue: 'housekeeping', name: PRUNE_IMPORTS_JOB })
export class PruneImportsJob implements JobHandler, OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.queue.processes) await this.queue.addRepeating('housekeeping', PRUNE_IMPORTS_JOB, HOURLY);
  }

  async handle(job: JobRun): Promise<{ pruned: number }> {
    const expired = await runSql<{ organizationId: string; id: string; storedFile: string | null }>(
      this.dataSource,
      sql`SELECT organization_id AS "organizationId", id, stored_file AS "storedFile" FROM import_job
        WHERE finished_at < now() - make_interval(days => ${this.config.imports.keepDays})
          AND (stored_file IS NOT NULL OR EXISTS (SELECT 1 FROM import_error e WHERE e.organization_id = import_job.organization_id AND e.job_id = import_job.id))
        LIMIT 1000`,
    );
    for (const row of expired) {
      if (row.storedFile) await rm(join(this.config.imports.dir, row.storedFile), { force: true });
      await this.dataSource.transaction(async (tx) => {
        await runSql(
          tx,
          sql`DELETE FROM import_error WHERE organization_id = ${row.organizationId} AND job_id = ${row.id}`,
        );
        await runSql(
          tx,
          sql`UPDATE import_job SET stored_file = NULL WHERE organization_id = ${row.organizationId} AND id = ${row.id}`,
        );
      });
    }
    // A job whose every worker died (Bull gives up after repeated stalls without calling the handler)
    // would stay RUNNING for ever; a running job moves its row at every batch.
    const abandoned = await runSql(
      this.dataSource,
      sql`UPDATE import_job SET status = 'FAILED', finished_at = now(), error_code = 'INTERNAL',
              error_ru = 'Импорт остановился: обработчик не отвечает больше часа. Загруженные строки (до ' || checkpoint_row || '-й) сохранены — загрузите файл ещё раз',
              error_en = 'The import stopped: its worker has not answered for over an hour. Rows up to ' || checkpoint_row || ' were kept — upload the file again'
        WHERE status = 'RUNNING' AND updated_at < now() - interval '1 hour' RETURNING id`,
    );
    if (expired.length || abandoned.length)
      appLogger.info('pruned expired imports', { jobId: job.id, pruned: expired.length, abandoned: abandoned.length });
    return { pruned: expired.length };
  }
}
