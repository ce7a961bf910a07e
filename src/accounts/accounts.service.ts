import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService, changedFields } from '../audit/audit.service';
import { ClientReads } from '../clients/client-reads';
import { BadInputException, ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { isUniqueViolation } from '../common/errors/database-errors';
import { PremisesService } from '../premises/premises.service';
import { accountNumberKey } from './account-number';
import { AccountReads } from './account-reads';
import { AccountStatus } from './account-status';
import { AccountEntity } from './account.entity';
import { CreateAccountInput, UpdateAccountInput } from './dto/account.input';

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

function taken(number: string): ConflictException {
  return new ConflictException({ ru: `Лицевой счёт № ${number} уже есть`, en: `Account ${number} already exists` }, [
    { path: 'input.number', message: 'номер счёта уже занят', messageEn: 'account number already taken' },
  ]);
}

/**
 * The personal accounts' API: open, edit and close an account, and the integration's upsert; each audited,
 * in a transaction. Reads are account-reads.ts, the list account-search.ts, the import's writes
 * account-import-writer.ts.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: AccountReads,
    private readonly premises: PremisesService,
    private readonly clients: ClientReads,
    private readonly audit: AuditService,
  ) {}

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
        const account = await this.reads.get(tx, actor.organizationId, input.id, 'input.id');
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
      const account = await this.reads.get(tx, actor.organizationId, id, 'input.id');
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
}
