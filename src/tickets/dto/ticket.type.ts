import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection';
import { TicketCategoryType } from '../../organizations/dto/employee.type';
import { TicketSource, TicketStatus } from '../ticket-enums';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

@ObjectType('Ticket', { description: 'Заявка' })
export class TicketType {
  @Field(() => ID)
  id: string;

  organizationId: string;
  buildingId: string;
  premisesId: string | null;
  categoryId: string | null;
  clientId: string | null;
  assigneeId: string | null;
  executorId: string | null;

  @Field(() => Int, { description: 'Sequential per organization' })
  number: number;

  @Field(() => TicketStatus)
  status: TicketStatus;

  @Field(() => TicketSource)
  source: TicketSource;

  @Field()
  description: string;

  @Field({ description: 'Аварийная' })
  emergency: boolean;

  @Field({ description: 'Платная' })
  paid: boolean;

  @Field({ description: 'Гарантийная' })
  warranty: boolean;

  @Field(() => DateTimeScalar, { nullable: true })
  deadline: Date | null;

  @Field(() => Int, { nullable: true })
  entrance: number | null;

  @Field(() => Int, { nullable: true })
  floor: number | null;

  @Field({ description: 'Snapshot: the caller’s name' })
  contactName: string;

  @Field(() => String, { nullable: true, description: 'Snapshot: the caller’s phone, E.164' })
  contactPhone: string | null;

  @Field({ description: 'Snapshot: the address as filed' })
  contactAddress: string;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => DateTimeScalar)
  updatedAt: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  closedAt: Date | null;
}

@ObjectType()
export class TicketPayload {
  @Field(() => TicketType)
  ticket: TicketType;
}

@ObjectType()
export class TicketCategoryPayload {
  @Field(() => TicketCategoryType)
  category: TicketCategoryType;
}

export const TicketConnection = Connection(TicketType, 'Ticket');
