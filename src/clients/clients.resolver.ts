import { Context, ID, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { crmActor, StaffPrincipal } from '../access/principal';
import { connectionComplexity, PageArgs } from '../common/pagination/connection';
import { selectsTotalCount } from '../common/pagination/keyset';
import { ExternalIdType } from '../external-ids/dto/external-id.type';
import { ExternalIdsService } from '../external-ids/external-ids.service';
import type { GraphqlContext } from '../graphql/graphql-context';
import { Permission } from '../kernel/role';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { DataSource } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { ClientStatus } from './client-enums';
import { ClientEntity } from './client.entity';
import { ClientsService } from './clients.service';
import { ClientReads } from './client-reads';
import { ClientSearch } from './client-search';
import {
  AddClientTagInput,
  AddExternalIdInput,
  BlockClientInput,
  ChangeClientPhoneInput,
  ClientFilter,
  ClientIdInput,
  CreateClientInput,
  MergeClientsInput,
  RemoveClientTagInput,
  RemoveExternalIdInput,
  UpdateClientInput,
  UpdateExternalIdInput,
} from './dto/client.input';
import {
  ClientConnection,
  ClientObjectType,
  ClientPayload,
  ExternalIdPayload,
  MergeClientsPayload,
  RemoveExternalIdPayload,
  TagType,
} from './dto/client.type';
import { TagsService } from './tags.service';

@Resolver(() => ClientObjectType)
export class ClientsResolver {
  constructor(
    private readonly clientsService: ClientsService,
    private readonly clientReads: ClientReads,
    private readonly clientSearch: ClientSearch,
    private readonly tagsService: TagsService,
    private readonly externalIdsService: ExternalIdsService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Query(() => ClientConnection, {
    complexity: connectionComplexity,
    description: 'Clients in surname order; every filter field narrows the list',
  })
  clients(
    @CurrentEmployee() me: StaffPrincipal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter: ClientFilter,
    @Info() info: GraphQLResolveInfo,
    @Context() context: GraphqlContext,
  ) {
    return this.clientSearch.list(
      crmActor(me),
      filter,
      page,
      selectsTotalCount(info),
      context.loaders.clientFilters(filter),
    );
  }

  @Query(() => ClientObjectType)
  client(@CurrentEmployee() me: StaffPrincipal, @Args('id', { type: () => ID }) id: string) {
    return this.clientReads.get(this.dataSource.manager, me.organizationId, id);
  }

  @Query(() => [TagType], { description: 'Tag typeahead: tags starting with the prefix' })
  tags(
    @CurrentEmployee() me: StaffPrincipal,
    @Args('prefix', { nullable: true }) prefix: string,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
  ) {
    return this.tagsService.search(me.organizationId, prefix, Math.min(Math.max(first, 1), 100));
  }

  @Mutation(() => ClientPayload, {
    description: 'Creates a card, or merges into the card of the same person (same full name and phone)',
  })
  @RequirePermission(Permission.EDIT_CLIENTS)
  createClient(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: CreateClientInput) {
    return this.clientsService.create(crmActor(me), input);
  }

  @Mutation(() => ClientPayload)
  @RequirePermission(Permission.EDIT_CLIENTS)
  async updateClient(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpdateClientInput) {
    return { client: await this.clientsService.update(crmActor(me), input), merged: false, sharedPhones: [] };
  }

  @Mutation(() => ClientPayload)
  @RequirePermission(Permission.BLOCK_CLIENTS)
  async blockClient(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: BlockClientInput) {
    return {
      client: await this.clientsService.setStatus(crmActor(me), input.id, ClientStatus.BLOCKED, input.reason),
      merged: false,
      sharedPhones: [],
    };
  }

  @Mutation(() => ClientPayload)
  @RequirePermission(Permission.BLOCK_CLIENTS)
  async unblockClient(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: ClientIdInput) {
    return {
      client: await this.clientsService.setStatus(crmActor(me), input.id, ClientStatus.ACTIVE),
      merged: false,
      sharedPhones: [],
    };
  }

  @Mutation(() => ClientPayload, { description: 'Admins only: the phone is the resident’s app login' })
  @RequirePermission(Permission.CHANGE_CLIENT_PHONE)
  async changeClientPhone(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: ChangeClientPhoneInput) {
    return {
      client: await this.clientsService.changePhone(crmActor(me), input.id, input.phone),
      merged: false,
      sharedPhones: [],
    };
  }

  @Mutation(() => MergeClientsPayload, {
    description:
      'Admins only: moves premises, accounts, tags and identifiers of the source to the target and removes the source',
  })
  @RequirePermission(Permission.MERGE_CLIENTS)
  async mergeClients(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: MergeClientsInput) {
    return {
      client: await this.clientsService.merge(crmActor(me), input.targetId, input.sourceId),
      removedClientId: input.sourceId,
    };
  }

  @Mutation(() => ClientPayload, { description: 'Tags the client, creating the tag on first use' })
  @RequirePermission(Permission.EDIT_CLIENTS)
  async addClientTag(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: AddClientTagInput) {
    return {
      client: (await this.tagsService.add(crmActor(me), input.clientId, input.tagName)).client,
      merged: false,
      sharedPhones: [],
    };
  }

  @Mutation(() => ClientPayload)
  @RequirePermission(Permission.EDIT_CLIENTS)
  async removeClientTag(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: RemoveClientTagInput) {
    return {
      client: (await this.tagsService.remove(crmActor(me), input.clientId, input.tagId)).client,
      merged: false,
      sharedPhones: [],
    };
  }

  @Mutation(() => ExternalIdPayload, { description: 'Only in the CRM space you work in' })
  @RequirePermission(Permission.EDIT_CLIENTS)
  async addExternalId(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: AddExternalIdInput) {
    const actor = crmActor(me);
    return this.dataSource.transaction(async (tx) => {
      const client = await this.clientReads.get(tx, me.organizationId, input.clientId, 'input.clientId');
      this.externalIdsService.assertSpace(actor, input.space);
      const externalId = await this.clientsService.addExternalId(tx, actor, client.id, input);
      return { externalId, client };
    });
  }

  @Mutation(() => ExternalIdPayload)
  @RequirePermission(Permission.EDIT_CLIENTS)
  async updateExternalId(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpdateExternalIdInput) {
    const actor = crmActor(me);
    return this.dataSource.transaction(async (tx) => {
      const row = await this.externalIdsService.getEditable(tx, actor, input.id);
      const client = await this.clientReads.get(tx, me.organizationId, row.entityId);
      const updated = await this.externalIdsService.update(tx, actor, row, {
        system: input.system?.trim(),
        value: input.value?.trim(),
        note: input.note,
      });
      const unchanged = updated.system === row.system && updated.value === row.value && updated.note === row.note;
      if (unchanged) return { externalId: updated, client };
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.CLIENT,
          entityId: client.id,
          action: 'external_id_updated',
          before: { space: row.space, system: row.system, value: row.value, note: row.note },
          after: { space: updated.space, system: updated.system, value: updated.value, note: updated.note },
        },
      ]);
      return { externalId: updated, client };
    });
  }

  @Mutation(() => RemoveExternalIdPayload)
  @RequirePermission(Permission.EDIT_CLIENTS)
  async removeExternalId(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: RemoveExternalIdInput) {
    const actor = crmActor(me);
    return this.dataSource.transaction(async (tx) => {
      const row = await this.externalIdsService.getEditable(tx, actor, input.id);
      const client = await this.clientReads.get(tx, me.organizationId, row.entityId);
      await this.externalIdsService.remove(tx, actor, row);
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.CLIENT,
          entityId: client.id,
          action: 'external_id_removed',
          before: { space: row.space, system: row.system, value: row.value, note: row.note },
        },
      ]);
      return { removedId: row.id, client };
    });
  }

  @ResolveField('tags', () => [TagType])
  tagsOfClient(@Parent() client: ClientEntity, @Context() context: GraphqlContext) {
    return context.loaders.tagsByClientId.load(client.id);
  }

  @ResolveField(() => [ExternalIdType], {
    description: 'Identifiers of every CRM space, each with its space; `editable` only in the space you work in',
  })
  externalIds(@Parent() client: ClientEntity, @Context() context: GraphqlContext) {
    return context.loaders.externalIdsByClientId.load(client.id);
  }
}
