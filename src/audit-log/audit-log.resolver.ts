import { Context, ID, Info, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee } from '../access/auth.decorators';
import { StaffPrincipal } from '../access/principal';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { AuditService } from '../audit/audit.service';
import { AuditEntryConnection, AuditEntryType } from '../audit/dto/audit-entry.type';
import { maskPersonalFields } from '../clients/personal-data';
import { NotFoundException } from '../common/errors/domain.exception';
import { connectionComplexity, ConnectionShape, PageArgs } from '../common/pagination/connection';
import { selectsTotalCount } from '../common/pagination/keyset';
import { Args } from '../common/validation/validated-args';
import type { GraphqlContext } from '../graphql/graphql-context';
import { TicketsService } from '../tickets/tickets.service';

const NOTHING: ConnectionShape<AuditEntryEntity> = {
  edges: [],
  totalCount: 0,
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
};

/**
 * A record's history, shown by the same rules as the record: a ticket's only to an employee who may
 * see the ticket now (ticket-visibility), personal data in every snapshot masked for an employee
 * who may not read it (clients/personal-data). A history the caller may not see is empty, exactly like
 * that of an id that does not exist.
 */
@Resolver(() => AuditEntryType)
export class AuditLogResolver {
  constructor(
    private readonly audit: AuditService,
    private readonly tickets: TicketsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Query(() => AuditEntryConnection, {
    complexity: connectionComplexity,
    description: 'Changes of one record, newest first',
  })
  async auditLog(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Args('entityType', { type: () => AuditEntityType }) entityType: AuditEntityType,
    @Args('entityId', { type: () => ID }) entityId: string,
    @Args() page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<AuditEntryEntity>> {
    if (entityType === AuditEntityType.TICKET && !(await this.seesTicket(context, entityId))) return NOTHING;
    const log = await this.audit.list(
      me.organizationId,
      me.crmSpace,
      entityType,
      entityId,
      page,
      selectsTotalCount(info),
    );
    if (me.viewsPersonalData) return log;
    return { ...log, edges: log.edges.map(({ cursor, node }) => ({ cursor, node: masked(node) })) };
  }

  private async seesTicket(context: GraphqlContext, id: string): Promise<boolean> {
    return this.tickets.get(this.dataSource.manager, await context.loaders.ticketScope(), id).then(
      () => true,
      (error: unknown) => {
        if (error instanceof NotFoundException) return false;
        throw error;
      },
    );
  }
}

function masked(entry: AuditEntryEntity): AuditEntryEntity {
  const before = entry.before && maskPersonalFields(entry.before);
  const after = entry.after && maskPersonalFields(entry.after);
  return before === entry.before && after === entry.after
    ? entry
    : Object.assign(new AuditEntryEntity(), entry, { before, after });
}
