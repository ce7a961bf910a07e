import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { accountNumberKey } from '../../accounts/account-number';
import { AccountImportWriter } from '../../accounts/account-import-writer';
import { Actor } from '../../kernel/actor';
import { CrmSpace } from '../../kernel/crm-space';
import { AuditService } from '../../audit/audit.service';
import { addressKey } from '../../buildings/address';
import { BuildingsService } from '../../buildings/buildings.service';
import { nameKey, tagKey } from '../../clients/client-names';
import { ClientImportWriter } from '../../clients/client-import-writer';
import { TagsService } from '../../clients/tags.service';
import { insertRows, refreshStatistics } from '../../database/bulk';
import { AccountEntity } from '../../accounts/account.entity';
import { BuildingEntity } from '../../buildings/building.entity';
import { ClientTagEntity } from '../../clients/client-tag.entity';
import { ClientEntity } from '../../clients/client.entity';
import { ExternalIdEntity } from '../../external-ids/external-id.entity';
import { OccupancyEntity } from '../../occupancy/occupancy.entity';
import { PremisesEntity } from '../../premises/premises.entity';
import { ExternalEntityType } from '../../external-ids/external-id-enums';
import { ExternalIdsService } from '../../external-ids/external-ids.service';
import { OccupancyService } from '../../occupancy/occupancy.service';
import { premisesNumberKey } from '../../premises/premises-number';
import { PremisesImportWriter } from '../../premises/premises-import.writer';
import { premisesName } from '../../premises/premises-name';
import { AuditEntityType } from '../../audit/audit-enums';
import { ImportMode } from '../job/import-enums';
import { ImportErrorEntity } from '../job/import-error.entity';
import { ImportListedEntity } from './import-listed.entity';
import { BatchState, cardsByAnyPhone, occupancyKeyOf, premisesKeyOf, RowOutcome } from '../plan/batch-state';
import { RegistryBatchPlan } from '../plan/registry-batch-plan';
import { registryRecordFactory } from './record-factory';
import { REGISTRY_COLUMNS } from '../registry-columns';
import { locateRefusedRow, PremisesLocator } from './refused-row';
import type { ParsedRegistryRow } from '../rows/registry-row';
import type { BatchItem } from '../rows/row-batches';

export type { BatchItem } from '../rows/row-batches';

export interface BatchResult {
  outcomes: RowOutcome[];
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

const HEADER = new Map(REGISTRY_COLUMNS.map((c) => [c.key, c.header]));

/**
 * One batch of registry rows inside one transaction: a few set-based reads of what the rows refer
 * to, the rows applied in memory (RegistryBatchPlan), then one set-based write per table, the audit
 * entries, the rows' problems and, for sync imports, what the rows listed.
 */
@Injectable()
export class RegistryBatchService {
  constructor(
    private readonly buildings: BuildingsService,
    private readonly premises: PremisesImportWriter,
    private readonly accounts: AccountImportWriter,
    private readonly clients: ClientImportWriter,
    private readonly tags: TagsService,
    private readonly occupancy: OccupancyService,
    private readonly externalIds: ExternalIdsService,
    private readonly audit: AuditService,
  ) {}

  async run(
    tx: EntityManager,
    actor: Actor,
    job: { id: string; mode: ImportMode; sync: boolean; allowAccountMoves: boolean },
    items: readonly BatchItem[],
  ): Promise<BatchResult> {
    const plan = await this.plan(tx, actor, job, items);
    const writes = plan.finish((card) => this.clients.snapshotOf(card));
    await this.buildings.insertMany(tx, writes.buildings);
    await this.premises.insertMany(tx, writes.premises.inserted);
    await this.premises.updateMany(tx, writes.premises.updated);
    await this.clients.insertMany(tx, writes.clients.inserted);
    await this.clients.updateMany(tx, writes.clients.updated);
    // A caller's earlier tickets follow their phone to the card (linking is idempotent: every phone of a written card is offered).
    await this.clients.announcePhonesGained(
      tx,
      actor,
      [...writes.clients.inserted, ...writes.clients.updated].map((c) => ({
        clientId: c.id,
        phones: [c.phone, ...c.extraPhones].filter((p): p is string => !!p),
      })),
    );
    await this.accounts.insertMany(tx, writes.accounts.inserted);
    await this.accounts.updateMany(tx, writes.accounts.updated);
    await this.occupancy.insertMany(tx, writes.occupancies.inserted);
    await this.occupancy.updateMany(tx, writes.occupancies.updated);
    await this.externalIds.insertMany(tx, actor.organizationId, ExternalEntityType.CLIENT, writes.externalIds);
    if (writes.tagLinks.length) {
      const tags = await this.tags.ensureNamed(
        tx,
        actor,
        writes.tagLinks.map((l) => l.name),
      );
      await this.tags.link(
        tx,
        actor.organizationId,
        writes.tagLinks.map((l) => ({ clientId: l.clientId, tagId: tags.get(tagKey(l.name))!.id })),
      );
    }
    await this.tags.unlink(tx, actor.organizationId, writes.tagUnlinks);
    await this.audit.record(tx, actor, writes.audit);
    await insertRows(
      tx,
      ImportListedEntity,
      ['organizationId', 'jobId', 'premisesId', 'clientId', 'keepAll'],
      writes.listed.map((l) =>
        Object.assign(new ImportListedEntity(), { organizationId: actor.organizationId, jobId: job.id, ...l }),
      ),
    );
    const count = (result: RowOutcome['result']) => plan.outcomes.filter((o) => o.result === result).length;
    return {
      outcomes: plan.outcomes,
      created: count('created'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      failed: count('failed'),
    };
  }

  /** Reads what the rows refer to and applies them, in order, in memory. */
  private async plan(
    tx: EntityManager,
    actor: Actor,
    job: { mode: ImportMode; sync: boolean; allowAccountMoves: boolean },
    items: readonly BatchItem[],
  ): Promise<RegistryBatchPlan> {
    const locators = items.map((item) => (item.parsed.row?.premises ? null : locateRefusedRow(item.raw)));
    const state = await this.load(tx, actor, job.mode, [
      ...items.flatMap((item) => (item.parsed.row ? [item.parsed.row] : [])),
      ...locators.flatMap((locator) => (locator ? [locator] : [])),
    ]);
    const plan = new RegistryBatchPlan(
      state,
      registryRecordFactory(
        {
          buildings: this.buildings,
          premises: this.premises,
          accounts: this.accounts,
          clients: this.clients,
          occupancy: this.occupancy,
        },
        actor.organizationId,
      ),
      { mode: job.mode, space: actor.space, sync: job.sync, allowAccountMoves: job.allowAccountMoves },
    );
    items.forEach((item, index) => {
      const typeCell = item.raw.cells.clientType;
      if (item.parsed.row)
        plan.apply(
          item.parsed.row,
          [...item.parsed.problems],
          typeCell === undefined ? 'absent' : typeCell.trim() ? 'filled' : 'empty',
        );
      else plan.fail(item.raw.rowNumber, item.parsed.problems, this.premisesKeyOf(state, locators[index]));
    });
    return plan;
  }

  /** Planner statistics of the columns a batch looks its tables up by (see refreshStatistics). */
  async refreshStatistics(manager: EntityManager): Promise<void> {
    await refreshStatistics(manager, [
      { entity: BuildingEntity, keys: ['organizationId', 'addressKey'] },
      { entity: PremisesEntity, keys: ['organizationId', 'buildingId', 'type', 'numberKey'] },
      { entity: AccountEntity, keys: ['organizationId', 'numberKey', 'premisesId'] },
      { entity: ClientEntity, keys: ['organizationId', 'id', 'phone', 'nameKey', 'extraPhones'] },
      { entity: OccupancyEntity, keys: ['organizationId', 'premisesId', 'clientId'] },
      { entity: ExternalIdEntity, keys: ['organizationId', 'entityType', 'space', 'system', 'value'] },
      { entity: ClientTagEntity, keys: ['organizationId', 'clientId'] },
    ]);
  }

  /** The rows' problems, in the transaction the caller chooses (the batch's, or its own for a dry run). */
  async recordProblems(
    manager: EntityManager,
    organizationId: string,
    jobId: string,
    outcomes: readonly RowOutcome[],
  ): Promise<void> {
    const rows = outcomes.flatMap((o) =>
      o.problems.map((p) =>
        Object.assign(new ImportErrorEntity(), {
          organizationId,
          jobId,
          row: o.rowNumber,
          column: p.column ? (HEADER.get(p.column) ?? p.column) : null,
          code: p.code,
          messageRu: p.ru,
          messageEn: p.en,
          rowSkipped: o.result === 'failed',
        }),
      ),
    );
    await insertRows(
      manager,
      ImportErrorEntity,
      ['organizationId', 'jobId', 'row', 'column', 'code', 'messageRu', 'messageEn', 'rowSkipped'],
      rows,
    );
  }

  private premisesKeyOf(state: BatchState, locator: PremisesLocator | null): string | null {
    if (!locator) return null;
    const building = state.buildings.get(addressKey({ ...locator.building, block: locator.building.block ?? null }));
    return building ? premisesKeyOf(building.id, locator.premises.type, locator.premises.number) : null;
  }

  private async load(
    tx: EntityManager,
    actor: Actor,
    mode: ImportMode,
    rows: (NonNullable<ParsedRegistryRow['row']> | PremisesLocator)[],
  ): Promise<BatchState> {
    const org = actor.organizationId;
    const buildings = await this.buildings.findByAddressKeys(tx, org, [
      ...new Set(rows.map((r) => addressKey({ ...r.building, block: r.building.block ?? null }))),
    ]);
    const buildingByKey = new Map(buildings.map((b) => [b.addressKey, b]));
    const premisesKeys = rows.flatMap((r) => {
      const building = buildingByKey.get(addressKey({ ...r.building, block: r.building.block ?? null }));
      return building
        ? [{ buildingId: building.id, type: r.premises.type, numberKey: premisesNumberKey(r.premises.number) }]
        : [];
    });
    const full = rows.filter((r): r is NonNullable<ParsedRegistryRow['row']> => 'rowNumber' in r);
    const { accountKeys, externalKeys, phones } = lookupKeysOf(full, actor.space);
    // One connection (the batch's transaction) answers one query at a time: these run in turn.
    const premises = await this.premises.findByNaturalKeys(tx, org, premisesKeys);
    const accounts = await this.accounts.findByNumberKeys(tx, org, accountKeys);
    const clientByExternalId = await this.externalIds.resolveMany(tx, org, ExternalEntityType.CLIENT, externalKeys);
    // A real run writes the cards back whole: lock them so a staff edit in between waits instead of being overwritten.
    const lock = mode !== ImportMode.DRY_RUN;
    const loginOwners = await this.clients.findByLoginPhones(tx, org, phones, lock);
    // The identity rule also weighs a card of the row's name carrying its phone as a contact phone: looked
    // up for rows whose phone another person signs in with (a family's phone), none in a re-imported file.
    // (An overlap of a batch's every phone over the cards of its names cost ~1 s a batch, bench/import.ts.)
    const loginOwnerOf = new Map(loginOwners.map((c) => [c.phone!, c]));
    const unmatched = namesWithOthersLoginPhones(full, loginOwnerOf);
    const contactCarriers = await this.clients.findByNamesAndContactPhones(
      tx,
      org,
      unmatched.map((u) => u.key),
      unmatched.flatMap((u) => u.phones),
      lock,
    );
    const phoneOwners = [...loginOwners, ...contactCarriers.filter((c) => !loginOwnerOf.has(c.phone ?? ''))];
    const occupancies = await this.occupancy.ofPremisesIn(
      tx,
      org,
      premises.map((p) => p.id),
    );
    const premisesByKey = new Map(premises.map((p) => [premisesKeyOf(p.buildingId, p.type, p.number), p]));
    const elsewhere = await this.accountsElsewhere(tx, actor, full, accounts, buildingByKey, premisesByKey);
    const known = new Set([...phoneOwners.map((c) => c.id)]);
    const missing = [...new Set([...clientByExternalId.values(), ...occupancies.map((o) => o.clientId)])].filter(
      (id) => !known.has(id),
    );
    const clients = [...phoneOwners, ...(await this.clients.findByIdsIn(tx, org, missing, lock))];
    const tagsOfClient = await this.tags.namesOfClientsIn(
      tx,
      org,
      clients.map((c) => c.id),
    );
    return batchStateOf({
      buildingByKey,
      premisesByKey,
      accounts,
      clients,
      clientByExternalId,
      occupancies,
      tagsOfClient,
      elsewhere,
    });
  }

  /**
   * Accounts a row lists under other premises than the ones they are on: where they are (named for the
   * row's message) and which of them this job put there. No statement when there is none (a re-import).
   */
  private async accountsElsewhere(
    tx: EntityManager,
    actor: Actor,
    rows: readonly NonNullable<ParsedRegistryRow['row']>[],
    accounts: readonly AccountEntity[],
    buildingByKey: ReadonlyMap<string, BuildingEntity>,
    premisesByKey: ReadonlyMap<string, PremisesEntity>,
  ): Promise<Pick<BatchState, 'accountHomes' | 'accountsPlacedByJob'>> {
    const org = actor.organizationId;
    const accountByKey = new Map(accounts.map((a) => [a.numberKey, a]));
    const moved = rows.flatMap((r) => {
      const account = r.account ? accountByKey.get(accountNumberKey(r.account.number)) : undefined;
      if (!account) return [];
      const building = buildingByKey.get(addressKey({ ...r.building, block: r.building.block ?? null }));
      const listedOn = building
        ? premisesByKey.get(premisesKeyOf(building.id, r.premises.type, r.premises.number))
        : undefined;
      return listedOn?.id === account.premisesId ? [] : [account];
    });
    if (!moved.length) return { accountHomes: new Map(), accountsPlacedByJob: new Set() };
    const homes = await this.premises.findByIdsIn(tx, org, [...new Set(moved.map((a) => a.premisesId))]);
    const buildings = new Map(
      (await this.buildings.findByIdsIn(tx, org, [...new Set(homes.map((p) => p.buildingId))])).map((b) => [b.id, b]),
    );
    const placed = actor.channelRef
      ? await this.audit.entitiesTouchedBy(
          tx,
          org,
          AuditEntityType.ACCOUNT,
          moved.map((a) => a.id),
          actor.channelRef,
        )
      : new Set<string>();
    return {
      accountHomes: new Map(homes.map((p) => [p.id, premisesName(buildings.get(p.buildingId)!, p)])),
      accountsPlacedByJob: placed,
    };
  }
}

type FullRow = NonNullable<ParsedRegistryRow['row']>;

/** The keys a batch's rows look records up by: account numbers, external ids (in the importer's space by default), phones. */
function lookupKeysOf(full: readonly FullRow[], space: CrmSpace) {
  const accountKeys = [...new Set(full.flatMap((r) => (r.account ? [accountNumberKey(r.account.number)] : [])))];
  const externalKeys = full.flatMap((r) =>
    r.client?.externalId
      ? [
          {
            space: r.client.externalId.space ?? space,
            system: r.client.externalId.system,
            value: r.client.externalId.value,
          },
        ]
      : [],
  );
  const phones = [...new Set(full.flatMap((r) => r.client?.phones ?? []))];
  return { accountKeys, externalKeys, phones };
}

/**
 * Rows whose phone another person signs in with (a family's phone): their name and phones, for the
 * cards of that name carrying the phone as a contact phone.
 */
function namesWithOthersLoginPhones(
  full: readonly FullRow[],
  loginOwnerOf: ReadonlyMap<string, ClientEntity>,
): { key: string; phones: string[] }[] {
  return full.flatMap((r) => {
    const key = r.client?.phones?.length ? nameKey({ ...r.client, type: r.client.type }) : null;
    const owners = key ? r.client!.phones!.map((p) => loginOwnerOf.get(p)).filter((c) => c !== undefined) : [];
    return key && owners.length && owners.every((c) => c.nameKey !== key) ? [{ key, phones: r.client!.phones! }] : [];
  });
}

/** The batch's state (batch-state.ts) from what was read. */
function batchStateOf(read: {
  buildingByKey: Map<string, BuildingEntity>;
  premisesByKey: Map<string, PremisesEntity>;
  accounts: readonly AccountEntity[];
  clients: readonly ClientEntity[];
  clientByExternalId: Map<string, string>;
  occupancies: readonly OccupancyEntity[];
  tagsOfClient: Map<string, { id: string; nameKey: string }[]>;
  elsewhere: Pick<BatchState, 'accountHomes' | 'accountsPlacedByJob'>;
}): BatchState {
  const { buildingByKey, premisesByKey, accounts, clients, clientByExternalId, occupancies, tagsOfClient, elsewhere } =
    read;
  const occupants = new Map<string, Set<string>>();
  for (const o of occupancies) occupants.set(o.premisesId, (occupants.get(o.premisesId) ?? new Set()).add(o.clientId));
  return {
    buildings: buildingByKey,
    premises: premisesByKey,
    accounts: new Map(accounts.map((a) => [a.numberKey, a])),
    clients: new Map(clients.map((c) => [c.id, c])),
    clientByExternalId,
    clientByPhone: new Map(clients.filter((c) => c.phone).map((c) => [c.phone!, c.id])),
    clientsByAnyPhone: cardsByAnyPhone(clients),
    occupancies: new Map(occupancies.map((o) => [occupancyKeyOf(o.premisesId, o.clientId), o])),
    occupants,
    tagsOfClient: new Map(
      [...tagsOfClient].map(([clientId, tags]) => [
        clientId,
        new Map<string, string | undefined>(tags.map((t) => [t.nameKey, t.id])),
      ]),
    ),
    ...elsewhere,
  };
}
