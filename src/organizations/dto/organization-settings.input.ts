import { AutoAttachPolicy } from '../auto-attach-setting';
import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsBoolean, IsEnum, IsOptional } from 'class-validator';
import { ClientType } from '../../clients/client-enums';
import { EmployeeRole } from '../../kernel/role';
import { msg } from '../../common/validation/messages';

@InputType()
export class UpdateOrganizationSettingsInput {
  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  selfRegistrationEnabled?: boolean | null;

  @Field(() => [ClientType], { nullable: true, description: 'Replaces the list; [] accepts every type' })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsEnum(ClientType, { each: true, message: msg('неизвестный тип клиента', 'unknown client type') })
  selfRegistrationRefusedClientTypes?: ClientType[] | null;

  @Field(() => [EmployeeRole], {
    nullable: true,
    description:
      'Roles that read clients’ passport, SNILS, INN, birth date and registration address; ADMIN always does. Replaces the list',
  })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsEnum(EmployeeRole, { each: true, message: msg('неизвестная роль', 'unknown role') })
  personalDataRoles?: EmployeeRole[] | null;
  @Field(() => AutoAttachPolicy, {
    nullable: true,
    description: 'PREMISES_FOUND, ACCOUNT_CONFIRMED (default) or NEVER',
  })
  @IsOptional()
  @IsEnum(AutoAttachPolicy, { message: msg('неизвестное правило прикрепления', 'unknown auto-attach policy') })
  autoAttachPolicy?: AutoAttachPolicy | null;
}
