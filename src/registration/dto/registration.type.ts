import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ClientType } from '../../clients/client-enums';
import { Connection } from '../../common/pagination/connection';
import { OccupancyRole } from '../../occupancy/occupancy-enums';
import { PremisesType } from '../../premises/premises-type';
import { RegistrationAction, RegistrationStatus } from '../registration-enums';

@ObjectType('RegistrationEvent')
export class RegistrationEventType {
  @Field(() => ID)
  id: string;

  @Field(() => RegistrationAction)
  action: RegistrationAction;

  @Field(() => ID, { nullable: true, description: 'The employee; null for the resident or the system' })
  employeeId: string | null;

  @Field(() => String, { nullable: true })
  comment: string | null;

  @Field()
  at: Date;
}

@ObjectType('RegistrationRequest')
export class RegistrationRequestType {
  @Field(() => ID)
  id: string;

  @Field(() => RegistrationStatus)
  status: RegistrationStatus;

  @Field({ description: 'What the app shows for the status, e.g. «Заявка на регистрацию отклонена»' })
  statusText: string;

  @Field()
  statusTextEn: string;

  @Field()
  phone: string;

  @Field()
  fullName: string;

  @Field(() => ClientType)
  clientType: ClientType;

  @Field(() => String, { nullable: true })
  city: string | null;

  @Field()
  street: string;

  @Field()
  house: string;

  @Field(() => String, { nullable: true })
  block: string | null;

  @Field()
  premisesNumber: string;

  @Field(() => String, { nullable: true })
  accountNumber: string | null;

  @Field(() => OccupancyRole)
  role: OccupancyRole;

  @Field(() => ID, { nullable: true })
  buildingId: string | null;

  @Field(() => ID, { nullable: true, description: 'Set when identified or approved' })
  premisesId: string | null;

  @Field(() => ID, { nullable: true, description: 'The client card attached, once attached' })
  clientId: string | null;

  @Field(() => String, { nullable: true })
  rejectionReason: string | null;

  @Field(() => ID, { nullable: true })
  handledBy: string | null;

  @Field(() => Date, { nullable: true })
  handledAt: Date | null;

  @Field()
  createdAt: Date;
}

export const RegistrationRequestConnection = Connection(RegistrationRequestType, 'RegistrationRequest');

@ObjectType()
export class RegistrationRequestPayload {
  @Field(() => RegistrationRequestType)
  request: RegistrationRequestType;
}

@ObjectType('ResidentAccount', { description: 'A personal account as the resident sees it' })
export class ResidentAccountType {
  @Field()
  number: string;

  @Field()
  paymentsEnabled: boolean;

  @Field()
  active: boolean;
}

@ObjectType('ResidentPremises', { description: 'Premises the signed-in resident is attached to, in any organization' })
export class ResidentPremisesType {
  @Field(() => ID)
  premisesId: string;

  @Field(() => ID)
  organizationId: string;

  @Field()
  organizationName: string;

  @Field({ description: 'Building address as staff write it' })
  address: string;

  @Field(() => PremisesType)
  premisesType: PremisesType;

  @Field()
  premisesNumber: string;

  @Field(() => OccupancyRole)
  role: OccupancyRole;

  @Field(() => [ResidentAccountType], { description: 'Accounts of the premises, except those hidden from residents' })
  accounts: ResidentAccountType[];
}
