import { Field, FieldMiddleware, ID, ObjectType } from '@nestjs/graphql';
import { personalDataField } from '../personal-data';
import { Connection } from '../../common/pagination/connection';
import { ExternalIdType } from '../../external-ids/dto/external-id.type';
import { ClientStatus, ClientType, Gender } from '../client-enums';
import { fullName, NameParts } from '../client-names';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

/**
 * Computed from the card's own columns, so a field middleware rather than a @ResolveField: Nest runs
 * guards, pipes and interceptors around every call of a resolver method, once per client of a page.
 */
const fullNameOfSource: FieldMiddleware<NameParts> = ({ source }) => fullName(source);

@ObjectType('Tag', { description: 'A word from the organization’s tag vocabulary' })
export class TagType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;
}

@ObjectType('Client', { description: 'Клиент: a resident, owner or legal entity' })
export class ClientObjectType {
  @Field(() => ID)
  id: string;

  organizationId: string;

  @Field(() => ClientStatus)
  status: ClientStatus;

  @Field(() => ClientType)
  type: ClientType;

  @Field({ description: 'May see services and promotions under test' })
  tester: boolean;

  @Field(() => String, {
    description: '"Иванов Иван Иванович" or the organization’s name',
    middleware: [fullNameOfSource],
  })
  fullName: string;

  @Field(() => String, { nullable: true })
  lastName: string | null;

  @Field(() => String, { nullable: true })
  firstName: string | null;

  @Field(() => String, { nullable: true })
  middleName: string | null;

  @Field(() => String, { nullable: true })
  organizationName: string | null;

  @Field(() => Gender, { nullable: true })
  gender: Gender | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD', middleware: [personalDataField] })
  birthDate: string | null;

  @Field(() => String, { nullable: true, description: 'E.164 (+79161234567): the app login' })
  phone: string | null;

  @Field(() => [String], { description: 'Additional phones, E.164' })
  extraPhones: string[];

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => String, { nullable: true, middleware: [personalDataField] })
  passportSeries: string | null;

  @Field(() => String, { nullable: true, middleware: [personalDataField] })
  passportNumber: string | null;

  @Field(() => String, { nullable: true, middleware: [personalDataField] })
  passportIssuedBy: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD', middleware: [personalDataField] })
  passportIssuedOn: string | null;

  @Field(() => String, { nullable: true, middleware: [personalDataField] })
  passportComment: string | null;

  @Field(() => String, { nullable: true, middleware: [personalDataField] })
  registrationAddress: string | null;

  @Field(() => String, { nullable: true })
  postalIndex: string | null;

  @Field(() => String, { nullable: true })
  addressComment: string | null;

  @Field(() => String, { nullable: true, middleware: [personalDataField] })
  inn: string | null;

  @Field(() => String, { nullable: true, description: '11 digits', middleware: [personalDataField] })
  snils: string | null;

  @Field(() => String, { nullable: true })
  loyaltyCardNumber: string | null;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => DateTimeScalar)
  updatedAt: Date;
}

@ObjectType()
export class ClientPayload {
  @Field(() => ClientObjectType)
  client: ClientObjectType;

  @Field({
    description:
      'True when the identity rule found the same person (same full name and phone) and merged into their card',
  })
  merged: boolean;

  @Field(() => [SharedPhoneType], {
    description: 'createClient: phones kept on this card as contact phones because another card signs in with them',
  })
  sharedPhones: SharedPhoneType[];
}

@ObjectType('SharedPhone', {
  description: 'A phone two people share: a contact phone here, the resident-app login of another card',
})
export class SharedPhoneType {
  @Field()
  phone: string;

  @Field(() => ID)
  loginClientId: string;

  @Field()
  loginClientName: string;
}

@ObjectType()
export class MergeClientsPayload {
  @Field(() => ClientObjectType)
  client: ClientObjectType;

  @Field(() => ID)
  removedClientId: string;
}

@ObjectType()
export class ExternalIdPayload {
  @Field(() => ExternalIdType)
  externalId: ExternalIdType;

  @Field(() => ClientObjectType)
  client: ClientObjectType;
}

@ObjectType()
export class RemoveExternalIdPayload {
  @Field(() => ID)
  removedId: string;

  @Field(() => ClientObjectType)
  client: ClientObjectType;
}

export const ClientConnection = Connection(ClientObjectType, 'Client');
