import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ClientEntity } from './client.entity';
import { TagEntity } from './tag.entity';

@Entity('client_tag')
@Index('ix_client_tag_tag', ['organizationId', 'tagId', 'clientId'])
export class ClientTagEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  clientId: string;

  @PrimaryColumn({ type: 'uuid' })
  tagId: string;

  @ManyToOne(() => ClientEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'client_id', referencedColumnName: 'id' },
  ])
  client?: ClientEntity;

  @ManyToOne(() => TagEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'tag_id', referencedColumnName: 'id' },
  ])
  tag?: TagEntity;
}
