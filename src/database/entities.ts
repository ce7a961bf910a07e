import { AuthSessionEntity } from '../auth/auth-session.entity';
import { BuildingEntity } from '../buildings/building.entity';
import { EmployeeSpecializationEntity } from '../organizations/employee-specialization.entity';
import { EmployeeEntity } from '../organizations/employee.entity';
import { OrganizationEntity } from '../organizations/organization.entity';
import { PremisesEntity } from '../premises/premises.entity';
import { TicketCategoryEntity } from '../tickets/ticket-category.entity';
import { ClientEntity } from '../clients/client.entity';
import { TagEntity } from '../clients/tag.entity';
import { ClientTagEntity } from '../clients/client-tag.entity';
import { ExternalIdEntity } from '../external-ids/external-id.entity';
import { AccountEntity } from '../accounts/account.entity';
import { OccupancyEntity } from '../occupancy/occupancy.entity';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { RateLimitCounterEntity } from '../rate-limit/rate-limit-counter.entity';
import { NotificationEntity } from '../notifications/notification.entity';
import { ResidentEntity } from '../residents/resident.entity';
import { ResidentSessionEntity } from '../residents/resident-session.entity';
import { SignInCodeEntity } from '../residents/sign-in-code.entity';
import { RegistrationRequestEntity } from '../registration/registration-request.entity';
import { RegistrationEventEntity } from '../registration/registration-event.entity';
import { TicketEntity } from '../tickets/ticket.entity';
import { TicketCounterEntity } from '../tickets/ticket-counter.entity';
import { TicketCallerEntity } from '../tickets/ticket-caller.entity';
import { ImportJobEntity } from '../imports/job/import-job.entity';
import { ImportErrorEntity } from '../imports/job/import-error.entity';
import { ImportListedEntity } from '../imports/write/import-listed.entity';

/** Every entity, in one list shared by the application, the migration CLI and the drift test. */
export const ENTITIES = [
  OrganizationEntity,
  EmployeeEntity,
  EmployeeSpecializationEntity,
  AuthSessionEntity,
  TicketCategoryEntity,
  BuildingEntity,
  PremisesEntity,
  ClientEntity,
  TagEntity,
  ClientTagEntity,
  ExternalIdEntity,
  AccountEntity,
  OccupancyEntity,
  AuditEntryEntity,
  RateLimitCounterEntity,
  NotificationEntity,
  ResidentEntity,
  ResidentSessionEntity,
  SignInCodeEntity,
  RegistrationRequestEntity,
  RegistrationEventEntity,
  TicketEntity,
  TicketCounterEntity,
  TicketCallerEntity,
  ImportJobEntity,
  ImportErrorEntity,
  ImportListedEntity,
];
