import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection';
import { DecimalScalar } from '../../common/graphql/decimal.scalar';
import { PremisesType } from '../premises-type';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

@ObjectType('Premises', { description: 'Помещение' })
export class PremisesObjectType {
  @Field(() => ID)
  id: string;

  organizationId: string;

  @Field(() => ID)
  buildingId: string;

  @Field(() => PremisesType)
  type: PremisesType;

  @Field({ description: 'As written: "12", "12А", "П-3"' })
  number: string;

  @Field(() => Int, { nullable: true })
  entrance: number | null;

  @Field(() => Int, { nullable: true })
  floor: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Area, m² (exact)' })
  area: string | null;

  @Field(() => Int, { nullable: true })
  rooms: number | null;

  @Field(() => String, { nullable: true })
  cadastralNumber: string | null;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => DateTimeScalar)
  updatedAt: Date;
}

@ObjectType()
export class PremisesPayload {
  @Field(() => PremisesObjectType)
  premises: PremisesObjectType;
}

@ObjectType()
export class DeletePremisesPayload {
  @Field(() => ID)
  deletedId: string;
}

export const PremisesConnection = Connection(PremisesObjectType, 'Premises');
