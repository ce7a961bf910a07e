import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { msg } from '../../common/validation/messages';
import { REFERENCE_SHEET_MAX_LENGTH } from '../reference-sheet.sanitizer';

const required = (what: string, whatEn: string, max = 200) =>
  Length(1, max, {
    message: msg(`укажите ${what} (до ${max} символов)`, `${whatEn} is required (up to ${max} characters)`),
  });
const POSTAL_INDEX = Matches(/^\d{6}$/, { message: msg('индекс — 6 цифр', 'postal index must be 6 digits') });
const BLOCK = MaxLength(50, { message: msg('корпус — до 50 символов', 'block is at most 50 characters') });
const ENTRANCES = ArrayMaxSize(100, { message: msg('не более 100 подъездов', 'at most 100 entrances') });
const SHEET = MaxLength(REFERENCE_SHEET_MAX_LENGTH, {
  message: msg(
    `справка — не длиннее ${REFERENCE_SHEET_MAX_LENGTH} символов`,
    `reference sheet is at most ${REFERENCE_SHEET_MAX_LENGTH} characters`,
  ),
});

@InputType()
export class EntranceInput {
  @Field(() => Int)
  @IsInt()
  @Min(1, { message: msg('номер подъезда от 1', 'entrance number starts at 1') })
  @Max(100, { message: msg('номер подъезда до 100', 'entrance number is at most 100') })
  number: number;

  @Field(() => Int)
  @IsInt()
  @Min(1, { message: msg('этажей не меньше 1', 'at least 1 floor') })
  @Max(200, { message: msg('этажей не больше 200', 'at most 200 floors') })
  floors: number;
}

@InputType()
export class BuildingFilter {
  @Field({ nullable: true, description: 'Any part of the address' })
  @IsOptional()
  @MaxLength(200, { message: msg('слишком длинная строка поиска', 'search text is too long') })
  search?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(200, { message: msg('слишком длинное название города', 'city is too long') })
  city?: string;
}

@InputType()
export class CreateBuildingInput {
  @Field()
  @required('город', 'city')
  city: string;

  @Field()
  @required('улицу', 'street')
  street: string;

  @Field({ description: 'House number as written: "5", "5А", "12/1"' })
  @required('номер дома', 'house number', 20)
  house: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @BLOCK
  block?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @POSTAL_INDEX
  postalIndex?: string | null;

  @Field(() => [EntranceInput], { nullable: true })
  @IsOptional()
  @ENTRANCES
  @ValidateNested({ each: true })
  @Type(() => EntranceInput)
  entrances?: EntranceInput[];

  @Field({ nullable: true, description: 'Reference sheet HTML; unsafe markup is removed' })
  @IsOptional()
  @SHEET
  referenceSheet?: string;
}

@InputType()
export class UpdateBuildingInput {
  @Field(() => ID)
  id: string;

  @Field({ nullable: true })
  @IsOptional()
  @required('город', 'city')
  city?: string;

  @Field({ nullable: true })
  @IsOptional()
  @required('улицу', 'street')
  street?: string;

  @Field({ nullable: true })
  @IsOptional()
  @required('номер дома', 'house number', 20)
  house?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @BLOCK
  block?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @POSTAL_INDEX
  postalIndex?: string | null;

  @Field(() => [EntranceInput], { nullable: true })
  @IsOptional()
  @ENTRANCES
  @ValidateNested({ each: true })
  @Type(() => EntranceInput)
  entrances?: EntranceInput[];
}

@InputType()
export class UpdateReferenceSheetInput {
  @Field(() => ID)
  buildingId: string;

  @Field({ description: 'HTML; unsafe markup is removed' })
  @SHEET
  html: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The sheet version (referenceSheet.updatedAt) the edit was based on; a newer version answers CONFLICT instead of overwriting it',
  })
  @IsOptional()
  expectedUpdatedAt?: string | null;
}
