import { Check, Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ExternalEntityType } from './external-id-enums';
import { CrmSpace } from '../kernel/crm-space';

/**
 * An identifier another system gives one of our records: `{space, system, value}` finds the record.
 * One table for every entity type, so the integration API resolves any of them the same way.
 */
@Entity('external_id')
@Index('uq_external_id_value', ['organizationId', 'entityType', 'space', 'system', 'value'], { unique: true })
@Index('ix_external_id_entity', ['organizationId', 'entityType', 'entityId'])
@Check('ck_external_id_space', `space IN ('OPERATION', 'CONSTRUCTION')`)
@Check('ck_external_id_entity_type', `entity_type IN ('BUILDING', 'PREMISES', 'ACCOUNT', 'CLIENT')`)
export class ExternalIdEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @Column({ type: 'text' })
  entityType: ExternalEntityType;

  @Column({ type: 'uuid' })
  entityId: string;

  @Column({ type: 'text' })
  space: CrmSpace;

  /** The other system's name, e.g. "1С", "billing", "amoCRM". */
  @Column({ type: 'text' })
  system: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
