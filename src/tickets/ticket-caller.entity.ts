import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A phone that has filed tickets, kept so the phone typeahead finds callers who have no client card
 * without scanning every ticket. One row per phone; `fullName` is the most complete name given.
 */
@Entity('ticket_caller')
@Index('uq_ticket_caller_phone', ['organizationId', 'phone'], { unique: true })
// (organization_id, phone_digits) INCLUDE (id) and a GIN trigram index on phone_digits, written by hand: short digit
// parts walk the first in phone order, longer ones use the second.
@Index('ix_ticket_caller_digits', { synchronize: false })
@Index('ix_ticket_caller_digits_trgm', { synchronize: false })
// GIN on phone_quadgrams(phone_digits), by hand: contained parts of four digits and more.
@Index('ix_ticket_caller_phone_quadgrams', { synchronize: false })
export class TicketCallerEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  /** E.164. */
  @Column({ type: 'text' })
  phone: string;

  @Column({ type: 'text', collation: 'C' })
  phoneDigits: string;

  @Column({ type: 'text', default: '' })
  fullName: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
