import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { StaffPrincipal } from '../../access/principal';
import { DomainException, NotFoundException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { ConnectionShape, PageArgs } from '../../common/pagination/connection';
import { paginate } from '../../common/pagination/keyset';
import { runSql, sql } from '../../common/sql/sql';
import { requireOrganization } from '../../common/tenancy/require-organization';
import { isUuid } from '../../common/validation/is-uuid-or-not-found';
import { FINISHED_STATUSES, ImportMode, ImportStatus } from './import-enums';
import { ImportErrorEntity } from './import-error.entity';
import { ImportJobEntity } from './import-job.entity';
import { ImportJobType } from '../api/dto/import-job.type';

const JOB = { ru: 'Импорт', en: 'Import' };

export interface NewImportJob {
  mode: ImportMode;
  sync: boolean;
  /** Default false: a row listing an account under other premises is refused. */
  allowAccountMoves?: boolean;
  fileName: string;
  fileSize: number;
}

/** The job rows staff see: created on upload, read by the API, cancelled on request. */
@Injectable()
export class ImportJobsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(
    me: StaffPrincipal,
    job: NewImportJob,
    failure?: { code: string; ru: string; en: string },
  ): Promise<ImportJobEntity> {
    requireOrganization(me.organizationId);
    const now = new Date();
    const row = this.dataSource.getRepository(ImportJobEntity).create({
      organizationId: me.organizationId,
      createdBy: me.employeeId,
      crmSpace: me.crmSpace,
      status: failure ? ImportStatus.FAILED : ImportStatus.QUEUED,
      mode: job.mode,
      sync: job.sync,
      allowAccountMoves: job.allowAccountMoves ?? false,
      fileName: job.fileName,
      fileSize: job.fileSize,
      storedFile: null,
      errorCode: failure?.code ?? null,
      errorRu: failure?.ru ?? null,
      errorEn: failure?.en ?? null,
      finishedAt: failure ? now : null,
    });
    // insert() fills the generated id and timestamps into the entity it is given.
    await this.dataSource.getRepository(ImportJobEntity).insert(row);
    return row;
  }

  /** The queue refused the job (Redis down): the row must not wait forever. */
  async failToEnqueue(job: ImportJobEntity): Promise<void> {
    await this.dataSource.getRepository(ImportJobEntity).update(
      { organizationId: job.organizationId, id: job.id },
      {
        status: ImportStatus.FAILED,
        finishedAt: new Date(),
        storedFile: null,
        errorCode: 'INTERNAL',
        errorRu: 'Очередь импорта недоступна: загрузите файл ещё раз через несколько минут',
        errorEn: 'The import queue is unavailable: upload the file again in a few minutes',
      },
    );
  }

  async setStoredFile(organizationId: string, id: string, storedFile: string): Promise<void> {
    await this.dataSource.getRepository(ImportJobEntity).update({ organizationId, id }, { storedFile });
  }

  async get(organizationId: string, id: string): Promise<ImportJobEntity> {
    return this.getIn(this.dataSource.manager, organizationId, id);
  }

  /** `get` in the caller's transaction. */
  async getIn(manager: EntityManager, organizationId: string, id: string): Promise<ImportJobEntity> {
    requireOrganization(organizationId);
    const job = isUuid(id) ? await manager.getRepository(ImportJobEntity).findOneBy({ organizationId, id }) : null;
    if (!job) throw new NotFoundException(JOB, id);
    return job;
  }

  /** Newest first. */
  async list(organizationId: string, page: PageArgs, withTotal: boolean): Promise<ConnectionShape<ImportJobEntity>> {
    requireOrganization(organizationId);
    return paginate(
      this.dataSource,
      { entity: ImportJobEntity, alias: 'j', where: [sql`j.organization_id = ${organizationId}`] },
      page,
      [
        { sql: 'j.created_at', kind: 'timestamp', value: (j) => j.createdAt.toISOString() },
        { sql: 'j.id', kind: 'uuid', value: (j) => j.id },
      ],
      withTotal,
      'DESC',
    );
  }

  /** Row problems in row order. */
  async errors(
    organizationId: string,
    jobId: string,
    page: PageArgs,
    withTotal: boolean,
  ): Promise<ConnectionShape<ImportErrorEntity>> {
    return paginate(
      this.dataSource,
      {
        entity: ImportErrorEntity,
        alias: 'e',
        where: [sql`e.organization_id = ${organizationId} AND e.job_id = ${jobId}`],
      },
      page,
      [
        { sql: 'e.row', kind: 'int32', value: (e) => e.row },
        { sql: 'e.id', kind: 'int53', value: (e) => Number(e.id) },
      ],
      withTotal,
    );
  }

  /**
   * A queued job is cancelled at once; a running one stops between batches (what committed stays).
   * Cancelling a finished job is a CONFLICT: there is nothing left to stop.
   */
  async cancel(organizationId: string, id: string): Promise<ImportJobEntity> {
    return this.dataSource.transaction(async (tx) => {
      await this.getIn(tx, organizationId, id);
      await runSql(
        tx,
        sql`SELECT 1 FROM import_job WHERE organization_id = ${organizationId} AND id = ${id} FOR UPDATE`,
      );
      const fresh = await this.getIn(tx, organizationId, id);
      if (FINISHED_STATUSES.includes(fresh.status)) {
        throw new DomainException(ErrorCode.CONFLICT, {
          ru: `Импорт уже завершён (статус ${fresh.status}): отменять нечего`,
          en: `The import has already finished (status ${fresh.status}): nothing to cancel`,
        });
      }
      const changes: Partial<ImportJobEntity> =
        fresh.status === ImportStatus.QUEUED
          ? {
              status: ImportStatus.CANCELLED,
              cancelRequested: true,
              finishedAt: new Date(),
              errorCode: 'CANCELLED',
              errorRu: 'Импорт отменён до начала: ничего не загружено',
              errorEn: 'The import was cancelled before it started: nothing was loaded',
            }
          : { cancelRequested: true };
      await tx.getRepository(ImportJobEntity).update({ organizationId, id }, changes);
      return Object.assign(fresh, changes);
    });
  }
}

/** The API's view of a job row. */
export function toImportJobType(job: ImportJobEntity): ImportJobType {
  return {
    id: job.id,
    status: job.status,
    mode: job.mode,
    sync: job.sync,
    allowAccountMoves: job.allowAccountMoves,
    fileName: job.fileName,
    fileSize: job.fileSize,
    totalRows: job.totalRows,
    processedRows: job.processedRows,
    created: job.created,
    updated: job.updated,
    unchanged: job.unchanged,
    detached: job.detached,
    failed: job.failed,
    percent: job.percent,
    rowsPerSecond: job.rowsPerSecond,
    error: job.errorCode ? { code: job.errorCode, message: job.errorRu ?? '', messageEn: job.errorEn ?? '' } : null,
    createdAt: new Date(job.createdAt),
    startedAt: job.startedAt ? new Date(job.startedAt) : null,
    finishedAt: job.finishedAt ? new Date(job.finishedAt) : null,
  };
}
