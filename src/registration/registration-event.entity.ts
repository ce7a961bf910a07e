import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { RegistrationAction } from './registration-enums';

/** The request's history as staff read it: who did what, when, with which comment or reason. */
@Entity('registration_event')
@Index('ix_registration_event_request', ['organizationId', 'requestId', 'id'])
export class RegistrationEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @Column({ type: 'text' })
  action: RegistrationAction;

  /** Null when the resident acted (submitted) or the system did (auto-attach). */
  @Column({ type: 'uuid', nullable: true })
  employeeId: string | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
