import { Check, Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { CrmSpace } from '../kernel/crm-space';
import { ImportMode, ImportStatus } from './import-enums';

/**
 * One upload and its processing. Counters and the checkpoint are written in the same transaction as
 * the batch they describe, so a worker that dies mid-job is resumed from exactly what committed.
 */
@Entity('import_job')
@Index('ix_import_job_list', ['organizationId', 'createdAt', 'id'])
@Check('ck_import_job_status', `status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')`)
@Check('ck_import_job_mode', `mode IN ('DRY_RUN', 'MERGE', 'REPLACE')`)
export class ImportJobEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  /** Whose external identifiers the file's «Внешний ID» cells are, when a row does not say. */
  @Column({ type: 'text' })
  crmSpace: CrmSpace;

  @Column({ type: 'text' })
  status: ImportStatus;

  @Column({ type: 'text' })
  mode: ImportMode;

  @Column({ type: 'boolean' })
  sync: boolean;

  @Column({ type: 'text' })
  fileName: string;

  /** Where the upload is kept (under IMPORT_DIR) until the job and its error report expire. */
  @Column({ type: 'text', nullable: true })
  storedFile: string | null;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  fileSize: number;

  @Column({ type: 'integer', nullable: true })
  totalRows: number | null;

  /** Data rows read so far (imported and failed). */
  @Column({ type: 'integer', default: 0 })
  processedRows: number;

  /** The sheet row number up to which everything has committed (1 = only the header). */
  @Column({ type: 'integer', default: 1 })
  checkpointRow: number;

  /** True once the sync step (detaching what the file no longer lists) has committed. */
  @Column({ type: 'boolean', default: false })
  syncDone: boolean;

  @Column({ type: 'integer', default: 0 })
  created: number;

  @Column({ type: 'integer', default: 0 })
  updated: number;

  @Column({ type: 'integer', default: 0 })
  unchanged: number;

  @Column({ type: 'integer', default: 0 })
  detached: number;

  @Column({ type: 'integer', default: 0 })
  failed: number;

  @Column({ type: 'real', default: 0 })
  percent: number;

  @Column({ type: 'real', default: 0 })
  rowsPerSecond: number;

  @Column({ type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ type: 'text', nullable: true })
  errorRu: string | null;

  @Column({ type: 'text', nullable: true })
  errorEn: string | null;

  @Column({ type: 'boolean', default: false })
  cancelRequested: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
