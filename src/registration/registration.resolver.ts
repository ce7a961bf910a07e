import { HOLD_REASON_TEXT, RegistrationHoldReason } from './auto-attach-policy';
import { Context, Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee, CurrentResident, RequirePermission, ResidentOnly } from '../access/auth.decorators';
import { ResidentPrincipal, StaffPrincipal } from '../access/principal';
import { connectionComplexity, PageArgs } from '../common/pagination/connection';
import { selectsTotalCount } from '../common/pagination/keyset';
import type { GraphqlContext } from '../graphql/graphql-context';
import { Permission } from '../kernel/role';
import {
  ApproveRegistrationInput,
  CommentRegistrationInput,
  RegistrationRequestFilter,
  RejectRegistrationInput,
  SubmitRegistrationInput,
} from './dto/registration.input';
import {
  RegistrationEventType,
  RegistrationRequestConnection,
  RegistrationRequestPayload,
  RegistrationRequestType,
  ResidentPremisesType,
} from './dto/registration.type';
import { RegistrationRequestEntity } from './registration-request.entity';
import { RegistrationStatus, STATUS_TEXT } from './registration-enums';
import { RegistrationQueries } from './registration-queries.service';
import { RegistrationReview } from './registration-review.service';
import { RegistrationSubmission } from './registration-submission.service';

@Resolver(() => RegistrationRequestType)
export class RegistrationResolver {
  constructor(
    private readonly submission: RegistrationSubmission,
    private readonly review: RegistrationReview,
    private readonly queries: RegistrationQueries,
  ) {}

  // ---- resident app ----

  @ResidentOnly()
  @Query(() => [ResidentPremisesType], {
    description: 'Resident app: premises the resident is attached to; empty → show the registration form',
  })
  myPremises(@CurrentResident() me: ResidentPrincipal) {
    return this.queries.premisesOfResident(me);
  }

  @ResidentOnly()
  @Query(() => [RegistrationRequestType], {
    description: 'Resident app: the resident’s registration requests, newest first',
  })
  myRegistrationRequests(@CurrentResident() me: ResidentPrincipal) {
    return this.queries.requestsOfResident(me);
  }

  @ResidentOnly()
  @Mutation(() => RegistrationRequestPayload, {
    description: 'Resident app: asks to be attached to premises; attached at once when the premises is identified',
  })
  async submitRegistration(@CurrentResident() me: ResidentPrincipal, @Args('input') input: SubmitRegistrationInput) {
    return { request: await this.submission.submit(me, input) };
  }

  // ---- staff ----

  @Query(() => RegistrationRequestConnection, {
    complexity: connectionComplexity,
    description: '«Ожидают регистрации» (status PENDING) and the handled ones, oldest first',
  })
  registrationRequests(
    @CurrentEmployee() me: StaffPrincipal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter: RegistrationRequestFilter,
    @Info() info: GraphQLResolveInfo,
  ) {
    return this.queries.list(me.organizationId, filter?.status, page, selectsTotalCount(info));
  }

  @Mutation(() => RegistrationRequestPayload, {
    description:
      'Creates or matches the client, attaches with the chosen role (keepOnSync on by default) and notifies the resident',
  })
  @RequirePermission(Permission.HANDLE_REGISTRATIONS)
  async approveRegistration(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: ApproveRegistrationInput) {
    return { request: await this.review.approve(me, input) };
  }

  @Mutation(() => RegistrationRequestPayload, {
    description: 'The resident’s app shows «Заявка на регистрацию отклонена» with the reason',
  })
  @RequirePermission(Permission.HANDLE_REGISTRATIONS)
  async rejectRegistration(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: RejectRegistrationInput) {
    return { request: await this.review.reject(me, input.id, input.reason) };
  }

  @Mutation(() => RegistrationRequestPayload)
  @RequirePermission(Permission.HANDLE_REGISTRATIONS)
  async commentRegistration(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: CommentRegistrationInput) {
    return { request: await this.review.comment(me, input.id, input.comment) };
  }

  @ResolveField(() => String)
  statusText(@Parent() request: RegistrationRequestEntity) {
    return STATUS_TEXT[request.status].ru;
  }

  @ResolveField(() => String)
  statusTextEn(@Parent() request: RegistrationRequestEntity) {
    return STATUS_TEXT[request.status].en;
  }

  @ResolveField(() => RegistrationHoldReason, {
    nullable: true,
    description: 'Staff only: why a PENDING request was not attached at once',
  })
  holdReason(@Parent() request: RegistrationRequestEntity, @Context() context: GraphqlContext) {
    // The resident is not told that somebody else owns the flat they typed.
    return context.loaders && request.status === RegistrationStatus.PENDING ? request.holdReason : null;
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'Staff only: the hold reason as the «Ожидают регистрации» list shows it',
  })
  holdReasonText(@Parent() request: RegistrationRequestEntity, @Context() context: GraphqlContext) {
    const reason = this.holdReason(request, context);
    return reason ? HOLD_REASON_TEXT[reason].ru : null;
  }

  @ResolveField(() => String, { nullable: true })
  holdReasonTextEn(@Parent() request: RegistrationRequestEntity, @Context() context: GraphqlContext) {
    const reason = this.holdReason(request, context);
    return reason ? HOLD_REASON_TEXT[reason].en : null;
  }

  @ResolveField(() => [RegistrationEventType], { description: 'Who did what and when (staff only)' })
  history(@Parent() request: RegistrationRequestEntity, @Context() context: GraphqlContext) {
    // The resident's own view has no staff loaders: they see the status and the reason, not the staff's notes.
    return context.loaders ? context.loaders.registrationEventsByRequestId.load(request.id) : [];
  }
}
