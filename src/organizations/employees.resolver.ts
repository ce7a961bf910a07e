import { Context, ID, Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { StaffPrincipal } from '../access/principal';
import { connectionComplexity, PageArgs } from '../common/pagination/connection';
import { selectsTotalCount } from '../common/pagination/keyset';
import type { GraphqlContext } from '../graphql/graphql-context';
import { CreateEmployeeInput, UpdateEmployeeInput } from './dto/employee.input';
import { EmployeeConnection, EmployeePayload } from './dto/employee.payload';
import { EmployeeType, OrganizationType, TicketCategoryType } from './dto/employee.type';
import { EmployeeEntity } from './employee.entity';
import { EmployeesService } from './employees.service';
import { Permission } from '../kernel/role';

@Resolver(() => EmployeeType)
export class EmployeesResolver {
  constructor(private readonly employeesService: EmployeesService) {}

  @Query(() => EmployeeType, { description: 'The signed-in employee' })
  me(@CurrentEmployee() me: StaffPrincipal) {
    return this.employeesService.get(me.organizationId, me.employeeId);
  }

  @Query(() => EmployeeConnection, { complexity: connectionComplexity })
  employees(@CurrentEmployee() me: StaffPrincipal, @Args() page: PageArgs, @Info() info: GraphQLResolveInfo) {
    return this.employeesService.list(me.organizationId, page, selectsTotalCount(info));
  }

  @Query(() => EmployeeType)
  employee(@CurrentEmployee() me: StaffPrincipal, @Args('id', { type: () => ID }) id: string) {
    return this.employeesService.get(me.organizationId, id);
  }

  @Mutation(() => EmployeePayload)
  @RequirePermission(Permission.MANAGE_EMPLOYEES)
  async createEmployee(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: CreateEmployeeInput) {
    return { employee: await this.employeesService.create(me.organizationId, input) };
  }

  @Mutation(() => EmployeePayload)
  @RequirePermission(Permission.MANAGE_EMPLOYEES)
  async updateEmployee(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpdateEmployeeInput) {
    return { employee: await this.employeesService.update(me.organizationId, me.employeeId, input) };
  }

  @ResolveField(() => OrganizationType)
  organization(@Parent() employee: EmployeeEntity, @Context() context: GraphqlContext) {
    return context.loaders.organizationById.load(employee.organizationId);
  }

  @ResolveField(() => [TicketCategoryType], { description: 'Ticket categories the employee sees; empty means all' })
  specializations(@Parent() employee: EmployeeEntity, @Context() context: GraphqlContext) {
    return context.loaders.specializationsByEmployeeId.load(employee.id);
  }
}
