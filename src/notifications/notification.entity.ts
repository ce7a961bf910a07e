import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { NotificationChannel, NotificationStatus } from './notification-enums';

/**
 * The transactional outbox: a message is written in the same transaction as the change that causes
 * it and delivered afterwards by the `notifications` queue, so a change is never announced without
 * happening, nor happens without being announced, whatever the mail server is doing.
 */
@Entity('notification_outbox')
@Index('ix_notification_outbox_pending', ['status', 'createdAt'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** The organization whose change caused it (null for sign-in codes, which belong to no organization). */
  @Column({ type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ type: 'text' })
  channel: NotificationChannel;

  /** An e-mail address or an E.164 phone. */
  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  /** Emptied once delivered when `redactAfterDelivery` (sign-in codes must not outlive their use). */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'boolean', default: false })
  redactAfterDelivery: boolean;

  /** Same key = same message: writing it again is a no-op, so a retried change never sends twice. */
  @Column({ type: 'text', unique: true })
  dedupKey: string;

  @Column({ type: 'text', default: NotificationStatus.PENDING })
  status: NotificationStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
