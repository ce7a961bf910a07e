import { DateTimeScalar } from '../common/graphql/date-time.scalar';
import { ImportsResolver } from '../imports/api/imports.resolver';
import { JobQueuesResolver } from '../jobs/job-queues.resolver';
import { ImportProgressResolver } from '../imports/api/import-progress.resolver';
import { IntegrationResolver } from '../integration/integration.resolver';
import { AccountsResolver, PremisesAccountsResolver } from '../accounts/accounts.resolver';
import { AuditLogResolver } from '../audit-log/audit-log.resolver';
import { ClientsResolver } from '../clients/clients.resolver';
import { ClientOccupancyResolver, OccupancyResolver, PremisesOccupancyResolver } from '../occupancy/occupancy.resolver';
import { AuthResolver } from '../auth/auth.resolver';
import { BuildingsResolver, ReferenceSheetResolver } from '../buildings/buildings.resolver';
import { EmployeesResolver } from '../organizations/employees.resolver';
import { PremisesResolver } from '../premises/premises.resolver';
import { OrganizationsResolver } from '../organizations/organizations.resolver';
import { ResidentsResolver } from '../residents/residents.resolver';
import { RegistrationResolver } from '../registration/registration.resolver';
import { TicketsResolver } from '../tickets/tickets.resolver';
import { ExternalIdResolver } from '../external-ids/external-id.resolver';
import {
  ContactAddressResolver,
  ContactCardResolver,
  ContactMatchResolver,
  ContactResolver,
} from '../contact-card/contact-card.resolver';

/**
 * Every resolver of the API, for printing schema.gql without starting the server.
 * The stale-schema test compares the running server's schema with the file, so a resolver
 * missing here shows up there.
 */
export const SCHEMA_RESOLVERS = [
  JobQueuesResolver,
  AuthResolver,
  EmployeesResolver,
  BuildingsResolver,
  ReferenceSheetResolver,
  PremisesResolver,
  ClientsResolver,
  OccupancyResolver,
  PremisesOccupancyResolver,
  ClientOccupancyResolver,
  AccountsResolver,
  PremisesAccountsResolver,
  AuditLogResolver,
  IntegrationResolver,
  ImportsResolver,
  ImportProgressResolver,
  OrganizationsResolver,
  ResidentsResolver,
  RegistrationResolver,
  TicketsResolver,
  ContactCardResolver,
  ContactMatchResolver,
  ContactResolver,
  ContactAddressResolver,
  ExternalIdResolver,
];

/** How the schema is built, for the server and for `npm run schema:print` alike: implicit `Date` fields are our strict DateTime. */
export const SCHEMA_BUILD_OPTIONS = { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] };
