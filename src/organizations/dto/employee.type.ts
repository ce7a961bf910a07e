import { AutoAttachPolicy } from '../auto-attach-setting';
import { CrmSpace } from '../../kernel/crm-space';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { EmployeeRole } from '../../kernel/role';
import { ClientType } from '../../clients/client-enums';
import { personalDataRolesOf } from '../../clients/personal-data';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

@ObjectType('Organization')
export class OrganizationType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'Residents may ask to be attached to premises from the app' })
  selfRegistrationEnabled: boolean;

  @Field(() => [ClientType], {
    description: 'Client types whose registration requests from the app are refused (e.g. legal entities)',
  })
  selfRegistrationRefusedClientTypes: ClientType[];

  @Field(() => [EmployeeRole], {
    description: 'Roles that read clients’ personal data unmasked (ADMIN always does)',
    middleware: [({ source }) => personalDataRolesOf(source as { personalDataRoles: string[] | null })],
  })
  personalDataRoles: EmployeeRole[];
  @Field(() => AutoAttachPolicy, {
    description:
      'When a registration from the app attaches its author as owner at once; an owner already there always sends it to staff',
  })
  autoAttachPolicy: AutoAttachPolicy;
}

@ObjectType('TicketCategory', { description: 'A node of the ticket classifier (place → category → problem)' })
export class TicketCategoryType {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true })
  parentId: string | null;

  @Field()
  name: string;
}

@ObjectType('Employee')
export class EmployeeType {
  @Field(() => ID)
  id: string;

  organizationId: string;

  @Field()
  email: string;

  @Field()
  fullName: string;

  @Field(() => String, { nullable: true })
  phone: string | null;

  @Field(() => EmployeeRole)
  role: EmployeeRole;

  @Field({ description: 'Получение заявок на регистрацию от неверифицированных клиентов' })
  receivesRegistrationRequests: boolean;

  @Field({ description: 'Blocked employees cannot sign in' })
  blocked: boolean;

  @Field(() => CrmSpace, { description: 'The CRM space the employee works in; they see only its external identifiers' })
  crmSpace: CrmSpace;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => DateTimeScalar)
  updatedAt: Date;
}
