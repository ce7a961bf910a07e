import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';

/**
 * The last ticket number of an organization. Creating a ticket bumps it with UPDATE … RETURNING in
 * the ticket's own transaction: the row lock serializes concurrent creations, so no number repeats
 * and a rolled-back creation gives its number back.
 */
@Entity('ticket_counter')
export class TicketCounterEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'integer', default: 0 })
  lastNumber: number;
}
