import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphqlContext } from '../graphql/graphql-context';
import { ExternalIdType } from './dto/external-id.type';
import { ExternalIdEntity } from './external-id.entity';

@Resolver(() => ExternalIdType)
export class ExternalIdResolver {
  /** Every space's identifiers are shown; an employee changes only those of the space they work in (ExternalIdsService.assertSpace). */
  @ResolveField(() => Boolean, {
    description: 'Whether you may change it: only identifiers of the CRM space you work in',
  })
  editable(@Parent() row: ExternalIdEntity, @Context() context: GraphqlContext): boolean {
    return context.principal?.crmSpace === row.space;
  }
}
