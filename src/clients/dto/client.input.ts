import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEmail, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { EMAIL_MESSAGE } from '../../common/validation/email';
import { IsInn } from '../../common/validation/inn';
import { msg } from '../../common/validation/messages';
import {
  IsIsoDate,
  IsPassportNumber,
  IsPassportSeries,
  IsPostalIndex,
  NotInFuture,
} from '../../common/validation/passport';
import { IsPhone } from '../../common/validation/phone';
import { IsSnils } from '../../common/validation/snils';
import { CrmSpace } from '../../kernel/crm-space';
import { ClientStatus, ClientType, Gender } from '../client-enums';

const NAME = MaxLength(100, { message: msg('не длиннее 100 символов', 'at most 100 characters') });
const TEXT = MaxLength(2000, { message: msg('не длиннее 2000 символов', 'at most 2000 characters') });
const DATE = IsIsoDate();
const EMAIL = IsEmail({}, { message: EMAIL_MESSAGE });

@InputType()
export class ClientFilter {
  @Field({
    nullable: true,
    description: 'Surname (or organization name) prefix, or phone digits when it is all digits',
  })
  @IsOptional()
  @MaxLength(100, { message: msg('слишком длинная строка поиска', 'search text is too long') })
  search?: string;

  @Field({ nullable: true, description: 'Typeahead on the surname or organization name: "Ива"' })
  @IsOptional()
  @MaxLength(100, { message: msg('слишком длинная строка поиска', 'search text is too long') })
  surnamePrefix?: string;

  @Field({ nullable: true, description: 'Any part of any of the client’s phones, at least 3 digits: "916 12"' })
  @IsOptional()
  @MaxLength(30, { message: msg('слишком длинный номер', 'phone is too long') })
  phone?: string;

  @Field(() => [ID], { nullable: true, description: 'Clients carrying every one of these tags' })
  @IsOptional()
  @ArrayMaxSize(20, { message: msg('не больше 20 меток', 'at most 20 tags') })
  tagIds?: string[];

  @Field({ nullable: true, description: 'An external identifier value in your CRM space' })
  @IsOptional()
  @MaxLength(200, { message: msg('слишком длинный идентификатор', 'identifier is too long') })
  externalId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  premisesId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(50, { message: msg('слишком длинный номер счёта', 'account number is too long') })
  accountNumber?: string;

  @Field(() => ClientStatus, { nullable: true })
  @IsOptional()
  status?: ClientStatus;

  @Field(() => ClientType, { nullable: true })
  @IsOptional()
  type?: ClientType;
}

/** The card's editable fields; which names are required depends on the type (checked by the service). */
@InputType({ isAbstract: true })
export abstract class ClientFieldsInput {
  @Field({ nullable: true })
  @IsOptional()
  tester?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @NAME
  lastName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @NAME
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @NAME
  middleName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'For LEGAL_ENTITY and FOREIGN_BRANCH instead of a person’s name',
  })
  @IsOptional()
  @MaxLength(300, { message: msg('не длиннее 300 символов', 'at most 300 characters') })
  organizationName?: string | null;

  @Field(() => Gender, { nullable: true })
  @IsOptional()
  gender?: Gender | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @DATE
  @NotInFuture()
  birthDate?: string | null;

  @Field(() => [String], { nullable: true, description: 'Additional contact phones, any common writing' })
  @IsOptional()
  @ArrayMaxSize(10, { message: msg('не больше 10 дополнительных телефонов', 'at most 10 extra phones') })
  @IsPhone({ each: true })
  extraPhones?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @EMAIL
  email?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @TEXT
  note?: string | null;

  @Field(() => String, { nullable: true, description: '4 digits' })
  @IsOptional()
  @IsPassportSeries()
  passportSeries?: string | null;

  @Field(() => String, { nullable: true, description: '6 digits' })
  @IsOptional()
  @IsPassportNumber()
  passportNumber?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @TEXT
  passportIssuedBy?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not in the future' })
  @IsOptional()
  @DATE
  @NotInFuture()
  passportIssuedOn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @TEXT
  passportComment?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @TEXT
  registrationAddress?: string | null;

  @Field(() => String, { nullable: true, description: '6 digits' })
  @IsOptional()
  @IsPostalIndex()
  postalIndex?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @TEXT
  addressComment?: string | null;

  @Field(() => String, { nullable: true, description: '10 digits for organizations, 12 for people; checksum verified' })
  @IsOptional()
  @IsInn()
  inn?: string | null;

  @Field(() => String, { nullable: true, description: '"112-233-445 95" or 11 digits; checksum verified' })
  @IsOptional()
  @IsSnils()
  snils?: string | null;

  @Field(() => String, { nullable: true, description: '"Клуб привилегий" card number' })
  @IsOptional()
  @MaxLength(50, { message: msg('не длиннее 50 символов', 'at most 50 characters') })
  loyaltyCardNumber?: string | null;
}

@InputType()
export class NewExternalIdInput {
  @Field()
  @Length(1, 100, { message: msg('система — от 1 до 100 символов', 'system must be 1–100 characters') })
  system: string;

  @Field()
  @Length(1, 200, { message: msg('идентификатор — от 1 до 200 символов', 'value must be 1–200 characters') })
  value: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @TEXT
  note?: string | null;
}

@InputType()
export class CreateClientInput extends ClientFieldsInput {
  @Field(() => ClientType, { defaultValue: ClientType.INDIVIDUAL })
  type: ClientType;

  @Field(() => String, { nullable: true, description: 'The app login, any common Russian writing; stored as +7…' })
  @IsOptional()
  @IsPhone()
  phone?: string | null;

  @Field(() => [NewExternalIdInput], { nullable: true, description: 'Identifiers in your CRM space' })
  @IsOptional()
  @ArrayMaxSize(20, { message: msg('не больше 20 идентификаторов', 'at most 20 identifiers') })
  @ValidateNested({ each: true })
  @Type(() => NewExternalIdInput)
  externalIds?: NewExternalIdInput[];
}

@InputType()
export class UpdateClientInput extends ClientFieldsInput {
  @Field(() => ID)
  id: string;

  @Field(() => ClientType, { nullable: true })
  @IsOptional()
  type?: ClientType;
}

@InputType()
export class ClientIdInput {
  @Field(() => ID)
  id: string;
}

@InputType()
export class BlockClientInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @TEXT
  reason?: string | null;
}

@InputType()
export class ChangeClientPhoneInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'The new app login; null removes it' })
  @IsOptional()
  @IsPhone()
  phone: string | null;
}

@InputType()
export class MergeClientsInput {
  @Field(() => ID, { description: 'The card that stays' })
  targetId: string;

  @Field(() => ID, { description: 'The card that is merged into the target and removed' })
  sourceId: string;
}

@InputType()
export class AddClientTagInput {
  @Field(() => ID)
  clientId: string;

  @Field()
  @Length(1, 50, { message: msg('метка — от 1 до 50 символов', 'tag must be 1–50 characters') })
  tagName: string;
}

@InputType()
export class RemoveClientTagInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => ID)
  tagId: string;
}

@InputType()
export class AddExternalIdInput extends NewExternalIdInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => CrmSpace)
  space: CrmSpace;
}

@InputType()
export class UpdateExternalIdInput {
  @Field(() => ID)
  id: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 100, { message: msg('система — от 1 до 100 символов', 'system must be 1–100 characters') })
  system?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200, { message: msg('идентификатор — от 1 до 200 символов', 'value must be 1–200 characters') })
  value?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @TEXT
  note?: string | null;
}

@InputType()
export class RemoveExternalIdInput {
  @Field(() => ID)
  id: string;
}
