import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { BuildingEntity } from '../buildings/building.entity';
import { ClientEntity } from '../clients/client.entity';
import { EmployeeEntity } from '../organizations/employee.entity';
import { PremisesEntity } from '../premises/premises.entity';
import { TicketCategoryEntity } from './ticket-category.entity';
import { TicketSource, TicketStatus } from './ticket-enums';

/**
 * A ticket (заявка). The caller's name, phone and address are a snapshot taken when it was filed:
 * the ticket keeps saying who called even if the client card changes, until the contact is edited
 * from the card (which rewrites every snapshot of that contact).
 */
@Entity('ticket')
@Index('uq_ticket_number', ['organizationId', 'number'], { unique: true })
@Index('ix_ticket_building', ['organizationId', 'buildingId', 'number'])
@Index('ix_ticket_premises', ['organizationId', 'premisesId', 'number'])
// A contact's places, by client card or (callers without one, a partial index) by phone, each carrying
// the building and premises so the places are read from the index alone: written by hand (INCLUDE).
@Index('ix_ticket_client_place', { synchronize: false })
@Index('ix_ticket_caller_place', { synchronize: false })
@Check('ck_ticket_status', `status IN ('NEW', 'IN_PROGRESS', 'DEFERRED', 'COMPLETED', 'CLOSED', 'CANCELLED')`)
@Check('ck_ticket_source', `source IN ('CALL', 'APP', 'EMAIL', 'VISIT', 'IMPORT')`)
export class TicketEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  /** Human-readable, sequential per organization. */
  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'uuid' })
  buildingId: string;

  @ManyToOne(() => BuildingEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'building_id', referencedColumnName: 'id' },
  ])
  building?: BuildingEntity;

  @Column({ type: 'integer', nullable: true })
  entrance: number | null;

  @Column({ type: 'integer', nullable: true })
  floor: number | null;

  @Column({ type: 'uuid', nullable: true })
  premisesId: string | null;

  @ManyToOne(() => PremisesEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'premises_id', referencedColumnName: 'id' },
  ])
  premises?: PremisesEntity;

  /** The premises, or the building for a ticket about the house itself: what the contact card groups by. */
  @Column({ type: 'uuid' })
  placeId: string;

  @Column({ type: 'uuid', nullable: true })
  categoryId: string | null;

  @ManyToOne(() => TicketCategoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'category_id', referencedColumnName: 'id' },
  ])
  category?: TicketCategoryEntity;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'boolean', default: false })
  emergency: boolean;

  @Column({ type: 'boolean', default: false })
  paid: boolean;

  @Column({ type: 'boolean', default: false })
  warranty: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  deadline: Date | null;

  @Column({ type: 'text', default: TicketStatus.NEW })
  status: TicketStatus;

  @Column({ type: 'text', default: TicketSource.CALL })
  source: TicketSource;

  @Column({ type: 'uuid', nullable: true })
  clientId: string | null;

  @ManyToOne(() => ClientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'client_id', referencedColumnName: 'id' },
  ])
  client?: ClientEntity;

  /** Snapshot: the caller's name as it was given. */
  @Column({ type: 'text', default: '' })
  contactName: string;

  /** Snapshot: E.164. */
  @Column({ type: 'text', nullable: true })
  contactPhone: string | null;

  /** Snapshot: the display address with the premises number. */
  @Column({ type: 'text', default: '' })
  contactAddress: string;

  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'assignee_id', referencedColumnName: 'id' },
  ])
  assignee?: EmployeeEntity;

  @Column({ type: 'uuid', nullable: true })
  executorId: string | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'executor_id', referencedColumnName: 'id' },
  ])
  executor?: EmployeeEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
