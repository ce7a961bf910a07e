import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { DecimalScalar } from '../../common/graphql/decimal.scalar';
import { msg } from '../../common/validation/messages';
import { IsIsoDate, NotInFuture } from '../../common/validation/passport';
import { AccountStatus } from '../account-status';

const NUMBER = Length(1, 30, {
  message: msg('номер счёта — от 1 до 30 символов', 'account number must be 1–30 characters'),
});
const NUMBER_CHARS = Matches(/^[0-9A-Za-zА-Яа-яЁё\-/ ]+$/, {
  message: msg('номер счёта: цифры, буквы, дефис, косая черта', 'account number: digits, letters, dash, slash'),
});
const DATE = IsIsoDate();
const SHARE = Matches(/^(0?\.\d{1,4}|1(\.0{1,4})?)$/, {
  message: msg('доля — число от 0 до 1, например 0.5', 'share is a number from 0 to 1, e.g. 0.5'),
});

@InputType()
export class AccountFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  premisesId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  ownerClientId?: string;

  @Field({ nullable: true, description: 'Account number prefix' })
  @IsOptional()
  @MaxLength(30, { message: msg('слишком длинный номер', 'number is too long') })
  number?: string;

  @Field(() => AccountStatus, { nullable: true })
  @IsOptional()
  status?: AccountStatus;
}

@InputType()
export class CreateAccountInput {
  @Field({ description: 'Kept as text: leading zeros matter' })
  @NUMBER
  @NUMBER_CHARS
  number: string;

  @Field(() => ID)
  premisesId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  ownerClientId?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @DATE
  @NotInFuture()
  openedOn?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Share of the premises’ area, 0 < share ≤ 1' })
  @IsOptional()
  @SHARE
  areaShare?: string | null;

  @Field({ nullable: true, defaultValue: false, description: '"Не отображать в ЛК жителя"' })
  @IsOptional()
  hiddenFromResident?: boolean;

  @Field({ nullable: true, defaultValue: true, description: 'Payments for this account are enabled in the app' })
  @IsOptional()
  paymentsEnabled?: boolean;
}

@InputType()
export class UpdateAccountInput {
  @Field(() => ID)
  id: string;

  @Field({ nullable: true })
  @IsOptional()
  @NUMBER
  @NUMBER_CHARS
  number?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  premisesId?: string;

  @Field(() => ID, { nullable: true, description: 'null removes the owner' })
  @IsOptional()
  ownerClientId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @DATE
  @NotInFuture()
  openedOn?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  @IsOptional()
  @SHARE
  areaShare?: string | null;

  @Field({ nullable: true })
  @IsOptional()
  hiddenFromResident?: boolean;

  @Field({ nullable: true })
  @IsOptional()
  paymentsEnabled?: boolean;
}

@InputType()
export class CloseAccountInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; today when omitted' })
  @IsOptional()
  @DATE
  closedOn?: string | null;
}
