import {
  Index,
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';

export interface EntranceRecord {
  number: number;
  floors: number;
}

/** A building (дом) the organization serves. */
@Entity('building')
@Index('ix_building_changes', ['organizationId', 'updatedAt', 'id'])
@Index('ix_building_street_house', { synchronize: false })
@Unique('uq_building_address', ['organizationId', 'addressKey'])
export class BuildingEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'text' })
  city: string;

  @Column({ type: 'text' })
  street: string;

  @Column({ type: 'text' })
  house: string;

  /** Корпус / строение, as written. */
  @Column({ type: 'text', nullable: true })
  block: string | null;

  @Column({ type: 'char', length: 6, nullable: true })
  postalIndex: string | null;

  /** Normalized address: the natural key imports and integrations match buildings by. */
  @Column({ type: 'text' })
  addressKey: string;

  /** Lower-cased display address for search and ordering. */
  @Column({ type: 'text' })
  searchText: string;

  @Column({ type: 'jsonb' })
  entrances: EntranceRecord[];

  /** Sanitized HTML of the reference sheet (справка по объекту). */
  @Column({ type: 'text', default: '' })
  referenceSheetHtml: string;

  @Column({ type: 'timestamptz', nullable: true })
  referenceSheetUpdatedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  referenceSheetUpdatedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
