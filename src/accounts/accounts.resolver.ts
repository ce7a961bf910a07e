import { Context, ID, Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Args } from '../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { crmActor, StaffPrincipal } from '../access/principal';
import { ClientObjectType } from '../clients/dto/client.type';
import { ExternalIdType } from '../external-ids/dto/external-id.type';
import { connectionComplexity, PageArgs } from '../common/pagination/connection';
import { selectsTotalCount } from '../common/pagination/keyset';
import type { GraphqlContext } from '../graphql/graphql-context';
import { Permission } from '../kernel/role';
import { PremisesObjectType } from '../premises/dto/premises.type';
import { AccountEntity } from './account.entity';
import { AccountReads } from './account-reads';
import { AccountSearch } from './account-search';
import { AccountsService } from './accounts.service';
import { AccountFilter, CloseAccountInput, CreateAccountInput, UpdateAccountInput } from './dto/account.input';
import { AccountConnection, AccountPayload, AccountType } from './dto/account.type';

@Resolver(() => AccountType)
export class AccountsResolver {
  constructor(
    private readonly accountsService: AccountsService,
    private readonly accountReads: AccountReads,
    private readonly accountSearch: AccountSearch,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Query(() => AccountConnection, {
    complexity: connectionComplexity,
    description: 'Personal accounts in number order',
  })
  accounts(
    @CurrentEmployee() me: StaffPrincipal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter: AccountFilter,
    @Info() info: GraphQLResolveInfo,
  ) {
    return this.accountSearch.list(me.organizationId, filter, page, selectsTotalCount(info));
  }

  @Query(() => AccountType)
  account(@CurrentEmployee() me: StaffPrincipal, @Args('id', { type: () => ID }) id: string) {
    return this.accountReads.get(this.dataSource.manager, me.organizationId, id);
  }

  @Mutation(() => AccountPayload)
  @RequirePermission(Permission.EDIT_ACCOUNTS)
  async createAccount(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: CreateAccountInput) {
    return { account: await this.accountsService.create(crmActor(me), input) };
  }

  @Mutation(() => AccountPayload)
  @RequirePermission(Permission.EDIT_ACCOUNTS)
  async updateAccount(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: UpdateAccountInput) {
    return { account: await this.accountsService.update(crmActor(me), input) };
  }

  @Mutation(() => AccountPayload)
  @RequirePermission(Permission.EDIT_ACCOUNTS)
  async closeAccount(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: CloseAccountInput) {
    return { account: await this.accountsService.close(crmActor(me), input.id, input.closedOn) };
  }

  @ResolveField(() => PremisesObjectType)
  premises(@Parent() account: AccountEntity, @Context() context: GraphqlContext) {
    return context.loaders.premisesById.load(account.premisesId);
  }

  @ResolveField(() => [ExternalIdType], {
    description: 'Identifiers of every CRM space, each with its space; `editable` only in the space you work in',
  })
  externalIds(@Parent() account: AccountEntity, @Context() context: GraphqlContext) {
    return context.loaders.externalIdsByAccountId.load(account.id);
  }

  @ResolveField(() => ClientObjectType, { nullable: true })
  owner(@Parent() account: AccountEntity, @Context() context: GraphqlContext) {
    return account.ownerClientId ? context.loaders.clientById.load(account.ownerClientId) : null;
  }
}

@Resolver(() => PremisesObjectType)
export class PremisesAccountsResolver {
  @ResolveField(() => [AccountType], { description: 'The premises’ personal accounts' })
  accounts(@Parent() premises: { id: string }, @Context() context: GraphqlContext) {
    return context.loaders.accountsByPremisesId.load(premises.id);
  }
}
