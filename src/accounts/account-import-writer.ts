import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { insertRows, updateRows } from '../database/bulk';
import { readJsonRows } from '../database/json-reads';
import { accountNumberKey } from './account-number';
import { AccountStatus } from './account-status';
import { AccountEntity } from './account.entity';

/**
 * The personal accounts' side of the Excel import: the batch's accounts by number (inside the caller's
 * transaction), new accounts of premises, and one statement per batch for the inserts and for the updates.
 */
@Injectable()
export class AccountImportWriter {
  async findByNumberKeys(
    manager: EntityManager,
    organizationId: string,
    numberKeys: readonly string[],
  ): Promise<AccountEntity[]> {
    requireOrganization(organizationId);
    if (!numberKeys.length) return [];
    return readJsonRows(
      manager,
      AccountEntity,
      'a',
      sql`a.organization_id = ${organizationId} AND a.number_key = ANY(${[...numberKeys]}::text[])`,
    );
  }

  /** A new account of the premises, not yet saved. */
  newForPremises(organizationId: string, premisesId: string, number: string): AccountEntity {
    return Object.assign(new AccountEntity(), {
      organizationId,
      id: randomUUID(),
      number: number.trim(),
      numberKey: accountNumberKey(number),
      premisesId,
      ownerClientId: null,
      openedOn: null,
      closedOn: null,
      status: AccountStatus.ACTIVE,
      areaShare: null,
      hiddenFromResident: false,
      paymentsEnabled: true,
    });
  }

  async insertMany(manager: EntityManager, rows: readonly AccountEntity[]): Promise<void> {
    await insertRows(
      manager,
      AccountEntity,
      [
        'organizationId',
        'id',
        'number',
        'numberKey',
        'premisesId',
        'ownerClientId',
        'status',
        'hiddenFromResident',
        'paymentsEnabled',
      ],
      rows,
    );
  }

  async updateMany(manager: EntityManager, rows: readonly AccountEntity[]): Promise<void> {
    await updateRows(
      manager,
      AccountEntity,
      ['organizationId', 'id'],
      ['premisesId', 'hiddenFromResident', 'paymentsEnabled'],
      rows,
    );
  }
}
