import type { AccountEntity } from '../../accounts/account.entity';
import { accountNumberKey } from '../../accounts/account-number';
import { AuditEntityType } from '../../audit/audit-enums';
import { addressKey } from '../../buildings/address';
import type { BuildingEntity } from '../../buildings/building.entity';
import { ClientType } from '../../clients/client-enums';
import { nameKey, tagKey, tidyTagName } from '../../clients/client-names';
import { assignPhones, matchIdentity } from '../../clients/client-identity';
import type { ClientEntity } from '../../clients/client.entity';
import { keepStoredSpelling } from '../../common/text/yo';
import { OccupancyRole } from '../../occupancy/occupancy-enums';
import type { OccupancyEntity } from '../../occupancy/occupancy.entity';
import { premisesName } from '../../premises/premises-name';
import { premisesNumbersCollide } from '../../premises/premises-number';
import type { PremisesEntity } from '../../premises/premises.entity';
import { ImportMode } from '../job/import-enums';
import type { RegistryKey } from '../registry-columns';
import type { Cell, RegistryRow, RowProblem } from '../rows/registry-row';
import {
  BatchState,
  BatchWrites,
  externalKeyOf,
  occupancyKeyOf,
  PlanOptions,
  premisesKeyOf,
  RecordFactory,
  RowOutcome,
} from './batch-state';
import { finishWrites } from './batch-writes';
import { clone, same, sameSnapshot } from './record-copies';
import {
  accountListedTwice,
  accountMoved,
  accountOnOtherPremises,
  fieldProblems,
  foreignSpace,
  loginPhoneKept,
  phoneShared,
  premisesNumberCollision,
} from './row-problems';

const CLIENT_FIELD_COLUMNS: Record<string, RegistryKey> = {
  lastName: 'lastName',
  firstName: 'firstName',
  middleName: 'middleName',
  organizationName: 'organizationName',
  email: 'email',
  birthDate: 'birthDate',
  inn: 'inn',
  snils: 'snils',
  passportSeries: 'passportSeries',
  passportNumber: 'passportNumber',
  phone: 'phones',
  extraPhones: 'phones',
  type: 'clientType',
};
const CLIENT_TEXT_FIELDS = [
  'lastName',
  'firstName',
  'middleName',
  'organizationName',
  'email',
  'birthDate',
  'inn',
  'snils',
  'passportSeries',
  'passportNumber',
] as const;

/** Whether the row's «Тип клиента» cell is filled, empty, or its column absent from the file. */
export type ClientTypeCell = 'filled' | 'empty' | 'absent';

/** One row being planned: what it says, what it found, and the state changes it makes if every part is valid. */
interface RowDraft {
  row: RegistryRow;
  /** Warnings (the parser's and the plan's): the row still loads. */
  problems: RowProblem[];
  /** Problems that keep the whole row out. */
  stops: RowProblem[];
  created: boolean;
  updated: boolean;
  commits: (() => void)[];
}

/** The client a row describes, as matched: the card it changes (a copy) or creates, and the card as loaded. */
interface ClientDraft {
  card: ClientEntity;
  existing: ClientEntity | undefined;
}

/**
 * Applies a batch of parsed rows, in order, to what the database holds — in memory. Each row is
 * planned on copies and committed to the state only when every part of it is valid, so a bad row
 * changes nothing; later rows see what earlier ones did, exactly as if each row were its own
 * transaction. The result is the batch's writes (final states only, one statement per table) and
 * each row's outcome. The steps of a row: building, premises, account, then the client (identity,
 * fields, phones, external id, tags, attachment).
 */
export class RegistryBatchPlan {
  private readonly newIds = new Set<string>();
  /** State of each existing record before the batch touched it, for audit diffs and to know what to update. */
  private readonly originals = new Map<string, Record<string, unknown>>();
  private readonly writes: BatchWrites = {
    buildings: [],
    premises: { inserted: [], updated: [] },
    accounts: { inserted: [], updated: [] },
    clients: { inserted: [], updated: [] },
    occupancies: { inserted: [], updated: [] },
    externalIds: [],
    tagLinks: [],
    tagUnlinks: [],
    listed: [],
    audit: [],
  };
  readonly outcomes: RowOutcome[] = [];
  /** account number key → the row of this batch that last listed it, and where. */
  private readonly accountRows = new Map<
    string,
    { rowNumber: number; building: BuildingEntity; premises: PremisesEntity }
  >();

  constructor(
    private readonly state: BatchState,
    private readonly make: RecordFactory,
    private readonly options: PlanOptions,
  ) {}

  /** `problems`: what the parser found in the row (warnings; a row with a stopping one goes to `fail`). */
  apply(row: RegistryRow, problems: RowProblem[], clientTypeCell: ClientTypeCell): void {
    const draft: RowDraft = { row, problems, stops: [], created: false, updated: false, commits: [] };
    const building = this.planBuilding(draft);
    const { premises, existing } = this.planPremises(draft, building);
    if (row.account) this.planAccount(draft, row.account, building, premises);
    const clientId = row.client ? this.planClient(draft, row.client, premises, clientTypeCell) : null;

    if (draft.stops.length) {
      // A resident whose row failed is still in the file: sync must not take their premises' residents away.
      if (this.options.sync && existing)
        this.writes.listed.push({ premisesId: existing.id, clientId: null, keepAll: true });
      this.outcomes.push({ rowNumber: row.rowNumber, result: 'failed', problems: [...problems, ...draft.stops] });
      return;
    }
    for (const commit of draft.commits) commit();
    if (this.options.sync) this.writes.listed.push({ premisesId: premises.id, clientId, keepAll: false });
    this.outcomes.push({
      rowNumber: row.rowNumber,
      result: draft.created ? 'created' : draft.updated ? 'updated' : 'unchanged',
      problems,
    });
  }

  /**
   * A row the parser refused outright. `premisesKey` locates its premises when its address cells could
   * be read: sync then leaves that premises' residents alone, as for any failed row.
   */
  fail(rowNumber: number, problems: RowProblem[], premisesKey: string | null): void {
    const premises = premisesKey ? this.state.premises.get(premisesKey) : undefined;
    if (this.options.sync && premises)
      this.writes.listed.push({ premisesId: premises.id, clientId: null, keepAll: true });
    this.outcomes.push({ rowNumber, result: 'failed', problems });
  }

  /** The batch's writes: final states of new records, and of existing ones that differ from what was loaded. */
  finish(clientSnapshot: (card: ClientEntity) => Record<string, unknown>): BatchWrites {
    return finishWrites(this.state, this.writes, { newIds: this.newIds, originals: this.originals }, clientSnapshot);
  }

  /** A cell's value when it should be written: absent columns never, empty cells only in REPLACE (as `empty`). */
  private take<T>(value: Cell<T>, empty: T | null): { set: true; value: T | null } | { set: false } {
    if (value === undefined) return { set: false };
    if (value === null) return this.options.mode === ImportMode.REPLACE ? { set: true, value: empty } : { set: false };
    return { set: true, value };
  }

  /** Building: matched by its normalized address; the file only ever creates one. */
  private planBuilding(draft: RowDraft): BuildingEntity {
    const key = addressKey({ ...draft.row.building, block: draft.row.building.block ?? null });
    const existing = this.state.buildings.get(key);
    if (existing) return existing;
    const fresh = this.make.building(draft.row.building);
    draft.created = true;
    draft.commits.push(() => {
      this.state.buildings.set(key, fresh);
      this.newIds.add(fresh.id);
      this.writes.buildings.push(fresh);
    });
    return fresh;
  }

  /** Premises: (building, type, number); a number equal to another's only once normalized says so. */
  private planPremises(
    draft: RowDraft,
    building: BuildingEntity,
  ): { premises: PremisesEntity; existing: PremisesEntity | undefined } {
    const cells = draft.row.premises;
    const key = premisesKeyOf(building.id, cells.type, cells.number);
    const existing = this.state.premises.get(key);
    // Records are copied only when the row changes them: a re-import changes none.
    let premises = existing ?? this.make.premises(building.id, cells);
    let changed = false;
    for (const field of ['entrance', 'floor', 'area'] as const) {
      const next = this.take<number | string>(cells[field], null);
      if (next.set && !same(premises[field], next.value)) {
        if (premises === existing) premises = clone(premises);
        (premises as unknown as Record<string, unknown>)[field] = next.value;
        changed = true;
      }
    }
    if (changed || !existing) {
      draft.stops.push(
        ...fieldProblems(this.make.premisesMisfits(building, premises), 'DOES_NOT_FIT', (path) =>
          path.endsWith('area') ? 'area' : path.endsWith('floor') ? 'floor' : 'entrance',
        ),
      );
    }
    if (existing && premisesNumbersCollide(existing.number, cells.number))
      draft.problems.push(premisesNumberCollision(cells.number, premisesName(building, existing)));
    if (!existing) draft.created = true;
    else if (changed) draft.updated = true;
    const planned = premises;
    draft.commits.push(() => this.keep('premises', key, planned, existing, changed));
    return { premises, existing };
  }

  /** Account: by number, organization-wide; one met under other premises moves only when the upload allows it. */
  private planAccount(
    draft: RowDraft,
    cells: NonNullable<RegistryRow['account']>,
    building: BuildingEntity,
    premises: PremisesEntity,
  ): void {
    const key = accountNumberKey(cells.number);
    const existing = this.state.accounts.get(key);
    let account = existing ?? this.make.account(premises.id, cells.number);
    let changed = false;
    const change = (): AccountEntity => {
      if (account === existing) account = clone(account);
      changed = true;
      return account;
    };
    if (account.premisesId !== premises.id) {
      const conflict = this.accountConflict(key, account);
      (conflict.stops ? draft.stops : draft.problems).push(conflict.problem);
      change().premisesId = premises.id;
    }
    const hidden = this.take(cells.hiddenFromResident, false);
    if (hidden.set && account.hiddenFromResident !== hidden.value) change().hiddenFromResident = hidden.value ?? false;
    const payments = this.take(cells.paymentsEnabled, true);
    if (payments.set && account.paymentsEnabled !== payments.value) change().paymentsEnabled = payments.value ?? true;
    if (!existing) draft.created = true;
    else if (changed) draft.updated = true;
    draft.commits.push(() => {
      this.keep('accounts', key, account, existing, changed);
      this.accountRows.set(key, { rowNumber: draft.row.rowNumber, building, premises });
    });
  }

  /**
   * An account the row lists under other premises than its own. Listed twice in one file: refused
   * whatever the upload allows (the file contradicts itself). Otherwise refused unless account moves
   * are allowed, then moved with a warning; either way the row names where the account is.
   */
  private accountConflict(accountKey: string, account: AccountEntity): { stops: boolean; problem: RowProblem } {
    const earlier = this.accountRows.get(accountKey);
    const home = earlier
      ? premisesName(earlier.building, earlier.premises)
      : (this.state.accountHomes.get(account.premisesId) ?? '?');
    if (earlier || this.state.accountsPlacedByJob.has(account.id))
      return { stops: true, problem: accountListedTwice(account.number, home, earlier?.rowNumber ?? null) };
    if (!this.options.allowAccountMoves) return { stops: true, problem: accountOnOtherPremises(account.number, home) };
    return { stops: false, problem: accountMoved(account.number, home) };
  }

  /** The client: matched, its fields and phones, external id, tags and attachment to the premises. Returns its id. */
  private planClient(
    draft: RowDraft,
    input: NonNullable<RegistryRow['client']>,
    premises: PremisesEntity,
    clientTypeCell: ClientTypeCell,
  ): string {
    const space = this.options.space;
    const external = input.externalId
      ? { space: input.externalId.space ?? space, system: input.externalId.system, value: input.externalId.value }
      : null;
    const externalKey = external ? externalKeyOf(external.space, external.system, external.value) : null;
    const existing = this.matchClient(input, externalKey, premises);
    const client: ClientDraft = { card: existing ?? this.make.client(), existing };
    this.planClientValues(draft, input, client, clientTypeCell);
    if (!existing) draft.created = true;

    // The external identifier: linked on first sight, only in the importer's own CRM space.
    if (external && externalKey && this.state.clientByExternalId.get(externalKey) !== client.card.id) {
      if (external.space !== space) draft.problems.push(foreignSpace(external.space));
      else {
        if (existing) draft.updated = true;
        const cardId = client.card.id;
        draft.commits.push(() => {
          this.state.clientByExternalId.set(externalKey, cardId);
          this.writes.externalIds.push({ entityId: cardId, ...external });
          this.writes.audit.push({
            entityType: AuditEntityType.CLIENT,
            entityId: cardId,
            action: 'external_id_added',
            after: { space: external.space, system: external.system, value: external.value },
          });
        });
      }
    }
    this.planTags(draft, input.tags, client);
    this.planOccupancy(draft, input, premises, client);
    return client.card.id;
  }

  /**
   * The identity rule (client-identity.ts): external id, else full name with any phone, else the same
   * full name among the premises' residents, else none (a new card).
   */
  private matchClient(
    input: NonNullable<RegistryRow['client']>,
    externalKey: string | null,
    premises: PremisesEntity,
  ): ClientEntity | undefined {
    const phones = input.phones ?? [];
    const match = matchIdentity(
      { nameKey: nameKey({ ...input, type: input.type }), phones },
      {
        externalMatchId: externalKey ? this.state.clientByExternalId.get(externalKey) : null,
        cardsWithPhones: this.cardsCarrying(phones),
        premisesResidents: this.cardsOf(this.state.occupants.get(premises.id) ?? []),
      },
    );
    return match.by !== 'none' ? this.state.clients.get(match.clientId) : undefined;
  }

  /** The card's fields and phones from the row's cells; copies the card only when they change it. */
  private planClientValues(
    draft: RowDraft,
    input: NonNullable<RegistryRow['client']>,
    client: ClientDraft,
    clientTypeCell: ClientTypeCell,
  ): void {
    const { existing } = client;
    const values: Record<string, unknown> = {};
    // The type cell decides when it is filled or the card is new; an empty cell reads as «физлицо», which
    // only REPLACE may write over an existing company — and only when the file has the column at all.
    if (
      clientTypeCell === 'filled' ||
      !existing ||
      (this.options.mode === ImportMode.REPLACE && clientTypeCell === 'empty')
    )
      values.type = input.type ?? ClientType.INDIVIDUAL;
    for (const field of CLIENT_TEXT_FIELDS) {
      const next = this.take(input[field], null);
      // «Королев» over «Королёв» is the same name: the card keeps its spelling and stays unchanged.
      if (next.set)
        values[field] = existing
          ? keepStoredSpelling(existing[field], typeof next.value === 'string' ? next.value.trim() : next.value)
          : next.value;
    }
    this.planPhones(draft, input.phones, client, values);
    let changed = false;
    // An existing card the row leaves as it is skips the copy, the card's rules and both snapshots.
    if (!existing || this.make.clientValuesChange(existing, values)) {
      if (existing) client.card = clone(client.card);
      const errors = this.make.clientValues(client.card, values);
      draft.stops.push(
        ...fieldProblems(errors, 'INVALID_CLIENT', (path) => CLIENT_FIELD_COLUMNS[path.split('.').pop() ?? ''] ?? null),
      );
      changed = !!existing && !sameSnapshot(this.make.clientSnapshot(existing), this.make.clientSnapshot(client.card));
    }
    if (changed) draft.updated = true;
    const card = client.card;
    draft.commits.push(() => {
      this.keep('clients', card.id, card, existing, changed);
      if (existing?.phone && existing.phone !== card.phone && this.state.clientByPhone.get(existing.phone) === card.id)
        this.state.clientByPhone.delete(existing.phone);
      if (card.phone) this.state.clientByPhone.set(card.phone, card.id);
      for (const phone of [card.phone, ...card.extraPhones])
        if (phone)
          this.state.clientsByAnyPhone.set(phone, (this.state.clientsByAnyPhone.get(phone) ?? new Set()).add(card.id));
    });
  }

  /**
   * Phones into `values`. The login phone of an existing card never changes here: that is the card's own
   * operation, with its own permission, and it signs the resident out. REPLACE makes the rest of the list
   * the cell's; MERGE only adds (a person listed on several rows with one phone on some keeps the others).
   */
  private planPhones(
    draft: RowDraft,
    cell: Cell<string[]>,
    client: ClientDraft,
    values: Record<string, unknown>,
  ): void {
    const phoneCell = this.take(cell ?? null, []);
    if (!phoneCell.set) return;
    const { card, existing } = client;
    const listed = phoneCell.value ?? [];
    if (existing?.phone && listed.length && !listed.includes(existing.phone))
      draft.problems.push(loginPhoneKept(existing));
    const base = !existing
      ? listed
      : [...(this.options.mode === ImportMode.REPLACE ? [] : card.extraPhones), ...listed];
    const assigned = assignPhones(card.id, existing ? card.phone : null, base, (phone) =>
      this.state.clientByPhone.get(phone),
    );
    values.phone = assigned.login;
    values.extraPhones = assigned.extra;
    // Another person's login phone stays on this card as a contact phone: the row says whose it is.
    for (const shared of assigned.shared) {
      if (existing?.extraPhones.includes(shared.phone)) continue;
      draft.problems.push(phoneShared(shared.phone, this.state.clients.get(shared.loginOwnerId)));
    }
  }

  /** Tags: MERGE adds the listed ones; REPLACE makes the card carry exactly them. */
  private planTags(draft: RowDraft, cell: Cell<string[]>, client: ClientDraft): void {
    const tagCell = this.take(cell, []);
    if (!tagCell.set) return;
    const cardId = client.card.id;
    const current = this.state.tagsOfClient.get(cardId) ?? new Map<string, string | undefined>();
    const wanted = new Map((tagCell.value ?? []).map((name) => [tagKey(name), tidyTagName(name)]));
    const toLink = [...wanted].filter(([key]) => !current.has(key));
    const toUnlink = this.options.mode === ImportMode.REPLACE ? [...current].filter(([key]) => !wanted.has(key)) : [];
    if ((toLink.length || toUnlink.length) && client.existing) draft.updated = true;
    draft.commits.push(() => {
      const tags = new Map(current);
      for (const [key, name] of toLink) {
        tags.set(key, undefined);
        this.writes.tagLinks.push({ clientId: cardId, name });
      }
      for (const [key, tagId] of toUnlink) {
        tags.delete(key);
        // A tag this batch linked first is not in the database yet: dropping the link is enough.
        if (tagId) this.writes.tagUnlinks.push({ clientId: cardId, tagId, name: key });
        else this.writes.tagLinks = this.writes.tagLinks.filter((l) => l.clientId !== cardId || tagKey(l.name) !== key);
      }
      this.state.tagsOfClient.set(cardId, tags);
    });
  }

  /** Attachment to the premises: made on first sight; role and keepOnSync follow the cells. */
  private planOccupancy(
    draft: RowDraft,
    input: NonNullable<RegistryRow['client']>,
    premises: PremisesEntity,
    client: ClientDraft,
  ): void {
    const cardId = client.card.id;
    const key = occupancyKeyOf(premises.id, cardId);
    const existing = this.state.occupancies.get(key);
    let occupancy =
      existing ??
      this.make.occupancy(premises.id, cardId, input.role ?? OccupancyRole.OWNER, input.keepOnSync ?? false);
    let changed = false;
    if (existing) {
      const change = (): OccupancyEntity => {
        if (occupancy === existing) occupancy = clone(occupancy);
        changed = true;
        return occupancy;
      };
      const role = this.take(input.role, OccupancyRole.OWNER);
      if (role.set && occupancy.role !== role.value) change().role = role.value ?? OccupancyRole.OWNER;
      const keep = this.take(input.keepOnSync, false);
      if (keep.set && occupancy.keepOnSync !== keep.value) change().keepOnSync = keep.value ?? false;
    }
    if (!existing) draft.created = true;
    else if (changed) draft.updated = true;
    draft.commits.push(() => {
      this.keep('occupancies', key, occupancy, existing, changed);
      this.state.occupants.set(premises.id, (this.state.occupants.get(premises.id) ?? new Set()).add(cardId));
    });
  }

  /** The cards (as this batch left them) carrying any of these phones, login or contact. */
  private cardsCarrying(phones: readonly string[]): ClientEntity[] {
    return this.cardsOf(new Set(phones.flatMap((phone) => [...(this.state.clientsByAnyPhone.get(phone) ?? [])])));
  }

  private cardsOf(ids: Iterable<string>): ClientEntity[] {
    return [...ids].flatMap((id) => this.state.clients.get(id) ?? []);
  }

  private keep<T extends { id: string }>(
    kind: 'premises' | 'accounts' | 'clients' | 'occupancies',
    key: string,
    next: T,
    existing: T | undefined,
    changed: boolean,
  ): void {
    const map = this.state[kind] as unknown as Map<string, T>;
    map.set(key, next);
    if (!existing) this.newIds.add(next.id);
    else if (changed && !this.newIds.has(next.id) && !this.originals.has(next.id))
      this.originals.set(next.id, { ...existing } as Record<string, unknown>);
  }
}
