import { Field, ID, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/graphql/json.scalar';
import { Connection } from '../../common/pagination/connection';
import { AuditEntityType } from '../audit-enums';
import { AuditChannel } from '../../kernel/actor';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

@ObjectType('AuditEntry', {
  description: 'One change: who, when, through which channel, the changed fields before and after',
})
export class AuditEntryType {
  @Field(() => ID)
  id: string;

  @Field(() => AuditEntityType)
  entityType: AuditEntityType;

  @Field(() => ID)
  entityId: string;

  @Field({ description: 'created, updated, blocked, unblocked, phone_changed, merged, tag_added, …' })
  action: string;

  @Field(() => AuditChannel)
  channel: AuditChannel;

  @Field(() => String, { nullable: true, description: 'Import job id or integration system' })
  channelRef: string | null;

  @Field(() => ID, { nullable: true })
  actorEmployeeId: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  before: Record<string, unknown> | null;

  @Field(() => GraphQLJSON, { nullable: true })
  after: Record<string, unknown> | null;

  @Field(() => DateTimeScalar)
  at: Date;
}

export const AuditEntryConnection = Connection(AuditEntryType, 'AuditEntry');
