import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AccountType } from '../../accounts/dto/account.type';
import { BuildingType } from '../../buildings/dto/building.type';
import { ClientObjectType } from '../../clients/dto/client.type';
import { Connection } from '../../common/pagination/connection';
import { ErrorCode } from '../../common/errors/error-code';
import { ExternalEntityType } from '../../external-ids/external-id-enums';
import { PremisesObjectType } from '../../premises/dto/premises.type';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

export enum ItemStatus {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  DELETED = 'DELETED',
  FAILED = 'FAILED',
}
registerEnumType(ItemStatus, { name: 'ItemStatus' });

@ObjectType('ItemFieldError')
export class ItemFieldErrorType {
  @Field()
  path: string;

  @Field()
  message: string;

  @Field()
  messageEn: string;
}

@ObjectType('ItemError', { description: 'Why one item failed; the other items of the call went on' })
export class ItemErrorType {
  @Field(() => String, { description: 'An ErrorCode: BAD_USER_INPUT, NOT_FOUND, CONFLICT, …' })
  code: ErrorCode;

  @Field({ description: 'Russian' })
  message: string;

  @Field()
  messageEn: string;

  @Field(() => [ItemFieldErrorType])
  fields: ItemFieldErrorType[];
}

@ObjectType('ItemResult')
export class ItemResultType {
  @Field()
  externalId: string;

  @Field(() => ItemStatus)
  status: ItemStatus;

  @Field(() => ID, { nullable: true })
  id: string | null;

  @Field(() => ItemErrorType, { nullable: true })
  error: ItemErrorType | null;
}

@ObjectType('BatchPayload')
export class BatchPayloadType {
  @Field(() => [ItemResultType], { description: 'One result per item, in the order sent' })
  results: ItemResultType[];

  @Field(() => Int)
  created: number;

  @Field(() => Int)
  updated: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => Int)
  deleted: number;

  @Field(() => Int)
  failed: number;
}

@ObjectType('Change', { description: 'A record changed (or deleted) since a moment; read the object of its type' })
export class ChangeType {
  @Field(() => ExternalEntityType)
  entityType: ExternalEntityType;

  @Field(() => ID)
  entityId: string;

  @Field(() => DateTimeScalar)
  changedAt: Date;

  @Field()
  deleted: boolean;

  @Field(() => ClientObjectType, { nullable: true })
  client?: ClientObjectType | null;

  @Field(() => AccountType, { nullable: true })
  account?: AccountType | null;

  @Field(() => PremisesObjectType, { nullable: true })
  premises?: PremisesObjectType | null;

  @Field(() => BuildingType, { nullable: true })
  building?: BuildingType | null;
}

export const ChangeConnection = Connection(ChangeType, 'Change');
