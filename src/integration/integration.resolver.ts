import { Context, Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { selectsTotalCount } from '../common/pagination/keyset';
import { Args } from '../common/validation/validated-args';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { StaffPrincipal } from '../access/principal';
import { Actor, AuditChannel } from '../kernel/actor';
import { connectionComplexity, PageArgs } from '../common/pagination/connection';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { ExternalIdsService } from '../external-ids/external-ids.service';
import type { GraphqlContext } from '../graphql/graphql-context';
import { Permission } from '../kernel/role';
import { ChangeRow, ChangesService } from './changes.service';
import {
  DeleteByExternalIdInput,
  UpsertAccountsInput,
  UpsertBuildingsInput,
  UpsertClientsInput,
  UpsertPremisesInput,
} from './dto/integration.input';
import { BatchPayloadType, ChangeConnection, ChangeType, ItemResultType, ItemStatus } from './dto/integration.type';
import { IntegrationService } from './integration.service';
import { DateTimeScalar } from '../common/graphql/date-time.scalar';

function payload(results: ItemResultType[]): BatchPayloadType {
  const count = (status: ItemStatus) => results.filter((r) => r.status === status).length;
  return {
    results,
    created: count(ItemStatus.CREATED),
    updated: count(ItemStatus.UPDATED),
    unchanged: count(ItemStatus.UNCHANGED),
    deleted: count(ItemStatus.DELETED),
    failed: count(ItemStatus.FAILED),
  };
}

@Resolver(() => ChangeType)
export class IntegrationResolver {
  constructor(
    private readonly integration: IntegrationService,
    private readonly changesService: ChangesService,
    private readonly externalIds: ExternalIdsService,
  ) {}

  /** Integration calls act in the caller's own CRM space only, and are audited with the calling system. */
  private actor(me: StaffPrincipal, input: { space: StaffPrincipal['crmSpace']; system: string }): Actor {
    const actor: Actor = {
      organizationId: me.organizationId,
      employeeId: me.employeeId,
      channel: AuditChannel.INTEGRATION,
      channelRef: input.system.trim(),
      space: me.crmSpace,
    };
    this.externalIds.assertSpace(actor, input.space);
    return actor;
  }

  @Mutation(() => BatchPayloadType, {
    description: 'Up to 1,000 clients keyed by (space, system, externalId); one result per item',
  })
  @RequirePermission(Permission.USE_INTEGRATION_API)
  async upsertClients(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpsertClientsInput) {
    return payload(await this.integration.upsertClients(this.actor(me, input), input.system.trim(), input.items));
  }

  @Mutation(() => BatchPayloadType, {
    description: 'Up to 1,000 buildings keyed by (space, system, externalId), else by address',
  })
  @RequirePermission(Permission.USE_INTEGRATION_API)
  async upsertBuildings(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpsertBuildingsInput) {
    return payload(await this.integration.upsertBuildings(this.actor(me, input), input.system.trim(), input.items));
  }

  @Mutation(() => BatchPayloadType, {
    description: 'Up to 1,000 premises keyed by (space, system, externalId), else by building + type + number',
  })
  @RequirePermission(Permission.USE_INTEGRATION_API)
  async upsertPremises(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpsertPremisesInput) {
    return payload(await this.integration.upsertPremises(this.actor(me, input), input.system.trim(), input.items));
  }

  @Mutation(() => BatchPayloadType, {
    description: 'Up to 1,000 accounts keyed by (space, system, externalId), else by number',
  })
  @RequirePermission(Permission.USE_INTEGRATION_API)
  async upsertAccounts(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpsertAccountsInput) {
    return payload(await this.integration.upsertAccounts(this.actor(me, input), input.system.trim(), input.items));
  }

  @Mutation(() => BatchPayloadType, {
    description: 'Deletes the records behind these identifiers; one still referenced fails with CONFLICT',
  })
  @RequirePermission(Permission.USE_INTEGRATION_API)
  async deleteByExternalId(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: DeleteByExternalIdInput) {
    return payload(
      await this.integration.deleteByExternalId(
        this.actor(me, input),
        input.entityType,
        input.system.trim(),
        input.externalIds,
      ),
    );
  }

  @Query(() => ChangeConnection, {
    complexity: connectionComplexity,
    description: 'Records of one type changed or deleted since a moment, oldest first',
  })
  @RequirePermission(Permission.USE_INTEGRATION_API)
  changes(
    @CurrentEmployee() me: StaffPrincipal,
    @Args('entityType', { type: () => ExternalEntityType }) entityType: ExternalEntityType,
    @Args('updatedSince', { type: () => DateTimeScalar }) updatedSince: Date,
    @Args() page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    return this.changesService.list(me.organizationId, entityType, updatedSince, page, selectsTotalCount(info));
  }

  @ResolveField()
  client(@Parent() change: ChangeRow, @Context() context: GraphqlContext) {
    return change.entityType === ExternalEntityType.CLIENT && !change.deleted
      ? context.loaders.clientById.load(change.entityId)
      : null;
  }

  @ResolveField()
  account(@Parent() change: ChangeRow, @Context() context: GraphqlContext) {
    return change.entityType === ExternalEntityType.ACCOUNT && !change.deleted
      ? context.loaders.accountById.load(change.entityId)
      : null;
  }

  @ResolveField()
  premises(@Parent() change: ChangeRow, @Context() context: GraphqlContext) {
    return change.entityType === ExternalEntityType.PREMISES && !change.deleted
      ? context.loaders.premisesById.load(change.entityId)
      : null;
  }

  @ResolveField()
  building(@Parent() change: ChangeRow, @Context() context: GraphqlContext) {
    return change.entityType === ExternalEntityType.BUILDING && !change.deleted
      ? context.loaders.buildingById.load(change.entityId)
      : null;
  }
}
