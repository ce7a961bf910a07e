import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AccountType } from '../../accounts/dto/account.type';
import { OccupancyRole } from '../../occupancy/occupancy-enums';
import { OccupancyType } from '../../occupancy/dto/occupancy.type';
import { PremisesObjectType } from '../../premises/dto/premises.type';
import { TicketType } from '../../tickets/dto/ticket.type';
import type { TicketEntity } from '../../tickets/ticket.entity';
import { Contact, ContactKind } from '../contact';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

@ObjectType('Contact', { description: 'Who calls: a client, a caller without a client card, or an employee' })
export class ContactType {
  @Field(() => ID, { description: 'The client’s, the caller’s or the employee’s id' })
  id: string;

  @Field(() => ContactKind)
  kind: ContactKind;

  @Field()
  fullName: string;

  @Field(() => String, {
    nullable: true,
    description: 'Main phone, E.164 (for a client card its login, see loginPhone)',
  })
  phone: string | null;

  @Field(() => [String], { description: 'Every phone of the contact, E.164' })
  phones: string[];

  @Field(() => String, { nullable: true })
  email: string | null;
}

/** One place of a contact: a premises they live in or filed tickets about, or a house for house-wide tickets. */
export interface ContactAddress {
  contact: Contact;
  placeId: string;
  buildingId: string;
  premisesId: string | null;
  role: OccupancyRole | null;
  /** The newest tickets there, when read together with the places (up to FIRST_PAGE_PREFETCH). */
  firstPage?: TicketEntity[];
}

@ObjectType('ContactAddress', {
  description: 'An address of the contact within your organization, with their tickets there',
})
export class ContactAddressType {
  @Field(() => OccupancyRole, {
    nullable: true,
    description: 'Their role at the premises; null when they only filed tickets there',
  })
  role: OccupancyRole | null;
}

@ObjectType('ContactMatch', { description: 'A typeahead hit: the contact and a preview of their addresses' })
export class ContactMatchType {
  @Field(() => ContactType)
  contact: Contact;

  addresses: ContactAddress[];
}

@ObjectType('AppStatus', { description: 'The resident mobile app' })
export class AppStatusType {
  @Field()
  usesApp: boolean;

  @Field(() => DateTimeScalar, { nullable: true })
  lastSeenAt: Date | null;
}

@ObjectType('PaymentAccess', {
  description:
    'Whether the contact can pay in the app: a visible account with payments enabled on one of their premises',
})
export class PaymentAccessType {
  @Field()
  enabled: boolean;

  @Field(() => [AccountType], { description: 'The visible accounts with payments enabled' })
  accounts: AccountType[];
}

@ObjectType('ContactCard', { description: 'Карточка контакта' })
export class ContactCardType {
  @Field(() => ContactType)
  contact: Contact;
}

@ObjectType()
export class UpdateContactPayload {
  @Field(() => ContactType)
  contact: Contact;

  @Field({ description: 'How many earlier tickets took the new name' })
  ticketsUpdated: number;
}

@ObjectType()
export class AddContactAddressPayload {
  @Field(() => ContactType)
  contact: Contact;

  @Field(() => PremisesObjectType)
  premises: PremisesObjectType;

  @Field(() => OccupancyType)
  occupancy: OccupancyType;
}

@ObjectType()
export class CreateTicketFromCardPayload {
  @Field(() => TicketType)
  ticket: TicketType;
}
