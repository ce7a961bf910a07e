import { Field, ID, ObjectType } from '@nestjs/graphql';
import { CrmSpace } from '../../kernel/crm-space';
import { DateTimeScalar } from '../../common/graphql/date-time.scalar';

@ObjectType('ExternalId', { description: 'An identifier another system gives the record: {space, system, value}' })
export class ExternalIdType {
  @Field(() => ID)
  id: string;

  @Field(() => CrmSpace)
  space: CrmSpace;

  @Field({ description: 'The other system: "1С", "billing", …' })
  system: string;

  @Field()
  value: string;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => DateTimeScalar)
  updatedAt: Date;
}
