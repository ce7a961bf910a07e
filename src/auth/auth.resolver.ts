import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { LoginInput } from '../organizations/dto/employee.input';
import { LoginPayload, LogoutPayload } from '../organizations/dto/employee.payload';
import type { GraphqlContext } from '../graphql/graphql-context';
import { RequestLoadersFactory } from '../graphql/request-loaders';
import { CurrentEmployee, Public } from '../access/auth.decorators';
import { AuthService } from './auth.service';
import { clientAddress } from '../rate-limit/client-address';
import { StaffPrincipal } from '../access/principal';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly loaders: RequestLoadersFactory,
  ) {}

  @Public()
  @Mutation(() => LoginPayload, {
    description: 'Staff sign-in by e-mail and password (throttled per e-mail and per client address)',
  })
  async login(@Args('input') input: LoginInput, @Context() context: GraphqlContext) {
    const result = await this.auth.login(input.email, input.password, clientAddress(context.req));
    // The request arrived anonymous; the payload's employee fields resolve within the new session's organization.
    context.loaders = this.loaders.forEmployee(
      result.employee.organizationId,
      result.employee.crmSpace,
      result.employee.id,
    );
    return result;
  }

  @Mutation(() => LogoutPayload, { description: 'Ends the current session; its token stops working at once' })
  async logout(@CurrentEmployee() me: StaffPrincipal) {
    await this.auth.logout(me);
    return { signedOut: true };
  }
}
