import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AuditEntityType } from './audit-enums';
import { AuditChannel } from '../kernel/actor';

/** One change: who, when, through which channel, and the changed fields before and after. */
@Entity('audit_entry')
@Index('ix_audit_entity', ['organizationId', 'entityType', 'entityId', 'id'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  entityType: AuditEntityType;

  @Column({ type: 'uuid' })
  entityId: string;

  /** created, updated, blocked, phone_changed, merged_into, tag_added, … */
  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  channel: AuditChannel;

  /** The import job id or the integration system, when the channel has one. */
  @Column({ type: 'text', nullable: true })
  channelRef: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorEmployeeId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
