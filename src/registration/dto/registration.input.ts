import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { ClientFieldsInput } from '../../clients/dto/client.input';
import { ClientType } from '../../clients/client-enums';
import { msg } from '../../common/validation/messages';
import { required } from '../../common/validation/required';
import { OccupancyRole } from '../../occupancy/occupancy-enums';
import { RegistrationStatus } from '../registration-enums';

@InputType()
export class SubmitRegistrationInput {
  @Field({ description: 'ФИО, or the organization’s name for a legal entity' })
  @required('ФИО', 'full name')
  fullName: string;

  @Field(() => ClientType, { defaultValue: ClientType.INDIVIDUAL })
  @IsEnum(ClientType)
  clientType: ClientType = ClientType.INDIVIDUAL;

  @Field(() => String, {
    nullable: true,
    description: 'Narrows the address when two cities have the same street and house',
  })
  @IsOptional()
  @MaxLength(100)
  city?: string | null;

  @Field()
  @required('улицу', 'street')
  street: string;

  @Field()
  @required('номер дома', 'house', 20)
  house: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20)
  block?: string | null;

  @Field()
  @required('номер помещения', 'premises number', 20)
  premisesNumber: string;

  @Field(() => String, {
    nullable: true,
    description: 'Optional; when it belongs to premises at this address they are found at once',
  })
  @IsOptional()
  @MaxLength(50)
  accountNumber?: string | null;

  @Field(() => OccupancyRole, { defaultValue: OccupancyRole.OWNER })
  @IsEnum(OccupancyRole)
  role: OccupancyRole = OccupancyRole.OWNER;

  @Field(() => String, {
    nullable: true,
    description:
      'Only when several management companies serve the address: the public name of yours, one of extensions.choices of the refusal',
  })
  @IsOptional()
  @MaxLength(200)
  organizationName?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Deprecated: use organizationName',
    deprecationReason: 'Residents choose by the public name: organizationName',
  })
  @IsOptional()
  @IsUUID('all', { message: msg('не идентификатор организации', 'not an organization id') })
  organizationId?: string | null;
}

@InputType()
export class ApproveRegistrationInput extends ClientFieldsInput {
  @Field(() => ID)
  id: string;

  @Field(() => ClientType, { nullable: true, description: 'Defaults to the type the resident gave' })
  @IsOptional()
  @IsEnum(ClientType)
  type?: ClientType | null;

  @Field(() => OccupancyRole)
  @IsEnum(OccupancyRole)
  role: OccupancyRole;

  @Field(() => ID, { nullable: true, description: 'Required when the request did not identify the premises' })
  @IsOptional()
  premisesId?: string | null;

  @Field(() => Boolean, {
    defaultValue: true,
    description: '«Не удалять клиента при интеграции»: later imports and syncs keep the resident attached',
  })
  @IsBoolean()
  keepOnSync: boolean = true;
}

@InputType()
export class RejectRegistrationInput {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Shown to the resident in the app' })
  @required('причину отказа', 'reason', 1000)
  reason: string;
}

@InputType()
export class CommentRegistrationInput {
  @Field(() => ID)
  id: string;

  @Field()
  @required('комментарий', 'comment', 2000)
  comment: string;
}

@InputType()
export class RegistrationRequestFilter {
  @Field(() => RegistrationStatus, { nullable: true })
  @IsOptional()
  @IsEnum(RegistrationStatus)
  status?: RegistrationStatus | null;
}
