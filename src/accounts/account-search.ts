import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { escapeLike } from '../common/sql/escape-like';
import { raw, sql, Sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { accountNumberKey } from './account-number';
import { AccountEntity } from './account.entity';
import { AccountFilter } from './dto/account.input';

const NIL = '00000000-0000-0000-0000-000000000000';

/** SQL true when `client` is attached to `premises` (expressions of a row in `organization`): the occupancy module's rule. */
export type AttachedCondition = (organization: Sql, client: Sql, premises: Sql) => Sql;

/**
 * Finding personal accounts: the account list, and the conditions over the account table that other
 * modules' lists embed (the client list's account filter, the premises search's account number).
 */
@Injectable()
export class AccountSearch {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * SQL true when the client row `card` (an alias) holds the account with this number: its owner, or anyone
   * attached to its premises (the client list's account filter). Who is attached is the occupancy module's
   * condition, `attached`, composed by the caller (RequestLoaders.clientFilters).
   */
  holdsAccountSql(card: string, accountNumber: string, attached: AttachedCondition): Sql {
    const c = raw(card);
    return sql`EXISTS (SELECT 1 FROM account a WHERE a.organization_id = ${c}.organization_id AND a.number_key = ${accountNumberKey(accountNumber)}
           AND (a.owner_client_id = ${c}.id OR ${attached(sql`a.organization_id`, sql`${c}.id`, sql`a.premises_id`)}))`;
  }

  /** SQL true when the premises row `premises` (an alias) has an account whose number begins with the search text: the premises search's alternative. */
  numberBeginsSql(premises: string, search: string): Sql {
    const p = raw(premises);
    return sql`EXISTS (SELECT 1 FROM account a WHERE a.organization_id = ${p}.organization_id AND a.premises_id = ${p}.id AND a.number_key LIKE ${`${escapeLike(accountNumberKey(search))}%`})`;
  }

  async list(
    organizationId: string,
    filter: AccountFilter | undefined,
    page: PageArgs,
    withTotal: boolean,
  ): Promise<ConnectionShape<AccountEntity>> {
    requireOrganization(organizationId);
    const where = [sql`a.organization_id = ${organizationId}`];
    if (filter?.premisesId !== undefined)
      where.push(sql`a.premises_id = ${isUuid(filter.premisesId) ? filter.premisesId : NIL}`);
    if (filter?.ownerClientId !== undefined)
      where.push(sql`a.owner_client_id = ${isUuid(filter.ownerClientId) ? filter.ownerClientId : NIL}`);
    if (filter?.number?.trim()) where.push(sql`a.number_key LIKE ${`${escapeLike(accountNumberKey(filter.number))}%`}`);
    if (filter?.status) where.push(sql`a.status = ${filter.status}`);
    return paginate(
      this.dataSource,
      { entity: AccountEntity, alias: 'a', where },
      page,
      [{ sql: 'a.number_key', kind: 'text', value: (a) => a.numberKey }],
      withTotal,
    );
  }
}
