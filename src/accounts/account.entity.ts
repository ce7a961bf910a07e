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
import { ClientEntity } from '../clients/client.entity';
import { decimalTransformer } from '../database/columns';
import { PremisesEntity } from '../premises/premises.entity';
import { AccountStatus } from './account-status';

/** A personal account (лицевой счёт) of a premises. The number is text: leading zeros matter. */
@Entity('account')
@Index('uq_account_number', ['organizationId', 'numberKey'], { unique: true })
@Index('ix_account_premises', ['organizationId', 'premisesId'])
@Index('ix_account_owner', ['organizationId', 'ownerClientId'])
@Index('ix_account_changes', ['organizationId', 'updatedAt', 'id'])
@Check('ck_account_status', `status IN ('ACTIVE', 'CLOSED')`)
@Check('ck_account_share', 'area_share IS NULL OR (area_share > 0 AND area_share <= 1)')
export class AccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @Column({ type: 'text' })
  number: string;

  /** The number without spaces, upper-cased: what uniqueness and lookup use. */
  @Column({ type: 'text', collation: 'C' })
  numberKey: string;

  @Column({ type: 'uuid' })
  premisesId: string;

  @ManyToOne(() => PremisesEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'premises_id', referencedColumnName: 'id' },
  ])
  premises?: PremisesEntity;

  @Column({ type: 'uuid', nullable: true })
  ownerClientId: string | null;

  @ManyToOne(() => ClientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'owner_client_id', referencedColumnName: 'id' },
  ])
  ownerClient?: ClientEntity;

  @Column({ type: 'date', nullable: true })
  openedOn: string | null;

  @Column({ type: 'date', nullable: true })
  closedOn: string | null;

  @Column({ type: 'text', default: AccountStatus.ACTIVE })
  status: AccountStatus;

  /** Share of the premises' area this account is billed for (0 < share ≤ 1). */
  @Column({ type: 'numeric', precision: 5, scale: 4, nullable: true, transformer: decimalTransformer })
  areaShare: string | null;

  /** "Не отображать в ЛК жителя", e.g. the developer's account of a sold flat. */
  @Column({ type: 'boolean', default: false })
  hiddenFromResident: boolean;

  @Column({ type: 'boolean', default: true })
  paymentsEnabled: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
