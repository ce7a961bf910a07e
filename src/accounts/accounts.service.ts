import { insertRows, updateRows } from '../database/bulk';
import { raw, sql, Sql } from '../common/sql/sql';
import { randomUUID } from 'node:crypto';
import { escapeLike } from '../common/sql/escape-like';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService, changedFields } from '../audit/audit.service';
import { ClientsService } from '../clients/clients.service';
import { BadInputException, ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { isUniqueViolation } from '../common/errors/database-errors';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { PremisesService } from '../premises/premises.service';
import { AccountStatus } from './account-status';
import { AccountEntity } from './account.entity';
import { AccountFilter, CreateAccountInput, UpdateAccountInput } from './dto/account.input';
import { readEntitiesByKeys } from '../database/entity-reads';
import { JsonPart, jsonRowsPart, readJsonRows } from '../database/json-reads';

export const ACCOUNT = { ru: 'Лицевой счёт', en: 'Account' };
const FIELDS = [
  'number',
  'premisesId',
  'ownerClientId',
  'openedOn',
  'closedOn',
  'status',
  'areaShare',
  'hiddenFromResident',
  'paymentsEnabled',
] as const;
const NIL = '00000000-0000-0000-0000-000000000000';

/** "00123 45" and "0012345" are one account; case does not matter. Leading zeros do. */
export function accountNumberKey(number: string): string {
  return number.replace(/\s+/g, '').toUpperCase();
}

function taken(number: string): ConflictException {
  return new ConflictException({ ru: `Лицевой счёт № ${number} уже есть`, en: `Account ${number} already exists` }, [
    { path: 'input.number', message: 'номер счёта уже занят', messageEn: 'account number already taken' },
  ]);
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly premises: PremisesService,
    private readonly clients: ClientsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * SQL true when the client row `card` (an alias) holds the account with this number: its owner, or anyone
   * attached to its premises (the client list's account filter).
   */
  holdsAccountSql(card: string, accountNumber: string): Sql {
    const c = raw(card);
    return sql`EXISTS (SELECT 1 FROM account a WHERE a.organization_id = ${c}.organization_id AND a.number_key = ${accountNumberKey(accountNumber)}
           AND (a.owner_client_id = ${c}.id OR EXISTS (SELECT 1 FROM occupancy o WHERE o.organization_id = a.organization_id AND o.premises_id = a.premises_id AND o.client_id = ${c}.id)))`;
  }

  /** SQL true when the premises row `premises` (an alias) has an account whose number begins with the search text: the premises search's alternative. */
  numberBeginsSql(premises: string, search: string): Sql {
    const p = raw(premises);
    return sql`EXISTS (SELECT 1 FROM account a WHERE a.organization_id = ${p}.organization_id AND a.premises_id = ${p}.id AND a.number_key LIKE ${`${escapeLike(accountNumberKey(search))}%`})`;
  }

  async get(manager: EntityManager, organizationId: string, id: string, path?: string): Promise<AccountEntity> {
    requireOrganization(organizationId);
    const account = isUuid(id) ? await manager.getRepository(AccountEntity).findOneBy({ organizationId, id }) : null;
    if (!account) throw new NotFoundException(ACCOUNT, id, path);
    return account;
  }

  async getMany(organizationId: string, ids: readonly string[]): Promise<Map<string, AccountEntity>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(this.dataSource, AccountEntity, organizationId, 'id', ids.filter(isUuid));
    return new Map(rows.map((a) => [a.id, a]));
  }

  /** The accounts of the premises whose ids `premisesIds` (a parenthesized subquery) yields, in ofPremises' order, for a statement that reads them with other things. */
  ofPremisesPart(organizationId: string, premisesIds: Sql): JsonPart<AccountEntity> {
    return jsonRowsPart(
      this.dataSource.getMetadata(AccountEntity),
      'a',
      sql`a.organization_id = ${organizationId} AND a.premises_id IN ${premisesIds}`,
      { orderBy: ['numberKey'] },
    );
  }

  async ofPremises(organizationId: string, premisesIds: readonly string[]): Promise<Map<string, AccountEntity[]>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(
      this.dataSource,
      AccountEntity,
      organizationId,
      'premisesId',
      premisesIds.filter(isUuid),
      ['numberKey'],
    );
    const map = new Map<string, AccountEntity[]>();
    for (const row of rows) map.set(row.premisesId, [...(map.get(row.premisesId) ?? []), row]);
    return map;
  }

  async list(
    organizationId: string,
    filter: AccountFilter | undefined,
    page: PageArgs,
    withTotal: boolean,
  ): Promise<ConnectionShape<AccountEntity>> {
    requireOrganization(organizationId);
    const query = this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder('a')
      .where('a.organization_id = :organizationId', { organizationId });
    if (filter?.premisesId !== undefined)
      query.andWhere('a.premises_id = :premisesId', {
        premisesId: isUuid(filter.premisesId) ? filter.premisesId : NIL,
      });
    if (filter?.ownerClientId !== undefined)
      query.andWhere('a.owner_client_id = :ownerId', {
        ownerId: isUuid(filter.ownerClientId) ? filter.ownerClientId : NIL,
      });
    if (filter?.number?.trim())
      query.andWhere('a.number_key LIKE :numberPrefix', {
        numberPrefix: `${escapeLike(accountNumberKey(filter.number))}%`,
      });
    if (filter?.status) query.andWhere('a.status = :status', { status: filter.status });
    return paginate(query, page, [{ sql: 'a.number_key', kind: 'text', value: (a) => a.numberKey }], withTotal);
  }

  async create(actor: Actor, input: CreateAccountInput): Promise<AccountEntity> {
    return this.guardNumber(input.number, () =>
      this.dataSource.transaction(async (tx) => {
        await this.premisesFor(tx, actor.organizationId, input.premisesId);
        if (input.ownerClientId)
          await this.clients.get(tx, actor.organizationId, input.ownerClientId, 'input.ownerClientId');
        const numberKey = accountNumberKey(input.number);
        if (await tx.getRepository(AccountEntity).existsBy({ organizationId: actor.organizationId, numberKey }))
          throw taken(input.number.trim());
        const saved = await tx.getRepository(AccountEntity).save({
          organizationId: actor.organizationId,
          number: input.number.trim(),
          numberKey,
          premisesId: input.premisesId,
          ownerClientId: input.ownerClientId ?? null,
          openedOn: input.openedOn ?? null,
          closedOn: null,
          status: AccountStatus.ACTIVE,
          areaShare: input.areaShare ?? null,
          hiddenFromResident: input.hiddenFromResident ?? false,
          paymentsEnabled: input.paymentsEnabled ?? true,
        });
        await this.audit.record(tx, actor, [
          {
            entityType: AuditEntityType.ACCOUNT,
            entityId: saved.id,
            action: 'created',
            after: Object.fromEntries(FIELDS.map((f) => [f, saved[f]])),
          },
        ]);
        return saved;
      }),
    );
  }

  async update(actor: Actor, input: UpdateAccountInput): Promise<AccountEntity> {
    return this.guardNumber(input.number ?? '', () =>
      this.dataSource.transaction(async (tx) => {
        const account = await this.get(tx, actor.organizationId, input.id, 'input.id');
        const before = Object.fromEntries(FIELDS.map((f) => [f, account[f]]));
        if (input.premisesId) await this.premisesFor(tx, actor.organizationId, input.premisesId);
        if (input.ownerClientId)
          await this.clients.get(tx, actor.organizationId, input.ownerClientId, 'input.ownerClientId');
        if (input.number !== undefined && accountNumberKey(input.number) !== account.numberKey) {
          if (
            await tx
              .getRepository(AccountEntity)
              .existsBy({ organizationId: actor.organizationId, numberKey: accountNumberKey(input.number) })
          )
            throw taken(input.number.trim());
          account.number = input.number.trim();
          account.numberKey = accountNumberKey(input.number);
        }
        if (input.premisesId) account.premisesId = input.premisesId;
        if (input.ownerClientId !== undefined) account.ownerClientId = input.ownerClientId;
        if (input.openedOn !== undefined) account.openedOn = input.openedOn;
        if (input.areaShare !== undefined) account.areaShare = input.areaShare;
        if (input.hiddenFromResident !== undefined && input.hiddenFromResident !== null)
          account.hiddenFromResident = input.hiddenFromResident;
        if (input.paymentsEnabled !== undefined && input.paymentsEnabled !== null)
          account.paymentsEnabled = input.paymentsEnabled;
        const diff = changedFields(before, Object.fromEntries(FIELDS.map((f) => [f, account[f]])), FIELDS);
        if (!diff) return account;
        const saved = await tx.getRepository(AccountEntity).save(account);
        await this.audit.record(tx, actor, [
          { entityType: AuditEntityType.ACCOUNT, entityId: account.id, action: 'updated', ...diff },
        ]);
        return saved;
      }),
    );
  }

  async close(actor: Actor, id: string, closedOn?: string | null): Promise<AccountEntity> {
    return this.dataSource.transaction(async (tx) => {
      const account = await this.get(tx, actor.organizationId, id, 'input.id');
      if (account.status === AccountStatus.CLOSED) {
        throw new ConflictException({
          ru: `Лицевой счёт № ${account.number} уже закрыт`,
          en: `Account ${account.number} is already closed`,
        });
      }
      const date = closedOn ?? new Date().toISOString().slice(0, 10);
      if (account.openedOn && date < account.openedOn) {
        throw BadInputException.field(
          'input.closedOn',
          `дата закрытия раньше даты открытия (${account.openedOn})`,
          `closing date is before the opening date (${account.openedOn})`,
        );
      }
      const before = { status: account.status, closedOn: account.closedOn };
      account.status = AccountStatus.CLOSED;
      account.closedOn = date;
      const saved = await tx.getRepository(AccountEntity).save(account);
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.ACCOUNT,
          entityId: id,
          action: 'closed',
          before,
          after: { status: saved.status, closedOn: saved.closedOn },
        },
      ]);
      return saved;
    });
  }

  async findByNumber(manager: EntityManager, organizationId: string, number: string): Promise<AccountEntity | null> {
    requireOrganization(organizationId);
    return manager.getRepository(AccountEntity).findOneBy({ organizationId, numberKey: accountNumberKey(number) });
  }

  /** Creates or overwrites an account from an integration item; `changed` is false when nothing differed. */
  async saveFromIntegration(
    tx: EntityManager,
    actor: Actor,
    existing: AccountEntity | null,
    item: {
      number: string;
      premisesId: string;
      ownerClientId?: string | null;
      openedOn?: string | null;
      closedOn?: string | null;
      areaShare?: string | null;
      hiddenFromResident?: boolean | null;
      paymentsEnabled?: boolean | null;
    },
  ): Promise<{ account: AccountEntity; changed: boolean }> {
    const keep = <K extends keyof AccountEntity>(
      key: K,
      value: AccountEntity[K] | undefined | null,
      fallback: AccountEntity[K],
    ) => (value === undefined || value === null ? (existing?.[key] ?? fallback) : value);
    const closedOn = item.closedOn === undefined ? (existing?.closedOn ?? null) : item.closedOn;
    const next = {
      number: item.number.trim(),
      numberKey: accountNumberKey(item.number),
      premisesId: item.premisesId,
      ownerClientId: item.ownerClientId === undefined ? (existing?.ownerClientId ?? null) : item.ownerClientId,
      openedOn: item.openedOn === undefined ? (existing?.openedOn ?? null) : item.openedOn,
      closedOn,
      status: closedOn ? AccountStatus.CLOSED : AccountStatus.ACTIVE,
      areaShare:
        item.areaShare === undefined
          ? (existing?.areaShare ?? null)
          : item.areaShare === null
            ? null
            : Number(item.areaShare).toFixed(4),
      hiddenFromResident: keep('hiddenFromResident', item.hiddenFromResident, false),
      paymentsEnabled: keep('paymentsEnabled', item.paymentsEnabled, true),
    };
    if (existing) {
      const before = Object.fromEntries(FIELDS.map((f) => [f, existing[f]]));
      const diff = changedFields(before, Object.fromEntries(FIELDS.map((f) => [f, next[f]])), FIELDS);
      if (!diff) return { account: existing, changed: false };
      if (
        next.numberKey !== existing.numberKey &&
        (await tx
          .getRepository(AccountEntity)
          .existsBy({ organizationId: actor.organizationId, numberKey: next.numberKey }))
      )
        throw taken(next.number);
      const account = await tx.getRepository(AccountEntity).save(Object.assign(existing, next));
      await this.audit.record(tx, actor, [
        { entityType: AuditEntityType.ACCOUNT, entityId: account.id, action: 'updated', ...diff },
      ]);
      return { account, changed: true };
    }
    if (
      await tx
        .getRepository(AccountEntity)
        .existsBy({ organizationId: actor.organizationId, numberKey: next.numberKey })
    )
      throw taken(next.number);
    const account = await tx.getRepository(AccountEntity).save({ organizationId: actor.organizationId, ...next });
    await this.audit.record(tx, actor, [
      {
        entityType: AuditEntityType.ACCOUNT,
        entityId: account.id,
        action: 'created',
        after: Object.fromEntries(FIELDS.map((f) => [f, account[f]])),
      },
    ]);
    return { account, changed: true };
  }

  private async premisesFor(tx: EntityManager, organizationId: string, premisesId: string) {
    try {
      return await this.premises.get(tx, organizationId, premisesId);
    } catch (error) {
      if (error instanceof NotFoundException)
        throw new NotFoundException({ ru: 'Помещение', en: 'Premises' }, premisesId, 'input.premisesId');
      throw error;
    }
  }

  private async guardNumber<T>(number: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, 'uq_account_number')) throw taken(number.trim());
      throw error;
    }
  }

  // ---- bulk (the Excel import): loads and set-based writes inside the caller's transaction ----

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
