import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { CurrentResident, Public, ResidentOnly } from '../access/auth.decorators';
import { ResidentPrincipal } from '../access/principal';
import type { GraphqlContext } from '../graphql/graphql-context';
import { normalizePhone } from '../common/validation/phone';
import { RequestSignInCodeInput, SignInInput } from './dto/resident.input';
import { ResidentSignInPayload, SignInCodePayload } from './dto/resident.type';
import { ResidentsService } from './residents.service';
import { clientAddress } from '../rate-limit/client-address';

@Resolver()
export class ResidentsResolver {
  constructor(private readonly residents: ResidentsService) {}

  @Public()
  @Mutation(() => SignInCodePayload, {
    description: 'Resident app: sends a one-time sign-in code by SMS (rate-limited per phone and per client address)',
  })
  async requestSignInCode(
    @Args('input') input: RequestSignInCodeInput,
    @Context() context: GraphqlContext,
  ): Promise<SignInCodePayload> {
    const { expiresAt } = await this.residents.requestCode(input.phone, clientAddress(context.req));
    return { phone: normalizePhone(input.phone)!, expiresAt };
  }

  @Public()
  @Mutation(() => ResidentSignInPayload, { description: 'Resident app: exchanges the SMS code for a resident token' })
  async signIn(@Args('input') input: SignInInput, @Context() context: GraphqlContext): Promise<ResidentSignInPayload> {
    const { accessToken, expiresAt, resident } = await this.residents.signIn(
      input.phone,
      input.code,
      clientAddress(context.req),
    );
    return { accessToken, expiresAt, phone: resident.phone };
  }

  @ResidentOnly()
  @Mutation(() => Boolean, { description: 'Resident app: ends this session' })
  async signOutResident(@CurrentResident() me: ResidentPrincipal): Promise<boolean> {
    await this.residents.signOut(me);
    return true;
  }
}
