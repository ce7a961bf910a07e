import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { EntranceInput } from '../../buildings/dto/building.input';
import { ClientFieldsInput } from '../../clients/dto/client.input';
import { ClientType } from '../../clients/client-enums';
import { DecimalScalar } from '../../common/graphql/decimal.scalar';
import { msg } from '../../common/validation/messages';
import { required } from '../../common/validation/required';
import { IsPhone } from '../../common/validation/phone';
import { IsIsoDate, IsPostalIndex } from '../../common/validation/passport';
import { ExternalEntityType } from '../../external-ids/external-id-enums';
import { CrmSpace } from '../../kernel/crm-space';
import { PremisesType } from '../../premises/premises-type';

export const MAX_BATCH = 1000;
const EXTERNAL_ID = Length(1, 200, {
  message: msg('внешний идентификатор — от 1 до 200 символов', 'externalId must be 1–200 characters'),
});
const DATE = IsIsoDate();

/** Items are validated one by one by the integration service, so one bad item fails alone. */
@InputType({ isAbstract: true })
abstract class BatchInput {
  @Field(() => CrmSpace, { description: 'The CRM space the identifiers belong to; it must be the caller’s own' })
  space: CrmSpace;

  @Field({ description: 'The calling system: "1С", "billing", …' })
  @Length(1, 100, { message: msg('система — от 1 до 100 символов', 'system must be 1–100 characters') })
  system: string;
}

const batch = () => [
  ArrayMinSize(1, { message: msg('пакет пуст', 'the batch is empty') }),
  ArrayMaxSize(MAX_BATCH, {
    message: msg(`не больше ${MAX_BATCH} записей за вызов`, `at most ${MAX_BATCH} items per call`),
  }),
];
function Batch(): PropertyDecorator {
  return (target, key) => batch().forEach((decorate) => decorate(target, key));
}

@InputType()
export class UpsertClientItem extends ClientFieldsInput {
  @Field()
  @EXTERNAL_ID
  externalId: string;

  @Field(() => ClientType, { nullable: true })
  @IsOptional()
  type?: ClientType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPhone()
  phone?: string | null;
}

@InputType()
export class UpsertClientsInput extends BatchInput {
  @Field(() => [UpsertClientItem])
  @Batch()
  items: UpsertClientItem[];
}

@InputType()
export class UpsertBuildingItem {
  @Field()
  @EXTERNAL_ID
  externalId: string;

  @Field()
  @required('город', 'city')
  city: string;

  @Field()
  @required('улицу', 'street')
  street: string;

  @Field()
  @required('номер дома', 'house', 20)
  house: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(50, { message: msg('корпус — до 50 символов', 'block is at most 50 characters') })
  block?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPostalIndex()
  postalIndex?: string | null;

  @Field(() => [EntranceInput], { nullable: true })
  @IsOptional()
  @Type(() => EntranceInput)
  entrances?: EntranceInput[];
}

@InputType()
export class UpsertBuildingsInput extends BatchInput {
  @Field(() => [UpsertBuildingItem])
  @Batch()
  items: UpsertBuildingItem[];
}

@InputType()
export class UpsertPremisesItem {
  @Field()
  @EXTERNAL_ID
  externalId: string;

  @Field(() => String, { nullable: true, description: 'The building’s external id in the same space and system' })
  @IsOptional()
  buildingExternalId?: string;

  @Field(() => ID, { nullable: true, description: 'Or the building’s Domovoy id' })
  @IsOptional()
  buildingId?: string;

  @Field(() => PremisesType, { nullable: true, defaultValue: PremisesType.FLAT })
  @IsOptional()
  type?: PremisesType;

  @Field()
  @required('номер помещения', 'premises number', 20)
  number: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1, { message: msg('номер подъезда от 1', 'entrance starts at 1') })
  entrance?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(-10, { message: msg('этаж не ниже -10', 'floor is at least -10') })
  @Max(200, { message: msg('этаж не выше 200', 'floor is at most 200') })
  floor?: number | null;

  @Field(() => DecimalScalar, { nullable: true })
  @IsOptional()
  @Matches(/^\d+(\.\d{1,2})?$/, { message: msg('площадь — число, например 54.30', 'area is a number, e.g. 54.30') })
  area?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0, { message: msg('комнат не меньше 0', 'rooms cannot be negative') })
  rooms?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40, { message: msg('кадастровый номер слишком длинный', 'cadastral number is too long') })
  cadastralNumber?: string | null;
}

@InputType()
export class UpsertPremisesInput extends BatchInput {
  @Field(() => [UpsertPremisesItem])
  @Batch()
  items: UpsertPremisesItem[];
}

@InputType()
export class UpsertAccountItem {
  @Field()
  @EXTERNAL_ID
  externalId: string;

  @Field()
  @required('номер счёта', 'account number', 30)
  number: string;

  @Field(() => String, { nullable: true, description: 'The premises’ external id in the same space and system' })
  @IsOptional()
  premisesExternalId?: string;

  @Field(() => ID, { nullable: true, description: 'Or the premises’ Domovoy id' })
  @IsOptional()
  premisesId?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The owner’s external id in the same space and system; null removes the owner',
  })
  @IsOptional()
  ownerExternalId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @DATE
  openedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'A date closes the account' })
  @IsOptional()
  @DATE
  closedOn?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  @IsOptional()
  @Matches(/^(0?\.\d{1,4}|1(\.0{1,4})?)$/, { message: msg('доля — число от 0 до 1', 'share is a number from 0 to 1') })
  areaShare?: string | null;

  @Field({ nullable: true })
  @IsOptional()
  hiddenFromResident?: boolean;

  @Field({ nullable: true })
  @IsOptional()
  paymentsEnabled?: boolean;
}

@InputType()
export class UpsertAccountsInput extends BatchInput {
  @Field(() => [UpsertAccountItem])
  @Batch()
  items: UpsertAccountItem[];
}

@InputType()
export class DeleteByExternalIdInput extends BatchInput {
  @Field(() => ExternalEntityType)
  entityType: ExternalEntityType;

  @Field(() => [String])
  @Batch()
  externalIds: string[];
}
