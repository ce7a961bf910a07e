import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Generated } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';

/**
 * A node of the ticket classifier (place → category → problem). Employees' specializations point
 * here; the tickets module grows the rest of the classifier.
 */
@Entity('ticket_category')
@Index('ix_ticket_category_parent', ['organizationId', 'parentId'])
export class TicketCategoryEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => TicketCategoryEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'parent_id', referencedColumnName: 'id' },
  ])
  parent?: TicketCategoryEntity;

  @Column({ type: 'text' })
  name: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
