import { Entity, ForeignKey, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { EmployeeEntity } from './employee.entity';

/**
 * The ticket categories an employee may see; none at all means every category. The categories are the
 * tickets module's (which depends on this one): named by their entity, not imported.
 */
@Entity('employee_specialization')
@ForeignKey('TicketCategoryEntity', ['organizationId', 'categoryId'], ['organizationId', 'id'], { onDelete: 'CASCADE' })
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
}
