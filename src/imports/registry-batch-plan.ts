import type { AccountEntity } from '../accounts/account.entity';
import { accountNumberKey } from '../accounts/accounts.service';
import { AuditChange } from '../audit/audit.service';
import { AuditEntityType } from '../audit/audit-enums';
import { addressKey } from '../buildings/address';
import type { BuildingEntity } from '../buildings/building.entity';
import { ClientType } from '../clients/client-enums';
import { fullName, nameKey, tagKey, tidyTagName } from '../clients/client-names';
import { assignPhones, matchIdentity } from '../clients/client-identity';
import type { ClientEntity } from '../clients/client.entity';
import type { FieldError } from '../common/errors/error-code';
import { CrmSpace } from '../kernel/crm-space';
import { OccupancyRole } from '../occupancy/occupancy-enums';
import type { OccupancyEntity } from '../occupancy/occupancy.entity';
import { premisesNumberKey } from '../premises/premises-number';
import type { PremisesEntity } from '../premises/premises.entity';
import { ImportMode } from './import-enums';
import { REGISTRY_COLUMNS, RegistryKey } from './registry-columns';
import type { Cell, RegistryRow, RowProblem } from './registry-row';

/** What a batch found in the database before applying its rows. */
export interface BatchState {
  buildings: Map<string, BuildingEntity>;
  premises: Map<string, PremisesEntity>;
  accounts: Map<string, AccountEntity>;
  clients: Map<string, ClientEntity>;
  clientByExternalId: Map<string, string>;
  /** Login phone → the card signing in with it. */
  clientByPhone: Map<string, string>;
  /** Any phone (login or contact) → the cards carrying it. */
  clientsByAnyPhone: Map<string, Set<string>>;
  occupancies: Map<string, OccupancyEntity>;
  /** premises id → ids of the clients attached to it. */
  occupants: Map<string, Set<string>>;
  /** client id → tag name key → the tag's id (undefined for a tag this batch links first). */
  tagsOfClient: Map<string, Map<string, string | undefined>>;
}

/** The factories of new records, owned by their modules. */
export interface RecordFactory {
  building(address: RegistryRow['building']): BuildingEntity;
  premises(buildingId: string, row: RegistryRow['premises']): PremisesEntity;
  account(premisesId: string, number: string): AccountEntity;
  client(): ClientEntity;
  occupancy(premisesId: string, clientId: string, role: OccupancyRole, keepOnSync: boolean): OccupancyEntity;
  /** Sets the values, recomputes keys; returns what breaks the card's rules. */
  clientValues(card: ClientEntity, values: Record<string, unknown>): FieldError[];
  /** Whether clientValues would change the card. */
  clientValuesChange(card: ClientEntity, values: Record<string, unknown>): boolean;
  clientSnapshot(card: ClientEntity): Record<string, unknown>;
  premisesMisfits(building: BuildingEntity, premises: PremisesEntity): FieldError[];
}

export interface RowOutcome {
  rowNumber: number;
  /** created / updated / unchanged; failed rows have `problems` with a row-stopping one. */
  result: 'created' | 'updated' | 'unchanged' | 'failed';
  problems: RowProblem[];
}

export interface BatchWrites {
  buildings: BuildingEntity[];
  premises: { inserted: PremisesEntity[]; updated: PremisesEntity[] };
  accounts: { inserted: AccountEntity[]; updated: AccountEntity[] };
  clients: { inserted: ClientEntity[]; updated: ClientEntity[] };
  occupancies: { inserted: OccupancyEntity[]; updated: OccupancyEntity[] };
  externalIds: { entityId: string; space: CrmSpace; system: string; value: string }[];
  /** Tag names to create on first use, then link; and links to remove. */
  tagLinks: { clientId: string; name: string }[];
  tagUnlinks: { clientId: string; tagId: string; name: string }[];
  /** What the rows list, for sync; `keepAll` marks premises of failed rows, whose residents sync leaves alone. */
  listed: { premisesId: string; clientId: string | null; keepAll: boolean }[];
  audit: AuditChange[];
}

export const premisesKeyOf = (buildingId: string, type: string, number: string) => `${buildingId}|${type}|${premisesNumberKey(number)}`;
export const occupancyKeyOf = (premisesId: string, clientId: string) => `${premisesId}|${clientId}`;
export const externalKeyOf = (space: CrmSpace, system: string, value: string) => `${space}|${system}|${value}`;

/** Any phone (login or contact) → the cards carrying it. */
export function cardsByAnyPhone(cards: Iterable<ClientEntity>): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const card of cards) for (const phone of [card.phone, ...card.extraPhones]) if (phone) map.set(phone, (map.get(phone) ?? new Set()).add(card.id));
  return map;
}

const HEADER = new Map(REGISTRY_COLUMNS.map((c) => [c.key, c.header]));
const CLIENT_FIELD_COLUMNS: Record<string, RegistryKey> = {
  lastName: 'lastName', firstName: 'firstName', middleName: 'middleName', organizationName: 'organizationName', email: 'email',
  birthDate: 'birthDate', inn: 'inn', snils: 'snils', passportSeries: 'passportSeries', passportNumber: 'passportNumber', phone: 'phones', extraPhones: 'phones', type: 'clientType',
};
const CLIENT_TEXT_FIELDS = ['lastName', 'firstName', 'middleName', 'organizationName', 'email', 'birthDate', 'inn', 'snils', 'passportSeries', 'passportNumber'] as const;

function clone<T extends object>(entity: T): T {
  const copy = Object.create(Object.getPrototypeOf(entity) as object) as Record<string, unknown>;
  // A plain loop: up to four records a row are cloned, and with Object.entries this was 1 s of a 100,000-row re-import's 25 s of CPU.
  for (const key of Object.keys(entity)) {
    const value = (entity as Record<string, unknown>)[key];
    copy[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return copy as T;
}

/** Equal as stored values: null and undefined alike, arrays element by element (the only non-scalars here). */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const left = (a ?? []) as unknown[];
    const right = (b ?? []) as unknown[];
    return left.length === right.length && left.every((value, i) => value === right[i]);
  }
  return (a ?? null) === (b ?? null);
}

function sameSnapshot(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const key in a) if (!same(a[key], b[key])) return false;
  return true;
}

function stopping(column: RegistryKey | null, code: string, ru: string, en: string): RowProblem {
  const header = column ? HEADER.get(column) : null;
  return { column, code, ru: header ? `${header}: ${ru}` : ru, en: header ? `${header}: ${en}` : en };
}

function fieldProblems(errors: FieldError[], code: string, columnOf: (path: string) => RegistryKey | null): RowProblem[] {
  return errors.map((e) => stopping(columnOf(e.path), code, e.message, e.messageEn));
}

function withoutNulls(snapshot: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(snapshot).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

/**
 * Applies a batch of parsed rows, in order, to what the database holds — in memory. Each row is
 * planned on copies and committed to the state only when every part of it is valid, so a bad row
 * changes nothing; later rows see what earlier ones did, exactly as if each row were its own
 * transaction. The result is the batch's writes (final states only, one statement per table) and
 * each row's outcome.
 */
export class RegistryBatchPlan {
  private readonly newIds = new Set<string>();
  /** State of each existing record before the batch touched it, for audit diffs and to know what to update. */
  private readonly originals = new Map<string, Record<string, unknown>>();
  private readonly writes: BatchWrites = {
    buildings: [], premises: { inserted: [], updated: [] }, accounts: { inserted: [], updated: [] }, clients: { inserted: [], updated: [] },
    occupancies: { inserted: [], updated: [] }, externalIds: [], tagLinks: [], tagUnlinks: [], listed: [], audit: [],
  };
  readonly outcomes: RowOutcome[] = [];

  constructor(
    private readonly state: BatchState,
    private readonly make: RecordFactory,
    private readonly mode: ImportMode,
    private readonly space: CrmSpace,
    private readonly sync: boolean,
  ) {}

  /** A cell's value when it should be written: absent columns never, empty cells only in REPLACE (as `empty`). */
  private take<T>(value: Cell<T>, empty: T | null): { set: true; value: T | null } | { set: false } {
    if (value === undefined) return { set: false };
    if (value === null) return this.mode === ImportMode.REPLACE ? { set: true, value: empty } : { set: false };
    return { set: true, value };
  }

  /** `clientTypeCell`: whether the row's «Тип клиента» cell is filled, empty, or its column absent from the file. */
  apply(row: RegistryRow, problems: RowProblem[], clientTypeCell: 'filled' | 'empty' | 'absent'): void {
    const stops: RowProblem[] = [];
    let created = false;
    let updated = false;
    const commits: (() => void)[] = [];

    // Building: matched by its normalized address; the file only ever creates one.
    const buildingKey = addressKey({ ...row.building, block: row.building.block ?? null });
    let building = this.state.buildings.get(buildingKey);
    if (!building) {
      const fresh = this.make.building(row.building);
      building = fresh;
      created = true;
      commits.push(() => {
        this.state.buildings.set(buildingKey, fresh);
        this.newIds.add(fresh.id);
        this.writes.buildings.push(fresh);
      });
    }

    // Premises: (building, type, number).
    const premisesKey = premisesKeyOf(building.id, row.premises.type, row.premises.number);
    const existingPremises = this.state.premises.get(premisesKey);
    // Records are copied only when the row changes them: a re-import changes none.
    let premises = existingPremises ?? this.make.premises(building.id, row.premises);
    let premisesChanged = false;
    for (const field of ['entrance', 'floor', 'area'] as const) {
      const next = this.take<number | string>(row.premises[field], null);
      if (next.set && !same(premises[field], next.value)) {
        if (premises === existingPremises) premises = clone(premises);
        (premises as unknown as Record<string, unknown>)[field] = next.value;
        premisesChanged = true;
      }
    }
    if (premisesChanged || !existingPremises) {
      stops.push(...fieldProblems(this.make.premisesMisfits(building, premises), 'DOES_NOT_FIT', (path) => (path.endsWith('area') ? 'area' : path.endsWith('floor') ? 'floor' : 'entrance')));
    }
    if (!existingPremises) created = true;
    else if (premisesChanged) updated = true;
    commits.push(() => this.keep('premises', premisesKey, premises, existingPremises, premisesChanged));

    // Account: by number, organization-wide; a number met under other premises moves there.
    if (row.account) {
      const accountKey = accountNumberKey(row.account.number);
      const existingAccount = this.state.accounts.get(accountKey);
      let account = existingAccount ?? this.make.account(premises.id, row.account.number);
      let accountChanged = false;
      const change = (): AccountEntity => {
        if (account === existingAccount) account = clone(account);
        accountChanged = true;
        return account;
      };
      if (account.premisesId !== premises.id) change().premisesId = premises.id;
      const hidden = this.take(row.account.hiddenFromResident, false);
      if (hidden.set && account.hiddenFromResident !== hidden.value) change().hiddenFromResident = hidden.value ?? false;
      const payments = this.take(row.account.paymentsEnabled, true);
      if (payments.set && account.paymentsEnabled !== payments.value) change().paymentsEnabled = payments.value ?? true;
      if (!existingAccount) created = true;
      else if (accountChanged) updated = true;
      commits.push(() => this.keep('accounts', accountKey, account, existingAccount, accountChanged));
    }

    // Client: the identity rule (client-identity.ts) — external id, else full name with any phone, else
    // the same full name among the premises' residents, else a new card.
    let clientId: string | null = null;
    if (row.client) {
      const input = row.client;
      const external = input.externalId ? { space: input.externalId.space ?? this.space, system: input.externalId.system, value: input.externalId.value } : null;
      const externalKey = external ? externalKeyOf(external.space, external.system, external.value) : null;
      const phones = input.phones ?? null;
      const rowNameKey = nameKey({ ...input, type: input.type });
      const match = matchIdentity({ nameKey: rowNameKey, phones: phones ?? [] }, {
        externalMatchId: externalKey ? this.state.clientByExternalId.get(externalKey) : null,
        cardsWithPhones: this.cardsCarrying(phones ?? []),
        premisesResidents: this.cardsOf(this.state.occupants.get(premises.id) ?? []),
      });
      const existingClient = match.by !== 'none' ? this.state.clients.get(match.clientId) : undefined;
      let card = existingClient ?? this.make.client();
      clientId = card.id;
      const values: Record<string, unknown> = {};
      // The type cell decides when it is filled or the card is new; an empty cell reads as «физлицо», which
      // only REPLACE may write over an existing company — and only when the file has the column at all.
      if (clientTypeCell === 'filled' || !existingClient || (this.mode === ImportMode.REPLACE && clientTypeCell === 'empty')) values.type = input.type ?? ClientType.INDIVIDUAL;
      for (const field of CLIENT_TEXT_FIELDS) {
        const next = this.take(input[field], null);
        if (next.set) values[field] = next.value;
      }
      const phoneCell = this.take(phones, []);
      if (phoneCell.set) {
        // The login phone of an existing card never changes here: that is the card's own operation, with
        // its own permission, and it signs the resident out. REPLACE makes the rest of the list the cell's;
        // MERGE only adds (a person listed on several rows with one phone on some keeps the others).
        const listed = phoneCell.value ?? [];
        const base = !existingClient ? listed : [...(this.mode === ImportMode.REPLACE ? [] : card.extraPhones), ...listed];
        const assigned = assignPhones(card.id, existingClient ? card.phone : null, base, (phone) => this.state.clientByPhone.get(phone));
        values.phone = assigned.login;
        values.extraPhones = assigned.extra;
        // Another person's login phone stays on this card as a contact phone: the row says whose it is.
        for (const shared of assigned.shared) {
          if (existingClient?.extraPhones.includes(shared.phone)) continue;
          const other = this.state.clients.get(shared.loginOwnerId);
          const name = other ? fullName(other) : '';
          problems.push(stopping('phones', 'PHONE_SHARED',
            `телефон ${shared.phone} — вход в приложение клиента «${name}»: отдельный клиент создан, у него телефон записан как контактный`,
            `phone ${shared.phone} is the app login of client "${name}": this client keeps it as a contact phone`));
        }
      }
      let clientChanged = false;
      // An existing card the row leaves as it is skips the copy, the card's rules and both snapshots.
      if (!existingClient || this.make.clientValuesChange(existingClient, values)) {
        if (existingClient) card = clone(card);
        const errors = this.make.clientValues(card, values);
        stops.push(...fieldProblems(errors, 'INVALID_CLIENT', (path) => CLIENT_FIELD_COLUMNS[path.split('.').pop() ?? ''] ?? null));
        clientChanged = !!existingClient && !sameSnapshot(this.make.clientSnapshot(existingClient), this.make.clientSnapshot(card));
      }
      if (!existingClient) created = true;
      else if (clientChanged) updated = true;
      commits.push(() => {
        this.keep('clients', card.id, card, existingClient, clientChanged);
        if (existingClient?.phone && existingClient.phone !== card.phone && this.state.clientByPhone.get(existingClient.phone) === card.id) this.state.clientByPhone.delete(existingClient.phone);
        if (card.phone) this.state.clientByPhone.set(card.phone, card.id);
        for (const phone of [card.phone, ...card.extraPhones]) if (phone) this.state.clientsByAnyPhone.set(phone, (this.state.clientsByAnyPhone.get(phone) ?? new Set()).add(card.id));
      });

      // The external identifier: linked on first sight, only in the importer's own CRM space.
      if (external && externalKey && this.state.clientByExternalId.get(externalKey) !== card.id) {
        if (external.space !== this.space) {
          problems.push(stopping('externalSpace', 'FOREIGN_SPACE', `идентификаторы пространства «${external.space}» меняет только это пространство — идентификатор не добавлен`, `identifiers of the ${external.space} space are changed only there — the identifier was not added`));
        } else {
          if (existingClient) updated = true;
          commits.push(() => {
            this.state.clientByExternalId.set(externalKey, card.id);
            this.writes.externalIds.push({ entityId: card.id, ...external });
            this.writes.audit.push({ entityType: AuditEntityType.CLIENT, entityId: card.id, action: 'external_id_added', after: { space: external.space, system: external.system, value: external.value } });
          });
        }
      }

      // Tags: MERGE adds the listed ones; REPLACE makes the card carry exactly them.
      const tagCell = this.take(input.tags, []);
      if (tagCell.set) {
        const current = this.state.tagsOfClient.get(card.id) ?? new Map<string, string | undefined>();
        const wanted = new Map((tagCell.value ?? []).map((name) => [tagKey(name), tidyTagName(name)]));
        const toLink = [...wanted].filter(([key]) => !current.has(key));
        const toUnlink = this.mode === ImportMode.REPLACE ? [...current].filter(([key]) => !wanted.has(key)) : [];
        if ((toLink.length || toUnlink.length) && existingClient) updated = true;
        commits.push(() => {
          const tags = new Map(current);
          for (const [key, name] of toLink) {
            tags.set(key, undefined);
            this.writes.tagLinks.push({ clientId: card.id, name });
          }
          for (const [key, tagId] of toUnlink) {
            tags.delete(key);
            // A tag this batch linked first is not in the database yet: dropping the link is enough.
            if (tagId) this.writes.tagUnlinks.push({ clientId: card.id, tagId, name: key });
            else this.writes.tagLinks = this.writes.tagLinks.filter((l) => l.clientId !== card.id || tagKey(l.name) !== key);
          }
          this.state.tagsOfClient.set(card.id, tags);
        });
      }

      // Attachment to the premises.
      const occupancyKey = occupancyKeyOf(premises.id, card.id);
      const existingOccupancy = this.state.occupancies.get(occupancyKey);
      let occupancy = existingOccupancy ?? this.make.occupancy(premises.id, card.id, input.role ?? OccupancyRole.OWNER, input.keepOnSync ?? false);
      let occupancyChanged = false;
      if (existingOccupancy) {
        const change = (): OccupancyEntity => {
          if (occupancy === existingOccupancy) occupancy = clone(occupancy);
          occupancyChanged = true;
          return occupancy;
        };
        const role = this.take(input.role, OccupancyRole.OWNER);
        if (role.set && occupancy.role !== role.value) change().role = role.value ?? OccupancyRole.OWNER;
        const keep = this.take(input.keepOnSync, false);
        if (keep.set && occupancy.keepOnSync !== keep.value) change().keepOnSync = keep.value ?? false;
      }
      if (!existingOccupancy) created = true;
      else if (occupancyChanged) updated = true;
      commits.push(() => {
        this.keep('occupancies', occupancyKey, occupancy, existingOccupancy, occupancyChanged);
        this.state.occupants.set(premises.id, (this.state.occupants.get(premises.id) ?? new Set()).add(card.id));
      });
    }

    if (stops.length) {
      // A resident whose row failed is still in the file: sync must not take their premises' residents away.
      if (this.sync && existingPremises) this.writes.listed.push({ premisesId: existingPremises.id, clientId: null, keepAll: true });
      this.outcomes.push({ rowNumber: row.rowNumber, result: 'failed', problems: [...problems, ...stops] });
      return;
    }
    for (const commit of commits) commit();
    if (this.sync) this.writes.listed.push({ premisesId: premises.id, clientId, keepAll: false });
    this.outcomes.push({ rowNumber: row.rowNumber, result: created ? 'created' : updated ? 'updated' : 'unchanged', problems });
  }

  /**
   * A row the parser refused outright. `premisesKey` locates its premises when its address cells could
   * be read: sync then leaves that premises' residents alone, as for any failed row.
   */
  fail(rowNumber: number, problems: RowProblem[], premisesKey: string | null): void {
    const premises = premisesKey ? this.state.premises.get(premisesKey) : undefined;
    if (this.sync && premises) this.writes.listed.push({ premisesId: premises.id, clientId: null, keepAll: true });
    this.outcomes.push({ rowNumber, result: 'failed', problems });
  }

  /** The cards (as this batch left them) carrying any of these phones, login or contact. */
  private cardsCarrying(phones: readonly string[]): ClientEntity[] {
    return this.cardsOf(new Set(phones.flatMap((phone) => [...(this.state.clientsByAnyPhone.get(phone) ?? [])])));
  }

  private cardsOf(ids: Iterable<string>): ClientEntity[] {
    return [...ids].flatMap((id) => this.state.clients.get(id) ?? []);
  }

  private keep<T extends { id: string }>(kind: 'premises' | 'accounts' | 'clients' | 'occupancies', key: string, next: T, existing: T | undefined, changed: boolean): void {
    const map = this.state[kind] as unknown as Map<string, T>;
    map.set(key, next);
    if (!existing) this.newIds.add(next.id);
    else if (changed && !this.newIds.has(next.id) && !this.originals.has(next.id)) this.originals.set(next.id, { ...existing } as Record<string, unknown>);
  }

  /** The batch's writes: final states of new records, and of existing ones that differ from what was loaded. */
  finish(clientSnapshot: (card: ClientEntity) => Record<string, unknown>): BatchWrites {
    const w = this.writes;
    const split = <T extends { id: string }>(values: Iterable<T>, target: { inserted: T[]; updated: T[] }, audit: (row: T, original: Record<string, unknown> | undefined) => AuditChange | null) => {
      for (const row of values) {
        const original = this.originals.get(row.id);
        if (this.newIds.has(row.id)) target.inserted.push(row);
        else if (original) target.updated.push(row);
        else continue;
        const change = audit(row, original);
        if (change) w.audit.push(change);
      }
    };
    const fieldsDiff = (row: Record<string, unknown>, original: Record<string, unknown>, fields: readonly string[]) => {
      const changed = fields.filter((f) => !same(row[f], original[f]));
      return changed.length ? { before: Object.fromEntries(changed.map((f) => [f, original[f] ?? null])), after: Object.fromEntries(changed.map((f) => [f, row[f] ?? null])) } : null;
    };
    const premisesFields = ['number', 'type', 'entrance', 'floor', 'area'];
    split(this.state.premises.values(), w.premises, (p, original) => {
      const r = p as unknown as Record<string, unknown>;
      if (!original) return { entityType: AuditEntityType.PREMISES, entityId: p.id, action: 'created', after: withoutNulls(Object.fromEntries(premisesFields.map((f) => [f, r[f]]))) };
      const diff = fieldsDiff(r, original, premisesFields);
      return diff && { entityType: AuditEntityType.PREMISES, entityId: p.id, action: 'updated', ...diff };
    });
    const accountFields = ['number', 'premisesId', 'hiddenFromResident', 'paymentsEnabled'];
    split(this.state.accounts.values(), w.accounts, (a, original) => {
      const r = a as unknown as Record<string, unknown>;
      if (!original) return { entityType: AuditEntityType.ACCOUNT, entityId: a.id, action: 'created', after: Object.fromEntries(accountFields.map((f) => [f, r[f]])) };
      const diff = fieldsDiff(r, original, accountFields);
      return diff && { entityType: AuditEntityType.ACCOUNT, entityId: a.id, action: 'updated', ...diff };
    });
    split(this.state.clients.values(), w.clients, (c, original) => {
      const after = clientSnapshot(c);
      if (!original) return { entityType: AuditEntityType.CLIENT, entityId: c.id, action: 'created', after: withoutNulls(after) };
      const before = clientSnapshot(original as unknown as ClientEntity);
      const diff = fieldsDiff(after, before, Object.keys(after));
      return diff && { entityType: AuditEntityType.CLIENT, entityId: c.id, action: 'updated', ...diff };
    });
    split(this.state.occupancies.values(), w.occupancies, (o, original) => {
      if (!original) {
        w.audit.push({ entityType: AuditEntityType.CLIENT, entityId: o.clientId, action: 'premises_attached', after: { premisesId: o.premisesId, role: o.role } });
        return { entityType: AuditEntityType.OCCUPANCY, entityId: o.id, action: 'attached', after: { clientId: o.clientId, premisesId: o.premisesId, role: o.role, keepOnSync: o.keepOnSync, source: o.source } };
      }
      const diff = fieldsDiff(o as unknown as Record<string, unknown>, original, ['role', 'keepOnSync']);
      return diff && { entityType: AuditEntityType.OCCUPANCY, entityId: o.id, action: 'updated', ...diff };
    });
    for (const b of w.buildings) w.audit.push({ entityType: AuditEntityType.BUILDING, entityId: b.id, action: 'created', after: { city: b.city, street: b.street, house: b.house, block: b.block } });
    for (const link of w.tagLinks) w.audit.push({ entityType: AuditEntityType.CLIENT, entityId: link.clientId, action: 'tag_added', after: { tag: link.name } });
    for (const unlink of w.tagUnlinks) w.audit.push({ entityType: AuditEntityType.CLIENT, entityId: unlink.clientId, action: 'tag_removed', before: { tagId: unlink.tagId } });
    return w;
  }
}

