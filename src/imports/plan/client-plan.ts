import { AuditEntityType } from '../../audit/audit-enums';
import { ClientType } from '../../clients/client-enums';
import { nameKey, tagKey, tidyTagName } from '../../clients/client-names';
import { assignPhones, matchIdentity } from '../../clients/client-identity';
import type { ClientEntity } from '../../clients/client.entity';
import { keepStoredSpelling } from '../../common/text/yo';
import { OccupancyRole } from '../../occupancy/occupancy-enums';
import type { OccupancyEntity } from '../../occupancy/occupancy.entity';
import type { PremisesEntity } from '../../premises/premises.entity';
import { ImportMode } from '../job/import-enums';
import type { RegistryKey } from '../registry-columns';
import type { Cell, RegistryRow } from '../rows/registry-row';
import { externalKeyOf, occupancyKeyOf } from './batch-state';
import { ClientDraft, ClientTypeCell, PlanContext, RowDraft } from './plan-context';
import { clone, sameSnapshot } from './record-copies';
import { fieldProblems, foreignSpace, loginPhoneKept, phoneShared } from './row-problems';

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

/**
 * The client steps of a row's plan (RegistryBatchPlan runs them after the building, premises and
 * account): identity, fields with ё/е, phones, external id, tags, attachment to the premises.
 */
export class ClientPlan {
  constructor(private readonly ctx: PlanContext) {}

  /** The client: matched, its fields and phones, external id, tags and attachment to the premises. Returns its id. */
  plan(
    draft: RowDraft,
    input: NonNullable<RegistryRow['client']>,
    premises: PremisesEntity,
    clientTypeCell: ClientTypeCell,
  ): string {
    const space = this.ctx.options.space;
    const external = input.externalId
      ? { space: input.externalId.space ?? space, system: input.externalId.system, value: input.externalId.value }
      : null;
    const externalKey = external ? externalKeyOf(external.space, external.system, external.value) : null;
    const existing = this.matchClient(input, externalKey, premises);
    const client: ClientDraft = { card: existing ?? this.ctx.make.client(), existing };
    this.planClientValues(draft, input, client, clientTypeCell);
    if (!existing) draft.created = true;

    // The external identifier: linked on first sight, only in the importer's own CRM space.
    if (external && externalKey && this.ctx.state.clientByExternalId.get(externalKey) !== client.card.id) {
      if (external.space !== space) draft.problems.push(foreignSpace(external.space));
      else {
        if (existing) draft.updated = true;
        const cardId = client.card.id;
        draft.commits.push(() => {
          this.ctx.state.clientByExternalId.set(externalKey, cardId);
          this.ctx.writes.externalIds.push({ entityId: cardId, ...external });
          this.ctx.writes.audit.push({
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
        externalMatchId: externalKey ? this.ctx.state.clientByExternalId.get(externalKey) : null,
        cardsWithPhones: this.cardsCarrying(phones),
        premisesResidents: this.cardsOf(this.ctx.state.occupants.get(premises.id) ?? []),
      },
    );
    return match.by !== 'none' ? this.ctx.state.clients.get(match.clientId) : undefined;
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
      (this.ctx.options.mode === ImportMode.REPLACE && clientTypeCell === 'empty')
    )
      values.type = input.type ?? ClientType.INDIVIDUAL;
    for (const field of CLIENT_TEXT_FIELDS) {
      const next = this.ctx.take(input[field], null);
      // «Королев» over «Королёв» is the same name: the card keeps its spelling and stays unchanged.
      if (next.set)
        values[field] = existing
          ? keepStoredSpelling(existing[field], typeof next.value === 'string' ? next.value.trim() : next.value)
          : next.value;
    }
    this.planPhones(draft, input.phones, client, values);
    let changed = false;
    // An existing card the row leaves as it is skips the copy, the card's rules and both snapshots.
    if (!existing || this.ctx.make.clientValuesChange(existing, values)) {
      if (existing) client.card = clone(client.card);
      const errors = this.ctx.make.clientValues(client.card, values);
      draft.stops.push(
        ...fieldProblems(errors, 'INVALID_CLIENT', (path) => CLIENT_FIELD_COLUMNS[path.split('.').pop() ?? ''] ?? null),
      );
      changed =
        !!existing && !sameSnapshot(this.ctx.make.clientSnapshot(existing), this.ctx.make.clientSnapshot(client.card));
    }
    if (changed) draft.updated = true;
    const card = client.card;
    draft.commits.push(() => {
      this.ctx.keep('clients', card.id, card, existing, changed);
      if (
        existing?.phone &&
        existing.phone !== card.phone &&
        this.ctx.state.clientByPhone.get(existing.phone) === card.id
      )
        this.ctx.state.clientByPhone.delete(existing.phone);
      if (card.phone) this.ctx.state.clientByPhone.set(card.phone, card.id);
      for (const phone of [card.phone, ...card.extraPhones])
        if (phone)
          this.ctx.state.clientsByAnyPhone.set(
            phone,
            (this.ctx.state.clientsByAnyPhone.get(phone) ?? new Set()).add(card.id),
          );
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
    const phoneCell = this.ctx.take(cell ?? null, []);
    if (!phoneCell.set) return;
    const { card, existing } = client;
    const listed = phoneCell.value ?? [];
    if (existing?.phone && listed.length && !listed.includes(existing.phone))
      draft.problems.push(loginPhoneKept(existing));
    const base = !existing
      ? listed
      : [...(this.ctx.options.mode === ImportMode.REPLACE ? [] : card.extraPhones), ...listed];
    const assigned = assignPhones(card.id, existing ? card.phone : null, base, (phone) =>
      this.ctx.state.clientByPhone.get(phone),
    );
    values.phone = assigned.login;
    values.extraPhones = assigned.extra;
    // Another person's login phone stays on this card as a contact phone: the row says whose it is.
    for (const shared of assigned.shared) {
      if (existing?.extraPhones.includes(shared.phone)) continue;
      draft.problems.push(phoneShared(shared.phone, this.ctx.state.clients.get(shared.loginOwnerId)));
    }
  }

  /** Tags: MERGE adds the listed ones; REPLACE makes the card carry exactly them. */
  private planTags(draft: RowDraft, cell: Cell<string[]>, client: ClientDraft): void {
    const tagCell = this.ctx.take(cell, []);
    if (!tagCell.set) return;
    const cardId = client.card.id;
    const current = this.ctx.state.tagsOfClient.get(cardId) ?? new Map<string, string | undefined>();
    const wanted = new Map((tagCell.value ?? []).map((name) => [tagKey(name), tidyTagName(name)]));
    const toLink = [...wanted].filter(([key]) => !current.has(key));
    const toUnlink =
      this.ctx.options.mode === ImportMode.REPLACE ? [...current].filter(([key]) => !wanted.has(key)) : [];
    if ((toLink.length || toUnlink.length) && client.existing) draft.updated = true;
    draft.commits.push(() => {
      const tags = new Map(current);
      for (const [key, name] of toLink) {
        tags.set(key, undefined);
        this.ctx.writes.tagLinks.push({ clientId: cardId, name });
      }
      for (const [key, tagId] of toUnlink) {
        tags.delete(key);
        // A tag this batch linked first is not in the database yet: dropping the link is enough.
        if (tagId) this.ctx.writes.tagUnlinks.push({ clientId: cardId, tagId, name: key });
        else
          this.ctx.writes.tagLinks = this.ctx.writes.tagLinks.filter(
            (l) => l.clientId !== cardId || tagKey(l.name) !== key,
          );
      }
      this.ctx.state.tagsOfClient.set(cardId, tags);
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
    const existing = this.ctx.state.occupancies.get(key);
    let occupancy =
      existing ??
      this.ctx.make.occupancy(premises.id, cardId, input.role ?? OccupancyRole.OWNER, input.keepOnSync ?? false);
    let changed = false;
    if (existing) {
      const change = (): OccupancyEntity => {
        if (occupancy === existing) occupancy = clone(occupancy);
        changed = true;
        return occupancy;
      };
      const role = this.ctx.take(input.role, OccupancyRole.OWNER);
      if (role.set && occupancy.role !== role.value) change().role = role.value ?? OccupancyRole.OWNER;
      const keep = this.ctx.take(input.keepOnSync, false);
      if (keep.set && occupancy.keepOnSync !== keep.value) change().keepOnSync = keep.value ?? false;
    }
    if (!existing) draft.created = true;
    else if (changed) draft.updated = true;
    draft.commits.push(() => {
      this.ctx.keep('occupancies', key, occupancy, existing, changed);
      this.ctx.state.occupants.set(premises.id, (this.ctx.state.occupants.get(premises.id) ?? new Set()).add(cardId));
    });
  }

  /** The cards (as this batch left them) carrying any of these phones, login or contact. */
  private cardsCarrying(phones: readonly string[]): ClientEntity[] {
    return this.cardsOf(new Set(phones.flatMap((phone) => [...(this.ctx.state.clientsByAnyPhone.get(phone) ?? [])])));
  }

  private cardsOf(ids: Iterable<string>): ClientEntity[] {
    return [...ids].flatMap((id) => this.ctx.state.clients.get(id) ?? []);
  }
}
