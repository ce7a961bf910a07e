import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { IsPhone } from '../../common/validation/phone';
import { msg } from '../../common/validation/messages';
import { OccupancyRole } from '../../occupancy/occupancy-enums';
import { PremisesType } from '../../premises/premises-type';
import { TicketFieldsInput } from '../../tickets/dto/ticket.input';

const FULL_NAME = Length(1, 300, { message: msg('ФИО от 1 до 300 символов', 'full name must be 1–300 characters') });
const EMAIL = IsEmail({}, { message: msg('некорректный e-mail', 'invalid e-mail') });

@InputType()
export class UpdateContactInput {
  @Field(() => ID)
  contactId: string;

  @Field({ description: 'The canonical full name: every earlier ticket of the contact takes it' })
  @FULL_NAME
  fullName: string;

  @Field(() => String, {
    nullable: true,
    description: 'Giving an e-mail or a role to a caller without a card creates their client card',
  })
  @IsOptional()
  @EMAIL
  email?: string | null;

  @Field(() => OccupancyRole, { nullable: true })
  @IsOptional()
  role?: OccupancyRole | null;

  @Field(() => ID, { nullable: true, description: 'Where the role applies; omitted: every premises of the contact' })
  @IsOptional()
  premisesId?: string | null;
}

@InputType()
export class AddContactAddressInput {
  @Field(() => ID)
  contactId: string;

  @Field(() => String, {
    nullable: true,
    description: 'Needed only when the organization serves the same street in two cities',
  })
  @IsOptional()
  @MaxLength(100)
  city?: string | null;

  @Field()
  @Length(1, 200, { message: msg('укажите улицу', 'street is required') })
  street: string;

  @Field()
  @Length(1, 20, { message: msg('укажите дом', 'house is required') })
  house: string;

  @Field(() => String, { nullable: true, description: 'Корпус / строение' })
  @IsOptional()
  @MaxLength(20)
  block?: string | null;

  @Field()
  @Length(1, 20, { message: msg('номер помещения — от 1 до 20 символов', 'premises number must be 1–20 characters') })
  premisesNumber: string;

  @Field(() => PremisesType, { defaultValue: PremisesType.FLAT })
  premisesType: PremisesType;

  @Field(() => String, { nullable: true, description: 'Defaults to the contact’s name' })
  @IsOptional()
  @FULL_NAME
  fullName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Defaults to the contact’s phone; another phone adds another resident',
  })
  @IsOptional()
  @IsPhone()
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @EMAIL
  email?: string | null;

  @Field(() => OccupancyRole)
  role: OccupancyRole;
}

@InputType()
export class CreateTicketFromCardInput extends TicketFieldsInput {
  @Field(() => ID)
  contactId: string;

  @Field(() => ID, { nullable: true, description: 'Omitted (with buildingId): the contact’s most recent address' })
  @IsOptional()
  premisesId?: string | null;

  @Field(() => ID, { nullable: true, description: 'For a ticket about the house rather than a premises' })
  @IsOptional()
  buildingId?: string | null;
}
