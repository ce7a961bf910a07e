import { Field, FieldMiddleware, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection';
import { AddressParts, displayAddress } from '../address';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

/** Computed from the building's own columns: a field middleware, without Nest's per-call resolver pipeline. */
const displayAddressOfSource: FieldMiddleware<AddressParts> = ({ source }) => displayAddress(source);

@ObjectType('Entrance', { description: 'Подъезд' })
export class EntranceType {
  @Field(() => Int)
  number: number;

  @Field(() => Int)
  floors: number;
}

@ObjectType('ReferenceSheet', { description: 'Справка по объекту: what a dispatcher reads to a caller' })
export class ReferenceSheetType {
  @Field({ description: 'Sanitized HTML, safe to render' })
  html: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Version of the sheet: when it last changed' })
  updatedAt: Date | null;

  updatedById: string | null;
  organizationId: string;
}

@ObjectType('Building', { description: 'Дом' })
export class BuildingType {
  @Field(() => ID)
  id: string;

  organizationId: string;

  @Field(() => String, {
    description: 'Display address: "Москва, ул. Ленина, д. 5, корп. 2"',
    middleware: [displayAddressOfSource],
  })
  address: string;

  @Field()
  city: string;

  @Field()
  street: string;

  @Field()
  house: string;

  @Field(() => String, { nullable: true, description: 'Корпус / строение' })
  block: string | null;

  @Field(() => String, { nullable: true })
  postalIndex: string | null;

  @Field(() => [EntranceType])
  entrances: EntranceType[];

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => DateTimeScalar)
  updatedAt: Date;
}

@ObjectType()
export class BuildingPayload {
  @Field(() => BuildingType)
  building: BuildingType;
}

export const BuildingConnection = Connection(BuildingType, 'Building');
