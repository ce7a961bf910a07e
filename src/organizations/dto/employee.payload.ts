import { Field, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection';
import { EmployeeType } from './employee.type';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

@ObjectType()
export class LoginPayload {
  @Field({ description: 'Send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;

  @Field(() => DateTimeScalar)
  expiresAt: Date;

  @Field(() => EmployeeType)
  employee: EmployeeType;
}

@ObjectType()
export class LogoutPayload {
  @Field()
  signedOut: boolean;
}

@ObjectType()
export class EmployeePayload {
  @Field(() => EmployeeType)
  employee: EmployeeType;
}

export const EmployeeConnection = Connection(EmployeeType, 'Employee');
