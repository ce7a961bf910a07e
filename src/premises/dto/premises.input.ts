import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsOptional, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { DecimalScalar } from '../../common/graphql/decimal.scalar';
import { msg } from '../../common/validation/messages';
import { PremisesType } from '../premises-type';

const NUMBER = Length(1, 20, {
  message: msg('номер помещения — от 1 до 20 символов', 'premises number must be 1–20 characters'),
});
const NUMBER_HAS_CONTENT = Matches(/[0-9A-Za-zА-Яа-яЁё]/, {
  message: msg('номер должен содержать цифру или букву', 'number must contain a digit or a letter'),
});
const ENTRANCE_MIN = Min(1, { message: msg('номер подъезда от 1', 'entrance starts at 1') });
const ENTRANCE_MAX = Max(100, { message: msg('номер подъезда до 100', 'entrance is at most 100') });
const FLOOR_MIN = Min(-10, { message: msg('этаж не ниже -10', 'floor is at least -10') });
const FLOOR_MAX = Max(200, { message: msg('этаж не выше 200', 'floor is at most 200') });
const ROOMS_MIN = Min(0, { message: msg('комнат не меньше 0', 'rooms cannot be negative') });
const ROOMS_MAX = Max(100, { message: msg('комнат не больше 100', 'at most 100 rooms') });
const CADASTRAL = Matches(/^\d{2}:\d{2}:\d{6,7}:\d{1,}$/, {
  message: msg('кадастровый номер в формате 77:01:0004012:1234', 'cadastral number like 77:01:0004012:1234'),
});

@InputType()
export class PremisesFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  buildingId?: string;

  @Field({
    nullable: true,
    description: 'Premises number, any part of the address, or an account number: "12А", "Ленина 5 кв 12", "0012345"',
  })
  @IsOptional()
  @MaxLength(200, { message: msg('слишком длинная строка поиска', 'search text is too long') })
  search?: string;

  @Field(() => PremisesType, { nullable: true })
  @IsOptional()
  type?: PremisesType;
}

@InputType()
export class CreatePremisesInput {
  @Field(() => ID)
  buildingId: string;

  @Field(() => PremisesType, { defaultValue: PremisesType.FLAT })
  type: PremisesType;

  @Field()
  @NUMBER
  @NUMBER_HAS_CONTENT
  number: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @ENTRANCE_MIN
  @ENTRANCE_MAX
  entrance?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @FLOOR_MIN
  @FLOOR_MAX
  floor?: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'm², up to 2 decimals' })
  @IsOptional()
  @Matches(/^\d+(\.\d+)?$/, { message: msg('площадь должна быть больше нуля', 'area must be positive') })
  area?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @ROOMS_MIN
  @ROOMS_MAX
  rooms?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @CADASTRAL
  cadastralNumber?: string | null;
}

@InputType()
export class UpdatePremisesInput {
  @Field(() => ID)
  id: string;

  @Field(() => PremisesType, { nullable: true })
  @IsOptional()
  type?: PremisesType;

  @Field({ nullable: true })
  @IsOptional()
  @NUMBER
  @NUMBER_HAS_CONTENT
  number?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @ENTRANCE_MIN
  @ENTRANCE_MAX
  entrance?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @FLOOR_MIN
  @FLOOR_MAX
  floor?: number | null;

  @Field(() => DecimalScalar, { nullable: true })
  @IsOptional()
  @Matches(/^\d+(\.\d+)?$/, { message: msg('площадь должна быть больше нуля', 'area must be positive') })
  area?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @ROOMS_MIN
  @ROOMS_MAX
  rooms?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @CADASTRAL
  cadastralNumber?: string | null;
}

@InputType()
export class DeletePremisesInput {
  @Field(() => ID)
  id: string;
}
