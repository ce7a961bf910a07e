import {
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
import { OrganizationEntity } from '../organizations/organization.entity';
import { ClientType } from '../clients/client-enums';
import { OccupancyRole } from '../occupancy/occupancy-enums';
import { RegistrationStatus } from './registration-enums';
import { RegistrationHoldReason } from './auto-attach-policy';

/** A resident's request, from the app, to be attached to premises of one organization. */
@Entity('registration_request')
@Index('ix_registration_request_status', ['organizationId', 'status', 'createdAt', 'id'])
@Index('ix_registration_request_phone', ['phone'])
// One open request per phone and premises (or address + number when the premises is unknown):
// submitting again returns it instead of spamming staff.
@Index('uq_registration_request_pending', ['organizationId', 'phone', 'dedupKey'], {
  unique: true,
  where: `status = 'PENDING'`,
})
export class RegistrationRequestEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'text' })
  phone: string;

  @Column({ type: 'uuid', nullable: true })
  residentId: string | null;

  @Column({ type: 'text' })
  fullName: string;

  @Column({ type: 'text' })
  clientType: ClientType;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text' })
  street: string;

  @Column({ type: 'text' })
  house: string;

  @Column({ type: 'text', nullable: true })
  block: string | null;

  @Column({ type: 'text' })
  premisesNumber: string;

  @Column({ type: 'text', nullable: true })
  accountNumber: string | null;

  @Column({ type: 'text' })
  role: OccupancyRole;

  @Column({ type: 'text', default: RegistrationStatus.PENDING })
  status: RegistrationStatus;

  @Column({ type: 'text' })
  dedupKey: string;

  /** The building the address matched (always known: an unknown address is refused). */
  @Column({ type: 'uuid', nullable: true })
  buildingId: string | null;

  /** Known at once when identified, or chosen by the employee who approves. */
  @Column({ type: 'uuid', nullable: true })
  premisesId: string | null;

  @Column({ type: 'uuid', nullable: true })
  clientId: string | null;

  /** Why a PENDING request was not attached at once (auto-attach-policy.ts); null once handled or attached. */
  @Column({ type: 'text', nullable: true })
  holdReason: RegistrationHoldReason | null;

  @Column({ type: 'text', nullable: true })
  rejectionReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  handledBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  handledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
