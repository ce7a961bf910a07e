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
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { BuildingEntity } from '../buildings/building.entity';
import { decimalTransformer } from '../database/columns';
import { PremisesType } from './premises-type';

/** A premises (помещение): flat, office, parking space, storage room… */
@Entity('premises')
@Unique('uq_premises_number', ['organizationId', 'buildingId', 'type', 'numberKey'])
@Index('ix_premises_changes', ['organizationId', 'updatedAt', 'id'])
@Index('ix_premises_number_sort', ['organizationId', 'numberSort', 'id'])
@Index('ix_premises_building_sort', ['organizationId', 'buildingId', 'numberSort', 'id'])
@Check('ck_premises_type', `type IN ('FLAT', 'NON_RESIDENTIAL', 'PARKING', 'STORAGE', 'COMMERCIAL')`)
@Check('ck_premises_area', 'area IS NULL OR area > 0')
export class PremisesEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @Column({ type: 'uuid' })
  buildingId: string;

  @ManyToOne(() => BuildingEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'building_id', referencedColumnName: 'id' },
  ])
  building?: BuildingEntity;

  @Column({ type: 'text' })
  type: PremisesType;

  /** As written by staff: "12", "12А", "П-3". */
  @Column({ type: 'text' })
  number: string;

  /** Normalized number for uniqueness and lookup ("12а", "12 A" and "12А" are one premises). */
  @Column({ type: 'text' })
  numberKey: string;

  /** Natural sort key: digit runs zero-padded so that 2 sorts before 10. */
  @Column({ type: 'text' })
  numberSort: string;

  @Column({ type: 'integer', nullable: true })
  entrance: number | null;

  @Column({ type: 'integer', nullable: true })
  floor: number | null;

  @Column({ type: 'numeric', precision: 12, scale: 2, nullable: true, transformer: decimalTransformer })
  area: string | null;

  @Column({ type: 'integer', nullable: true })
  rooms: number | null;

  @Column({ type: 'text', nullable: true })
  cadastralNumber: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
