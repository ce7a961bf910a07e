import { IsPhone } from '../../common/validation/phone';
import { CrmSpace } from '../../kernel/crm-space';
import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEmail, IsOptional, IsUUID, Length, MaxLength } from 'class-validator';
import { msg } from '../../common/validation/messages';
import { EmployeeRole } from '../../kernel/role';

const PASSWORD_RULE = Length(10, 200, {
  message: msg('пароль — от 10 до 200 символов', 'password must be 10–200 characters'),
});
const NAME_RULE = Length(1, 200, {
  message: msg('укажите ФИО (до 200 символов)', 'full name is required (up to 200 characters)'),
});
const PHONE_RULE = IsPhone();

@InputType()
export class LoginInput {
  @Field()
  @MaxLength(320, { message: msg('слишком длинный e-mail', 'e-mail is too long') })
  email: string;

  @Field()
  @MaxLength(200, { message: msg('слишком длинный пароль', 'password is too long') })
  password: string;
}

@InputType()
export class CreateEmployeeInput {
  @Field()
  @IsEmail({}, { message: msg('некорректный e-mail', 'not a valid e-mail address') })
  @MaxLength(320, { message: msg('слишком длинный e-mail', 'e-mail is too long') })
  email: string;

  @Field()
  @PASSWORD_RULE
  password: string;

  @Field()
  @NAME_RULE
  fullName: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @PHONE_RULE
  phone?: string | null;

  @Field(() => EmployeeRole)
  role: EmployeeRole;

  @Field(() => [ID], { nullable: true, description: 'Ticket categories the employee sees; empty means all' })
  @IsOptional()
  @ArrayMaxSize(500, { message: msg('не более 500 специализаций', 'at most 500 specializations') })
  @IsUUID('all', { each: true, message: msg('некорректный id категории', 'not a valid category id') })
  specializationIds?: string[];

  @Field({ nullable: true, defaultValue: false })
  receivesRegistrationRequests?: boolean;

  @Field(() => CrmSpace, {
    nullable: true,
    defaultValue: CrmSpace.OPERATION,
    description: 'The space whose external identifiers the employee sees',
  })
  crmSpace?: CrmSpace;
}

@InputType()
export class UpdateEmployeeInput {
  @Field(() => ID)
  id: string;

  @Field({ nullable: true })
  @IsOptional()
  @NAME_RULE
  fullName?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @PHONE_RULE
  phone?: string | null;

  @Field(() => EmployeeRole, { nullable: true })
  @IsOptional()
  role?: EmployeeRole;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500, { message: msg('не более 500 специализаций', 'at most 500 specializations') })
  @IsUUID('all', { each: true, message: msg('некорректный id категории', 'not a valid category id') })
  specializationIds?: string[];

  @Field({ nullable: true })
  @IsOptional()
  receivesRegistrationRequests?: boolean;

  @Field(() => CrmSpace, { nullable: true })
  @IsOptional()
  crmSpace?: CrmSpace;

  @Field({ nullable: true, description: 'Blocking ends the employee’s sessions at once' })
  @IsOptional()
  blocked?: boolean;

  @Field({ nullable: true, description: 'Sets a new password' })
  @IsOptional()
  @PASSWORD_RULE
  password?: string;
}
