import {
  domainErrorOfDatabase,
  isForeignKeyViolation,
  retryOnceOnTransactionFailure,
} from '../common/errors/database-errors';
import { raw, runSql, sql } from '../common/sql/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { AccountReads } from '../accounts/account-reads';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { BuildingsService } from '../buildings/buildings.service';
import { ClientType } from '../clients/client-enums';
import { ClientsService } from '../clients/clients.service';
import { ClientReads } from '../clients/client-reads';
import { BadInputException, DomainException, NotFoundException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { appLogger } from '../common/logging/json-logger';
import { flatten } from '../common/validation/validation.pipe';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { ExternalIdsService } from '../external-ids/external-ids.service';
import { PremisesType } from '../premises/premises-type';
import { PremisesService } from '../premises/premises.service';
import { UpsertAccountItem, UpsertBuildingItem, UpsertClientItem, UpsertPremisesItem } from './dto/integration.input';
import { ItemResultType, ItemStatus } from './dto/integration.type';

type Ctor<T> = new () => T;

function failed(externalId: string, error: DomainException): ItemResultType {
  return {
    externalId,
    status: ItemStatus.FAILED,
    id: null,
    error: { code: error.code, message: error.text.ru, messageEn: error.text.en, fields: error.fields ?? [] },
  };
}

interface Outcome {
  id: string;
  status: ItemStatus.CREATED | ItemStatus.UPDATED | ItemStatus.UNCHANGED | ItemStatus.DELETED;
}

/**
 * Bulk upserts keyed by `(space, system, externalId)`. Each item runs in its own transaction, so a
 * failing item is reported and the others go on; an item that changes nothing writes nothing.
 */
@Injectable()
export class IntegrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly externalIds: ExternalIdsService,
    private readonly clients: ClientsService,
    private readonly clientReads: ClientReads,
    private readonly accounts: AccountsService,
    private readonly accountReads: AccountReads,
    private readonly premises: PremisesService,
    private readonly buildings: BuildingsService,
    private readonly audit: AuditService,
  ) {}

  private async run<T extends { externalId: string }>(
    actor: Actor,
    type: Ctor<T>,
    items: T[],
    handle: (tx: EntityManager, item: T, index: number) => Promise<Outcome>,
  ): Promise<ItemResultType[]> {
    const seen = new Set<string>();
    const results: ItemResultType[] = [];
    for (const [index, raw] of items.entries()) {
      const item = plainToInstance(type, raw);
      const externalId = String(item.externalId ?? '').trim();
      try {
        const errors = flatten(await validate(item as object, { forbidUnknownValues: false }), `items.${index}`);
        if (errors.length) throw new BadInputException(errors);
        if (seen.has(externalId))
          throw BadInputException.field(
            `items.${index}.externalId`,
            'идентификатор повторяется в пакете',
            'externalId repeats within the batch',
          );
        seen.add(externalId);
        item.externalId = externalId;
        // Each item is its own transaction, so it is retried alone and the batch's other items stand.
        const outcome = await retryOnceOnTransactionFailure(() =>
          this.dataSource.transaction((tx) => handle(tx, item, index)),
        );
        results.push({ externalId, status: outcome.status, id: outcome.id, error: null });
      } catch (error) {
        const known = error instanceof DomainException ? error : domainErrorOfDatabase(error);
        if (known) {
          // Services name fields as `input.x`; in a batch the item is `items.N.x`.
          const fields = known.fields?.map((f) => ({ ...f, path: f.path.replace(/^input\./, `items.${index}.`) }));
          results.push(failed(externalId, new DomainException(known.code, known.text, fields, known.details)));
        } else {
          appLogger.error('integration item failed', {
            externalId,
            error: error instanceof Error ? error.stack : String(error),
          });
          results.push(
            failed(
              externalId,
              new DomainException(ErrorCode.INTERNAL, {
                ru: 'Внутренняя ошибка при обработке записи',
                en: 'Internal error while processing the item',
              }),
            ),
          );
        }
      }
    }
    return results;
  }

  private async resolveOne(
    tx: EntityManager,
    actor: Actor,
    entityType: ExternalEntityType,
    system: string,
    value: string,
  ): Promise<string | null> {
    return (
      (await this.externalIds.resolve(tx, actor.organizationId, entityType, actor.space, system, [value])).get(value) ??
      null
    );
  }

  private async linkIdentifier(
    tx: EntityManager,
    actor: Actor,
    entityType: ExternalEntityType,
    entityId: string,
    system: string,
    value: string,
  ): Promise<void> {
    const { row, created } = await this.externalIds.add(tx, actor, entityType, entityId, {
      space: actor.space,
      system,
      value,
    });
    if (!created) return;
    await this.audit.record(tx, actor, [
      {
        entityType: entityType as unknown as AuditEntityType,
        entityId,
        action: 'external_id_added',
        after: { space: row.space, system: row.system, value: row.value },
      },
    ]);
  }

  /**
   * Same id → the rest is updated, and a new phone nobody signs in with becomes the login; another
   * client's login phone → CONFLICT for this item. A new id goes through the identity rule
   * (ClientsService.create): the same full name with any phone attaches to that card, else a new card.
   */
  async upsertClients(actor: Actor, system: string, items: UpsertClientItem[]): Promise<ItemResultType[]> {
    return this.run(actor, UpsertClientItem, items, async (tx, item) => {
      const { externalId, ...fields } = item;
      const knownId = await this.resolveOne(tx, actor, ExternalEntityType.CLIENT, system, externalId);
      if (knownId) {
        const client = await this.clientReads.get(tx, actor.organizationId, knownId);
        const changed = await this.clients.applyFields(tx, actor, client, fields);
        return { id: client.id, status: changed ? ItemStatus.UPDATED : ItemStatus.UNCHANGED };
      }
      const { client, merged } = await this.clients.createIn(tx, actor, {
        ...fields,
        type: fields.type ?? ClientType.INDIVIDUAL,
        externalIds: [{ system, value: externalId }],
      });
      // The system's values win on the card it now names (its phones were placed by the rule).
      const { phone: _phone, ...values } = fields;
      if (merged) await this.clients.applyFields(tx, actor, client, values);
      return { id: client.id, status: merged ? ItemStatus.UPDATED : ItemStatus.CREATED };
    });
  }

  async upsertBuildings(actor: Actor, system: string, items: UpsertBuildingItem[]): Promise<ItemResultType[]> {
    return this.run(actor, UpsertBuildingItem, items, async (tx, item) => {
      const knownId = await this.resolveOne(tx, actor, ExternalEntityType.BUILDING, system, item.externalId);
      const existing = knownId
        ? await this.buildings.get(tx, actor.organizationId, knownId)
        : await this.buildings.findByAddress(tx, actor.organizationId, { ...item, block: item.block ?? null });
      const { building, changed } = await this.buildings.saveFromIntegration(tx, actor.organizationId, existing, item);
      if (!knownId)
        await this.linkIdentifier(tx, actor, ExternalEntityType.BUILDING, building.id, system, item.externalId);
      if (changed || !knownId)
        await this.audit.record(tx, actor, [
          { entityType: AuditEntityType.BUILDING, entityId: building.id, action: existing ? 'updated' : 'created' },
        ]);
      return {
        id: building.id,
        status: !existing ? ItemStatus.CREATED : changed || !knownId ? ItemStatus.UPDATED : ItemStatus.UNCHANGED,
      };
    });
  }

  async upsertPremises(actor: Actor, system: string, items: UpsertPremisesItem[]): Promise<ItemResultType[]> {
    return this.run(actor, UpsertPremisesItem, items, async (tx, item, index) => {
      const buildingId =
        item.buildingId ??
        (item.buildingExternalId
          ? await this.resolveOne(tx, actor, ExternalEntityType.BUILDING, system, item.buildingExternalId)
          : null);
      if (!buildingId) {
        throw new NotFoundException(
          { ru: 'Дом', en: 'Building' },
          item.buildingExternalId ?? item.buildingId,
          `items.${index}.${item.buildingId ? 'buildingId' : 'buildingExternalId'}`,
        );
      }
      await this.buildings.get(tx, actor.organizationId, buildingId).catch((error: unknown) => {
        throw error instanceof NotFoundException
          ? new NotFoundException({ ru: 'Дом', en: 'Building' }, buildingId, `items.${index}.buildingId`)
          : error;
      });
      const type = item.type ?? PremisesType.FLAT;
      const knownId = await this.resolveOne(tx, actor, ExternalEntityType.PREMISES, system, item.externalId);
      const existing = knownId
        ? await this.premises.get(tx, actor.organizationId, knownId)
        : await this.premises.findByNumber(tx, actor.organizationId, buildingId, type, item.number);
      const before = existing ? { ...existing } : null;
      const { premises, changed } = await this.premises.saveFromIntegration(tx, actor.organizationId, existing, {
        ...item,
        buildingId,
        type,
      });
      if (!knownId)
        await this.linkIdentifier(tx, actor, ExternalEntityType.PREMISES, premises.id, system, item.externalId);
      if (changed) {
        await this.audit.record(tx, actor, [
          {
            entityType: AuditEntityType.PREMISES,
            entityId: premises.id,
            action: before ? 'updated' : 'created',
            before: before ? { number: before.number, type: before.type, area: before.area } : null,
            after: { number: premises.number, type: premises.type, area: premises.area },
          },
        ]);
      }
      return {
        id: premises.id,
        status: !existing ? ItemStatus.CREATED : changed || !knownId ? ItemStatus.UPDATED : ItemStatus.UNCHANGED,
      };
    });
  }

  async upsertAccounts(actor: Actor, system: string, items: UpsertAccountItem[]): Promise<ItemResultType[]> {
    return this.run(actor, UpsertAccountItem, items, async (tx, item, index) => {
      const premisesId =
        item.premisesId ??
        (item.premisesExternalId
          ? await this.resolveOne(tx, actor, ExternalEntityType.PREMISES, system, item.premisesExternalId)
          : null);
      if (!premisesId) {
        throw new NotFoundException(
          { ru: 'Помещение', en: 'Premises' },
          item.premisesExternalId ?? item.premisesId,
          `items.${index}.${item.premisesId ? 'premisesId' : 'premisesExternalId'}`,
        );
      }
      await this.premises.get(tx, actor.organizationId, premisesId).catch((error: unknown) => {
        throw error instanceof NotFoundException
          ? new NotFoundException({ ru: 'Помещение', en: 'Premises' }, premisesId, `items.${index}.premisesId`)
          : error;
      });
      let ownerClientId: string | null | undefined = undefined;
      if (item.ownerExternalId === null) ownerClientId = null;
      else if (item.ownerExternalId) {
        ownerClientId = await this.resolveOne(tx, actor, ExternalEntityType.CLIENT, system, item.ownerExternalId);
        if (!ownerClientId)
          throw new NotFoundException(
            { ru: 'Клиент', en: 'Client' },
            item.ownerExternalId,
            `items.${index}.ownerExternalId`,
          );
      }
      const knownId = await this.resolveOne(tx, actor, ExternalEntityType.ACCOUNT, system, item.externalId);
      const existing = knownId
        ? await this.accountReads.get(tx, actor.organizationId, knownId)
        : await this.accountReads.findByNumber(tx, actor.organizationId, item.number);
      const { account, changed } = await this.accounts.saveFromIntegration(tx, actor, existing, {
        ...item,
        premisesId,
        ownerClientId,
      });
      if (!knownId)
        await this.linkIdentifier(tx, actor, ExternalEntityType.ACCOUNT, account.id, system, item.externalId);
      return {
        id: account.id,
        status: !existing ? ItemStatus.CREATED : changed || !knownId ? ItemStatus.UPDATED : ItemStatus.UNCHANGED,
      };
    });
  }

  /** Deletes the records behind these identifiers; one still referenced (accounts of premises, …) fails with CONFLICT. */
  async deleteByExternalId(
    actor: Actor,
    entityType: ExternalEntityType,
    system: string,
    externalIds: string[],
  ): Promise<ItemResultType[]> {
    const items = externalIds.map((externalId) => ({ externalId }));
    return this.run(actor, DeleteItem, items, async (tx, item, index) => {
      const id = await this.resolveOne(tx, actor, entityType, system, item.externalId);
      if (!id)
        throw new NotFoundException(
          { ru: 'Запись с этим идентификатором', en: 'Record with this identifier' },
          item.externalId,
          `externalIds.${index}`,
        );
      const table = { CLIENT: 'client', ACCOUNT: 'account', PREMISES: 'premises', BUILDING: 'building' }[entityType];
      await runSql(tx, sql`SAVEPOINT before_delete`);
      try {
        await runSql(tx, sql`DELETE FROM ${raw(table)} WHERE organization_id = ${actor.organizationId} AND id = ${id}`);
      } catch (error) {
        await runSql(tx, sql`ROLLBACK TO SAVEPOINT before_delete`);
        if (isForeignKeyViolation(error)) {
          throw new DomainException(ErrorCode.CONFLICT, {
            ru: 'Запись нельзя удалить: на неё ссылаются другие данные (счета, помещения, жильцы)',
            en: 'The record cannot be deleted: other data (accounts, premises, residents) refers to it',
          });
        }
        throw error;
      }
      await this.externalIds.deleteAllOf(tx, actor.organizationId, entityType, [id]);
      await this.audit.record(tx, actor, [
        {
          entityType: entityType as unknown as AuditEntityType,
          entityId: id,
          action: 'deleted',
          before: { externalId: item.externalId },
        },
      ]);
      return { id, status: ItemStatus.DELETED };
    });
  }
}

class DeleteItem {
  externalId: string;
}
