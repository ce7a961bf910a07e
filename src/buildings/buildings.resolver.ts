import { ExternalIdType } from '../external-ids/dto/external-id.type';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Context, ID, Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { StaffPrincipal } from '../access/principal';
import { connectionComplexity, PageArgs } from '../common/pagination/connection';
import { selectsTotalCount } from '../common/pagination/keyset';
import type { GraphqlContext } from '../graphql/graphql-context';
import { EmployeeType } from '../organizations/dto/employee.type';
import { Permission } from '../kernel/role';
import { BuildingEntity } from './building.entity';
import { BuildingsService } from './buildings.service';
import {
  BuildingFilter,
  CreateBuildingInput,
  UpdateBuildingInput,
  UpdateReferenceSheetInput,
} from './dto/building.input';
import { BuildingConnection, BuildingPayload, BuildingType, ReferenceSheetType } from './dto/building.type';

@Resolver(() => BuildingType)
export class BuildingsResolver {
  constructor(
    private readonly buildingsService: BuildingsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Query(() => BuildingConnection, {
    complexity: connectionComplexity,
    description: 'Buildings the organization serves, ordered by address',
  })
  buildings(
    @CurrentEmployee() me: StaffPrincipal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter: BuildingFilter,
    @Info() info: GraphQLResolveInfo,
  ) {
    return this.buildingsService.list(me.organizationId, filter, page, selectsTotalCount(info));
  }

  @Query(() => BuildingType)
  building(@CurrentEmployee() me: StaffPrincipal, @Args('id', { type: () => ID }) id: string) {
    return this.buildingsService.get(this.dataSource.manager, me.organizationId, id);
  }

  @Mutation(() => BuildingPayload)
  @RequirePermission(Permission.EDIT_BUILDINGS)
  async createBuilding(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: CreateBuildingInput) {
    return { building: await this.buildingsService.create(me.organizationId, me.employeeId, input) };
  }

  @Mutation(() => BuildingPayload)
  @RequirePermission(Permission.EDIT_BUILDINGS)
  async updateBuilding(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpdateBuildingInput) {
    return { building: await this.buildingsService.update(me.organizationId, input) };
  }

  @Mutation(() => BuildingPayload, { description: 'Replaces the reference sheet (справка по объекту)' })
  @RequirePermission(Permission.EDIT_REFERENCE_SHEET)
  async updateReferenceSheet(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpdateReferenceSheetInput) {
    return { building: await this.buildingsService.updateReferenceSheet(me.organizationId, me.employeeId, input) };
  }

  @ResolveField(() => [ExternalIdType], {
    description: 'Identifiers of every CRM space (written by the integration API), each with its space',
  })
  externalIds(@Parent() building: BuildingEntity, @Context() context: GraphqlContext) {
    return context.loaders.externalIdsByBuildingId.load(building.id);
  }

  @ResolveField(() => ReferenceSheetType)
  referenceSheet(@Parent() building: BuildingEntity): ReferenceSheetType {
    return {
      html: building.referenceSheetHtml,
      updatedAt: building.referenceSheetUpdatedAt,
      updatedById: building.referenceSheetUpdatedBy,
      organizationId: building.organizationId,
    };
  }
}

@Resolver(() => ReferenceSheetType)
export class ReferenceSheetResolver {
  @ResolveField(() => EmployeeType, { nullable: true, description: 'Who last changed the sheet' })
  updatedBy(@Parent() sheet: ReferenceSheetType, @Context() context: GraphqlContext) {
    return sheet.updatedById ? context.loaders.employeeById.load(sheet.updatedById) : null;
  }
}
