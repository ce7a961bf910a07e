import { Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { crmActor, StaffPrincipal } from '../access/principal';
import { ClientObjectType } from '../clients/dto/client.type';
import type { GraphqlContext } from '../graphql/graphql-context';
import { Permission } from '../kernel/role';
import { PremisesObjectType } from '../premises/dto/premises.type';
import { AttachClientToPremisesInput, DetachClientFromPremisesInput } from './dto/occupancy.input';
import { DetachClientPayload, OccupancyPayload, OccupancyType } from './dto/occupancy.type';
import { OccupancyEntity } from './occupancy.entity';
import { OccupancyService } from './occupancy.service';

@Resolver(() => OccupancyType)
export class OccupancyResolver {
  constructor(private readonly occupancy: OccupancyService) {}

  @Mutation(() => OccupancyPayload, { description: 'Attaches a client to premises; attaching again changes the role' })
  @RequirePermission(Permission.EDIT_CLIENTS)
  async attachClientToPremises(
    @CurrentEmployee() me: StaffPrincipal,
    @Args('input') input: AttachClientToPremisesInput,
  ) {
    return { occupancy: await this.occupancy.attach(crmActor(me), input) };
  }

  @Mutation(() => DetachClientPayload)
  @RequirePermission(Permission.EDIT_CLIENTS)
  async detachClientFromPremises(
    @CurrentEmployee() me: StaffPrincipal,
    @Args('input') input: DetachClientFromPremisesInput,
  ) {
    await this.occupancy.detach(crmActor(me), input.clientId, input.premisesId);
    return input;
  }

  @ResolveField(() => ClientObjectType)
  client(@Parent() occupancy: OccupancyEntity, @Context() context: GraphqlContext) {
    return context.loaders.clientById.load(occupancy.clientId);
  }

  @ResolveField(() => PremisesObjectType)
  premises(@Parent() occupancy: OccupancyEntity, @Context() context: GraphqlContext) {
    return context.loaders.premisesById.load(occupancy.premisesId);
  }
}

@Resolver(() => PremisesObjectType)
export class PremisesOccupancyResolver {
  @ResolveField(() => [OccupancyType], { description: 'The clients attached to the premises, with their roles' })
  clients(@Parent() premises: { id: string }, @Context() context: GraphqlContext) {
    return context.loaders.occupanciesByPremisesId.load(premises.id);
  }
}

@Resolver(() => ClientObjectType)
export class ClientOccupancyResolver {
  @ResolveField(() => [OccupancyType], { description: 'The premises the client is attached to, with their roles' })
  premises(@Parent() client: { id: string }, @Context() context: GraphqlContext) {
    return context.loaders.occupanciesByClientId.load(client.id);
  }
}
