import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A problem with one row (or one cell) of an import; the row may still have imported (a bad phone among good data). */
@Entity('import_error')
@Index('ix_import_error_job', ['organizationId', 'jobId', 'row', 'id'])
export class ImportErrorEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  jobId: string;

  /** The row number in the sheet, as staff see it in Excel. */
  @Column({ type: 'integer' })
  row: number;

  /** The column's header, e.g. «Телефоны»; null for a problem of the whole row. */
  @Column({ type: 'text', nullable: true })
  column: string | null;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  messageRu: string;

  @Column({ type: 'text' })
  messageEn: string;

  /** Whether the row was left out (true) or imported without the bad cell (false). */
  @Column({ type: 'boolean' })
  rowSkipped: boolean;
}
