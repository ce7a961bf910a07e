import { Field, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { StaffPrincipal } from '../access/principal';
import { OrganizationType } from './dto/employee.type';
import { UpdateOrganizationSettingsInput } from './dto/organization-settings.input';
import { OrganizationsService } from './organizations.service';
import { Permission } from '../kernel/role';

@ObjectType()
export class OrganizationPayload {
  @Field(() => OrganizationType)
  organization: OrganizationType;
}

@Resolver(() => OrganizationType)
export class OrganizationsResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @Mutation(() => OrganizationPayload, {
    description: 'Admin: the caller’s organization settings (self-registration from the app)',
  })
  @RequirePermission(Permission.MANAGE_ORGANIZATION)
  async updateOrganizationSettings(
    @CurrentEmployee() me: StaffPrincipal,
    @Args('input') input: UpdateOrganizationSettingsInput,
  ) {
    return { organization: await this.organizations.updateSettings(me.organizationId, input) };
  }
}
