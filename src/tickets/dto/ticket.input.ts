import { Field, ID, InputType, Int, OmitType, PartialType } from '@nestjs/graphql';
import { IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { IsPhone } from '../../common/validation/phone';
import { msg } from '../../common/validation/messages';
import { TicketSource, TicketStatus } from '../ticket-enums';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

const DESCRIPTION = Length(1, 4000, {
  message: msg('опишите проблему (до 4000 символов)', 'describe the problem (up to 4000 characters)'),
});
const ENTRANCE_MIN = Min(1, { message: msg('номер подъезда от 1', 'entrance starts at 1') });
const FLOOR_MIN = Min(-10, { message: msg('этаж не ниже -10', 'floor is at least -10') });
const FLOOR_MAX = Max(200, { message: msg('этаж не выше 200', 'floor is at most 200') });
const NAME = MaxLength(300, { message: msg('слишком длинное ФИО', 'full name is too long') });

@InputType()
export class TicketFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  buildingId?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  entrance?: number;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  premisesId?: string;

  @Field(() => ID, { nullable: true, description: 'The category and every category below it' })
  @IsOptional()
  categoryId?: string;

  @Field(() => TicketStatus, { nullable: true })
  @IsOptional()
  status?: TicketStatus;

  @Field(() => ID, { nullable: true, description: 'A Contact id: a client, or a caller without a client card' })
  @IsOptional()
  contactId?: string;
}

/** The ticket's own fields, shared by the plain form and the one pre-filled from the contact card. */
@InputType({ isAbstract: true })
export class TicketFieldsInput {
  @Field(() => Int, { nullable: true, description: 'On creation, defaults to the premises’ entrance' })
  @IsOptional()
  @ENTRANCE_MIN
  entrance?: number | null;

  @Field(() => Int, { nullable: true, description: 'On creation, defaults to the premises’ floor' })
  @IsOptional()
  @FLOOR_MIN
  @FLOOR_MAX
  floor?: number | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  categoryId?: string | null;

  @Field()
  @DESCRIPTION
  description: string;

  @Field({ nullable: true, description: 'Аварийная' })
  @IsOptional()
  emergency?: boolean;

  @Field({ nullable: true, description: 'Платная' })
  @IsOptional()
  paid?: boolean;

  @Field({ nullable: true, description: 'Гарантийная' })
  @IsOptional()
  warranty?: boolean;

  @Field(() => DateTimeScalar, { nullable: true })
  @IsOptional()
  deadline?: Date | null;

  @Field(() => TicketSource, { nullable: true, defaultValue: TicketSource.CALL })
  @IsOptional()
  source?: TicketSource;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  assigneeId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  executorId?: string | null;
}

@InputType()
export class CreateTicketInput extends TicketFieldsInput {
  @Field(() => ID, { nullable: true, description: 'Required unless premisesId is given' })
  @IsOptional()
  buildingId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  premisesId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The client card of the caller; found by contactPhone when omitted' })
  @IsOptional()
  clientId?: string | null;

  @Field(() => String, { nullable: true, description: 'Caller’s name as given; defaults to the client’s full name' })
  @IsOptional()
  @NAME
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: 'Any common writing; stored as E.164' })
  @IsOptional()
  @IsPhone()
  contactPhone?: string | null;
}

@InputType()
export class UpdateTicketInput extends PartialType(OmitType(TicketFieldsInput, ['source'] as const)) {
  @Field(() => ID)
  id: string;
}

@InputType()
export class ChangeTicketStatusInput {
  @Field(() => ID)
  id: string;

  @Field(() => TicketStatus)
  status: TicketStatus;
}

@InputType()
export class CreateTicketCategoryInput {
  @Field()
  @Length(1, 200, { message: msg('название от 1 до 200 символов', 'name must be 1–200 characters') })
  name: string;

  @Field(() => ID, { nullable: true, description: 'Omitted: a new place (top level)' })
  @IsOptional()
  parentId?: string | null;
}

@InputType()
export class RenameTicketCategoryInput {
  @Field(() => ID)
  id: string;

  @Field()
  @Length(1, 200, { message: msg('название от 1 до 200 символов', 'name must be 1–200 characters') })
  name: string;
}
