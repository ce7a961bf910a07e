import { AuthSessionEntity } from '../auth/auth-session.entity';
import { BuildingEntity } from '../buildings/building.entity';
import { EmployeeSpecializationEntity } from '../organizations/employee-specialization.entity';
import { EmployeeEntity } from '../organizations/employee.entity';
import { OrganizationEntity } from '../organizations/organization.entity';
import { PremisesEntity } from '../premises/premises.entity';
import { TicketCategoryEntity } from '../tickets/ticket-category.entity';

/** Every entity, in one list shared by the application, the migration CLI and the drift test. */
export const ENTITIES = [
  OrganizationEntity,
  EmployeeEntity,
  EmployeeSpecializationEntity,
  AuthSessionEntity,
  TicketCategoryEntity,
  BuildingEntity,
  PremisesEntity,
];
