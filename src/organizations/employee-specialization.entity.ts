import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { EmployeeEntity } from './employee.entity';
import { TicketCategoryEntity } from '../tickets/ticket-category.entity';

/** The ticket categories an employee may see; none at all means every category. */
@Entity('employee_specialization')
export class EmployeeSpecializationEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  employeeId: string;

  @PrimaryColumn({ type: 'uuid' })
  categoryId: string;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'employee_id', referencedColumnName: 'id' },
  ])
  employee?: EmployeeEntity;

  @ManyToOne(() => TicketCategoryEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'category_id', referencedColumnName: 'id' },
  ])
  category?: TicketCategoryEntity;
}
