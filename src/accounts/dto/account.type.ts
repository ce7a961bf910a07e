import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '../../common/graphql/decimal.scalar';
import { Connection } from '../../common/pagination/connection';
import { AccountStatus } from '../account-status';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

@ObjectType('Account', { description: 'Лицевой счёт' })
export class AccountType {
  @Field(() => ID)
  id: string;

  organizationId: string;
  premisesId: string;
  ownerClientId: string | null;

  @Field()
  number: string;

  @Field(() => AccountStatus)
  status: AccountStatus;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  openedOn: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  closedOn: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  areaShare: string | null;

  @Field({ description: '"Не отображать в ЛК жителя"' })
  hiddenFromResident: boolean;

  @Field()
  paymentsEnabled: boolean;

  @Field(() => DateTimeScalar)
  updatedAt: Date;
}

@ObjectType()
export class AccountPayload {
  @Field(() => AccountType)
  account: AccountType;
}

export const AccountConnection = Connection(AccountType, 'Account');
