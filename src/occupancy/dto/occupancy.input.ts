import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional } from 'class-validator';
import { OccupancyRole } from '../occupancy-enums';

@InputType()
export class AttachClientToPremisesInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => ID)
  premisesId: string;

  @Field(() => OccupancyRole)
  role: OccupancyRole;

  @Field({
    nullable: true,
    description:
      '"Не удалять клиента при интеграции": survives imports that do not list them. Omitted: kept as it is (false for a new attachment)',
  })
  @IsOptional()
  keepOnSync?: boolean;
}

@InputType()
export class DetachClientFromPremisesInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => ID)
  premisesId: string;
}
