import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What a sync import's file lists: every premises, and each client it names there. The sync step
 * detaches import-attached clients of those premises that are not listed. Kept in the database, not in
 * memory, so a resumed job still knows what the rows before its checkpoint listed; deleted when the job ends.
 */
@Entity('import_listed')
@Index('ix_import_listed', ['organizationId', 'jobId', 'premisesId', 'clientId'])
export class ImportListedEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  jobId: string;

  @Column({ type: 'uuid' })
  premisesId: string;

  /** Null for a row that lists the premises without a client. */
  @Column({ type: 'uuid', nullable: true })
  clientId: string | null;

  /** A row of this premises failed: its resident is in the file but unknown, so sync leaves the premises alone. */
  @Column({ type: 'boolean', default: false })
  keepAll: boolean;
}
