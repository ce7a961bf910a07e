import { Field, ID, ObjectType } from '@nestjs/graphql';
import { OccupancyRole, OccupancySource } from '../occupancy-enums';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

@ObjectType('Occupancy', { description: 'A client attached to a premises with a role' })
export class OccupancyType {
  @Field(() => ID)
  id: string;

  organizationId: string;
  clientId: string;
  premisesId: string;

  @Field(() => OccupancyRole)
  role: OccupancyRole;

  @Field({ description: '"Не удалять клиента при интеграции"' })
  keepOnSync: boolean;

  @Field(() => OccupancySource)
  source: OccupancySource;

  @Field(() => DateTimeScalar)
  since: Date;
}

@ObjectType()
export class OccupancyPayload {
  @Field(() => OccupancyType)
  occupancy: OccupancyType;
}

@ObjectType()
export class DetachClientPayload {
  @Field(() => ID)
  clientId: string;

  @Field(() => ID)
  premisesId: string;
}
