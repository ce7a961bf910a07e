import { ID, Info, Query, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee } from '../auth/auth.decorators';
import { StaffPrincipal } from '../auth/principal';
import { connectionComplexity, PageArgs } from '../common/pagination/connection';
import { selectsTotalCount } from '../common/pagination/keyset';
import { AuditEntityType } from './audit-enums';
import { AuditService } from './audit.service';
import { AuditEntryConnection, AuditEntryType } from './dto/audit-entry.type';

@Resolver(() => AuditEntryType)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEntryConnection, { complexity: connectionComplexity, description: 'Changes of one record, newest first' })
  auditLog(
    @CurrentEmployee() me: StaffPrincipal,
    @Args('entityType', { type: () => AuditEntityType }) entityType: AuditEntityType,
    @Args('entityId', { type: () => ID }) entityId: string,
    @Args() page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    return this.audit.list(me.organizationId, me.crmSpace, entityType, entityId, page, selectsTotalCount(info));
  }
}
