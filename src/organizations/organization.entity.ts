import { AutoAttachPolicy } from './auto-attach-setting';
import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A management company (УК/ТСЖ): the tenant every business row belongs to. */
@Entity('organization')
@Check('ck_organization_auto_attach_policy', `auto_attach_policy IN ('PREMISES_FOUND', 'ACCOUNT_CONFIRMED', 'NEVER')`)
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Residents may ask to be attached to premises from the app. */
  @Column({ type: 'boolean', default: true })
  selfRegistrationEnabled: boolean;

  /** Client types (e.g. legal entities) whose requests from the app are refused. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  selfRegistrationRefusedClientTypes: string[];

  /** Roles that read clients' personal data unmasked; null: the role matrix's default (ADMIN, MANAGER). See clients/personal-data.ts. */
  @Column({ type: 'text', array: true, nullable: true })
  personalDataRoles: string[] | null;
  /** When a registration from the app attaches at once (registration/auto-attach-policy.ts). */
  @Column({ type: 'text', default: AutoAttachPolicy.ACCOUNT_CONFIRMED })
  autoAttachPolicy: AutoAttachPolicy;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
