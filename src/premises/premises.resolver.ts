import { ExternalIdType } from '../external-ids/dto/external-id.type';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { premisesName } from './premises-name';
import { Context, ID, Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { crmActor, StaffPrincipal } from '../access/principal';
import { connectionComplexity, PageArgs } from '../common/pagination/connection';
import { selectsTotalCount } from '../common/pagination/keyset';
import type { GraphqlContext } from '../graphql/graphql-context';
import { BuildingType } from '../buildings/dto/building.type';
import { Permission } from '../kernel/role';
import { CreatePremisesInput, DeletePremisesInput, PremisesFilter, UpdatePremisesInput } from './dto/premises.input';
import { DeletePremisesPayload, PremisesConnection, PremisesObjectType, PremisesPayload } from './dto/premises.type';
import { PremisesEntity } from './premises.entity';
import { PremisesSearch } from './premises-search.service';
import { PremisesService } from './premises.service';

@Resolver(() => PremisesObjectType)
export class PremisesResolver {
  constructor(
    private readonly premisesService: PremisesService,
    private readonly premisesSearch: PremisesSearch,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Query(() => PremisesConnection, {
    complexity: connectionComplexity,
    description: 'Premises ordered by building and natural number order',
  })
  premisesList(
    @CurrentEmployee() me: StaffPrincipal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter: PremisesFilter,
    @Info() info: GraphQLResolveInfo,
    @Context() context: GraphqlContext,
  ) {
    return this.premisesSearch.list(
      me.organizationId,
      filter,
      page,
      selectsTotalCount(info),
      context.loaders.premisesSearchAlternatives,
    );
  }

  @Query(() => PremisesObjectType)
  premises(@CurrentEmployee() me: StaffPrincipal, @Args('id', { type: () => ID }) id: string) {
    return this.premisesService.get(this.dataSource.manager, me.organizationId, id);
  }

  @Mutation(() => PremisesPayload)
  @RequirePermission(Permission.EDIT_PREMISES)
  async createPremises(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: CreatePremisesInput) {
    return { premises: await this.premisesService.create(me.organizationId, input) };
  }

  @Mutation(() => PremisesPayload)
  @RequirePermission(Permission.EDIT_PREMISES)
  async updatePremises(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpdatePremisesInput) {
    return { premises: await this.premisesService.update(me.organizationId, input) };
  }

  @Mutation(() => DeletePremisesPayload)
  @RequirePermission(Permission.DELETE_PREMISES)
  async deletePremises(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: DeletePremisesInput) {
    return { deletedId: await this.premisesService.delete(crmActor(me), input.id) };
  }

  @ResolveField(() => BuildingType)
  building(@Parent() premises: PremisesEntity, @Context() context: GraphqlContext) {
    return context.loaders.buildingById.load(premises.buildingId);
  }

  @ResolveField(() => [ExternalIdType], {
    description: 'Identifiers of every CRM space (written by the integration API), each with its space',
  })
  externalIds(@Parent() premises: PremisesEntity, @Context() context: GraphqlContext) {
    return context.loaders.externalIdsByPremisesId.load(premises.id);
  }

  @ResolveField(() => String, { description: 'How staff name it: "Москва, ул. Ленина, д. 5, кв. 12"' })
  async name(@Parent() premises: PremisesEntity, @Context() context: GraphqlContext): Promise<string> {
    const building = await context.loaders.buildingById.load(premises.buildingId);
    return premisesName(building, premises);
  }
}
