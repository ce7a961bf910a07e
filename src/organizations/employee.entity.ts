import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { OrganizationEntity } from './organization.entity';
import { EmployeeRole } from '../kernel/role';
import { CrmSpace } from '../kernel/crm-space';

/**
 * A staff login. E-mail is unique across organizations because `login` takes only e-mail and
 * password; the table is small and global (a reference table if the tenant tables are sharded).
 */
@Entity('employee')
@Unique('uq_employee_organization_id_id', ['organizationId', 'id'])
@Check('ck_employee_crm_space', `crm_space IN ('OPERATION', 'CONSTRUCTION')`)
@Check('ck_employee_role', `role IN ('ADMIN', 'MANAGER', 'DISPATCHER', 'TECHNICIAN', 'VIEWER')`)
export class EmployeeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  /** Stored lower-cased. */
  @Index('uq_employee_email', { unique: true })
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  passwordHash: string;

  @Column({ type: 'text' })
  fullName: string;

  /** E.164, as clients' phones: the dispatcher's card finds staff by it (contact-card/phone-resolver.ts). */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text' })
  role: EmployeeRole;

  @Column({ type: 'boolean', default: false })
  receivesRegistrationRequests: boolean;

  @Column({ type: 'boolean', default: false })
  blocked: boolean;

  /** The CRM space the employee works in: they see and edit only that space's external identifiers. */
  @Column({ type: 'text', default: CrmSpace.OPERATION })
  crmSpace: CrmSpace;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
