import { Context, ID, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Args } from '../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { crmActor, StaffPrincipal } from '../access/principal';
import { BuildingType } from '../buildings/dto/building.type';
import { ClientObjectType } from '../clients/dto/client.type';
import { connectionComplexity, PageArgs } from '../common/pagination/connection';
import { selectsTotalCount } from '../common/pagination/keyset';
import type { GraphqlContext } from '../graphql/graphql-context';
import { EmployeeType, TicketCategoryType } from '../organizations/dto/employee.type';
import { Permission } from '../kernel/role';
import { PremisesObjectType } from '../premises/dto/premises.type';
import {
  ChangeTicketStatusInput,
  CreateTicketCategoryInput,
  CreateTicketInput,
  RenameTicketCategoryInput,
  TicketFilter,
  UpdateTicketInput,
} from './dto/ticket.input';
import { TicketCategoryPayload, TicketConnection, TicketPayload, TicketType } from './dto/ticket.type';
import { TicketCategoriesService } from './ticket-categories.service';
import { TicketEntity } from './ticket.entity';
import { TicketSearch } from './ticket-search.service';
import { TicketsService } from './tickets.service';

@Resolver(() => TicketType)
export class TicketsResolver {
  constructor(
    private readonly ticketsService: TicketsService,
    private readonly ticketSearch: TicketSearch,
    private readonly categories: TicketCategoriesService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Query(() => [TicketCategoryType], {
    description: 'The classifier (place → category → problem) as a flat list; parentId builds the tree',
  })
  ticketCategories(@CurrentEmployee() me: StaffPrincipal) {
    return this.categories.list(me.organizationId);
  }

  @Query(() => TicketConnection, {
    complexity: connectionComplexity,
    description: 'Newest first; only the categories of your specializations',
  })
  async tickets(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter: TicketFilter,
    @Info() info: GraphQLResolveInfo,
  ) {
    const scope = await context.loaders.ticketScope();
    const contact =
      filter?.contactId !== undefined
        ? await context.loaders.contactKey(filter.contactId, 'filter.contactId')
        : undefined;
    return this.ticketSearch.list(scope, filter, page, selectsTotalCount(info), contact);
  }

  @Query(() => TicketType)
  async ticket(@Context() context: GraphqlContext, @Args('id', { type: () => ID }) id: string) {
    return this.ticketsService.get(this.dataSource.manager, await context.loaders.ticketScope(), id);
  }

  @Query(() => TicketConnection, {
    complexity: connectionComplexity,
    description: 'Every caller’s tickets in the house (or one entrance of it), newest first',
  })
  async houseTickets(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Args('buildingId', { type: () => ID }) buildingId: string,
    @Args('entrance', { type: () => Int, nullable: true }) entrance: number | null,
    @Args() page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    await context.loaders.buildingById.load(buildingId);
    return this.ticketSearch.list(
      await context.loaders.ticketScope(),
      { buildingId, entrance: entrance ?? undefined },
      page,
      selectsTotalCount(info),
    );
  }

  @Query(() => [TicketType], {
    description:
      'Open tickets of this category (or below it) in the house and entrance: check before filing a duplicate',
  })
  async similarOpenTickets(
    @Context() context: GraphqlContext,
    @Args('buildingId', { type: () => ID }) buildingId: string,
    @Args('entrance', { type: () => Int, nullable: true }) entrance: number | null,
    @Args('categoryId', { type: () => ID }) categoryId: string,
  ) {
    return this.ticketSearch.similarOpen(await context.loaders.ticketScope(), buildingId, entrance, categoryId);
  }

  @Mutation(() => TicketPayload)
  @RequirePermission(Permission.EDIT_TICKETS)
  async createTicket(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Args('input') input: CreateTicketInput,
  ) {
    return { ticket: await this.ticketsService.create(crmActor(me), await context.loaders.ticketScope(), input) };
  }

  @Mutation(() => TicketPayload)
  @RequirePermission(Permission.EDIT_TICKETS)
  async updateTicket(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Args('input') input: UpdateTicketInput,
  ) {
    return { ticket: await this.ticketsService.update(crmActor(me), await context.loaders.ticketScope(), input) };
  }

  @Mutation(() => TicketPayload, { description: 'An illegal move answers BAD_USER_INPUT naming the allowed statuses' })
  @RequirePermission(Permission.CHANGE_TICKET_STATUS)
  async changeTicketStatus(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Args('input') input: ChangeTicketStatusInput,
  ) {
    return {
      ticket: await this.ticketsService.changeStatus(
        crmActor(me),
        await context.loaders.ticketScope(),
        input.id,
        input.status,
      ),
    };
  }

  @Mutation(() => TicketCategoryPayload)
  @RequirePermission(Permission.EDIT_TICKET_CATEGORIES)
  async createTicketCategory(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: CreateTicketCategoryInput) {
    return { category: await this.categories.create(me.organizationId, input.name, input.parentId) };
  }

  @Mutation(() => TicketCategoryPayload)
  @RequirePermission(Permission.EDIT_TICKET_CATEGORIES)
  async renameTicketCategory(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: RenameTicketCategoryInput) {
    return { category: await this.categories.rename(me.organizationId, input.id, input.name) };
  }

  @ResolveField(() => BuildingType)
  building(@Parent() ticket: TicketEntity, @Context() context: GraphqlContext) {
    return context.loaders.buildingOfPlace(ticket.buildingId, ticket.premisesId);
  }

  @ResolveField(() => PremisesObjectType, { nullable: true })
  premises(@Parent() ticket: TicketEntity, @Context() context: GraphqlContext) {
    return ticket.premisesId ? context.loaders.premisesById.load(ticket.premisesId) : null;
  }

  @ResolveField(() => TicketCategoryType, { nullable: true })
  category(@Parent() ticket: TicketEntity, @Context() context: GraphqlContext) {
    return ticket.categoryId ? context.loaders.ticketCategoryById.load(ticket.categoryId) : null;
  }

  @ResolveField(() => ClientObjectType, { nullable: true, description: 'The caller’s client card, when they have one' })
  client(@Parent() ticket: TicketEntity, @Context() context: GraphqlContext) {
    return ticket.clientId ? context.loaders.clientById.load(ticket.clientId) : null;
  }

  @ResolveField(() => EmployeeType, { nullable: true })
  assignee(@Parent() ticket: TicketEntity, @Context() context: GraphqlContext) {
    return ticket.assigneeId ? context.loaders.employeeById.load(ticket.assigneeId) : null;
  }

  @ResolveField(() => EmployeeType, { nullable: true })
  executor(@Parent() ticket: TicketEntity, @Context() context: GraphqlContext) {
    return ticket.executorId ? context.loaders.employeeById.load(ticket.executorId) : null;
  }
}
