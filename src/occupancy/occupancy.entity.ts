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
import { PremisesEntity } from '../premises/premises.entity';
import { OccupancyRole, OccupancySource } from './occupancy-enums';

/** A client attached to a premises with a role. `keepOnSync` = "Не удалять клиента при интеграции". */
@Entity('occupancy')
@Index('uq_occupancy', ['organizationId', 'premisesId', 'clientId'], { unique: true })
@Index('ix_occupancy_client', ['organizationId', 'clientId'])
@Check('ck_occupancy_role', `role IN ('OWNER', 'CO_OWNER', 'TENANT', 'FAMILY_MEMBER', 'REPRESENTATIVE', 'OTHER')`)
@Check('ck_occupancy_source', `source IN ('MANUAL', 'IMPORT', 'REGISTRATION', 'INTEGRATION')`)
export class OccupancyEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @Column({ type: 'uuid' })
  premisesId: string;

  @ManyToOne(() => PremisesEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'premises_id', referencedColumnName: 'id' },
  ])
  premises?: PremisesEntity;

  @Column({ type: 'uuid' })
  clientId: string;

  @ManyToOne(() => ClientEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'client_id', referencedColumnName: 'id' },
  ])
  client?: ClientEntity;

  @Column({ type: 'text' })
  role: OccupancyRole;

  @Column({ type: 'boolean', default: false })
  keepOnSync: boolean;

  @Column({ type: 'text' })
  source: OccupancySource;

  @CreateDateColumn({ type: 'timestamptz' })
  since: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
