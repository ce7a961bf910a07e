import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { DomainEvents, PhonesGained } from '../kernel/events';
import { BadInputException } from '../common/errors/domain.exception';
import { FieldError } from '../common/errors/error-code';
import { sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { insertRows, updateRows } from '../database/bulk';
import { readJsonRows } from '../database/json-reads';
import { ClientStatus, ClientType } from './client-enums';
import { assertCoherent, AUDITED_FIELDS, canonical, snapshot, withKeys } from './client-fields';
import { announcePhonesGained } from './client-phones-gained';
import { ClientEntity } from './client.entity';
import { ClientFieldsInput } from './dto/client.input';

/** What an import row sets on a card. */
type ImportValues = Partial<Pick<ClientEntity, 'type' | 'phone' | 'extraPhones'>> & Partial<ClientFieldsInput>;
const BULK_COLUMNS = [...AUDITED_FIELDS, 'phoneDigits', 'surnameKey', 'nameKey'] as const;

/**
 * The client cards' side of the Excel import: the set-based loads of a batch (inside the caller's
 * transaction), new cards and the import's values put into cards by the same field rules as the API
 * (client-fields.ts), and one statement per batch for the inserts and for the updates.
 */
@Injectable()
export class ClientImportWriter {
  constructor(private readonly events: DomainEvents) {}

  /** `lock`: the caller will write these cards back whole, so a concurrent edit must wait for its transaction. */
  async findByIdsIn(
    manager: EntityManager,
    organizationId: string,
    ids: readonly string[],
    lock = false,
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    if (!ids.length) return [];
    return readJsonRows(
      manager,
      ClientEntity,
      'c',
      sql`c.organization_id = ${organizationId} AND c.id = ANY(${ids.filter(isUuid)}::uuid[])`,
      { lock },
    );
  }

  /** Cards whose login phone is one of these (E.164); `lock` as for findByIdsIn. */
  async findByLoginPhones(
    manager: EntityManager,
    organizationId: string,
    phones: readonly string[],
    lock = false,
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    if (!phones.length) return [];
    return readJsonRows(
      manager,
      ClientEntity,
      'c',
      sql`c.organization_id = ${organizationId} AND c.phone = ANY(${[...phones]}::text[])`,
      { lock },
    );
  }

  /** Cards of these names carrying one of these phones as a contact phone (ix_client_identity); `lock` as for findByIdsIn. */
  async findByNamesAndContactPhones(
    manager: EntityManager,
    organizationId: string,
    nameKeys: readonly string[],
    phones: readonly string[],
    lock = false,
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    if (!phones.length || !nameKeys.length) return [];
    return readJsonRows(
      manager,
      ClientEntity,
      'c',
      sql`c.organization_id = ${organizationId} AND c.name_key = ANY(${[...new Set(nameKeys)]}::text[]) AND c.extra_phones && ${[...new Set(phones)]}::text[]`,
      { lock },
    );
  }

  newCard(organizationId: string): ClientEntity {
    return Object.assign(new ClientEntity(), {
      organizationId,
      id: randomUUID(),
      status: ClientStatus.ACTIVE,
      type: ClientType.INDIVIDUAL,
      tester: false,
      extraPhones: [],
      phone: null,
      lastName: null,
      firstName: null,
      middleName: null,
      organizationName: null,
      gender: null,
      birthDate: null,
      email: null,
      note: null,
      passportSeries: null,
      passportNumber: null,
      passportIssuedBy: null,
      passportIssuedOn: null,
      passportComment: null,
      registrationAddress: null,
      postalIndex: null,
      addressComment: null,
      inn: null,
      snils: null,
      loyaltyCardNumber: null,
    });
  }

  /**
   * Puts the given card values into the card (canonical forms, as the card's own editing stores them),
   * recomputes its search keys and returns what breaks the card's rules (empty when it is coherent).
   */
  importValues(card: ClientEntity, values: ImportValues): FieldError[] {
    Object.assign(
      card,
      canonical(values),
      values.type ? { type: values.type } : {},
      values.phone !== undefined ? { phone: values.phone } : {},
    );
    if (values.extraPhones !== undefined) card.extraPhones = values.extraPhones.filter((p) => p !== card.phone);
    withKeys(card);
    try {
      assertCoherent(card, 'row');
      return [];
    } catch (error) {
      if (error instanceof BadInputException) return error.fields ?? [];
      throw error;
    }
  }

  /**
   * Whether importValues would change the card. Every row of a re-imported, unchanged file leaves its
   * card as it is: those skip the copy, the card's rules and the before/after snapshots.
   */
  importChanges(card: ClientEntity, values: ImportValues): boolean {
    const phone = values.phone !== undefined ? values.phone : card.phone;
    if (phone !== card.phone || (values.type && values.type !== card.type)) return true;
    if (values.extraPhones !== undefined) {
      const extra = values.extraPhones.filter((p) => p !== phone);
      if (extra.length !== card.extraPhones.length || extra.some((p, i) => p !== card.extraPhones[i])) return true;
    }
    // extraPhones were compared above, as importValues sets them (canonical() would only re-normalize them).
    const next = canonical({ ...values, extraPhones: undefined }) as Record<string, unknown>;
    for (const field in next) if (next[field] !== (card as unknown as Record<string, unknown>)[field]) return true;
    return false;
  }

  /** The audited fields of a card, for before/after comparisons. */
  snapshotOf(card: ClientEntity): Record<string, unknown> {
    return snapshot(card);
  }

  async insertMany(manager: EntityManager, cards: readonly ClientEntity[]): Promise<void> {
    await insertRows(manager, ClientEntity, ['organizationId', 'id', ...BULK_COLUMNS], cards);
  }

  async updateMany(manager: EntityManager, cards: readonly ClientEntity[]): Promise<void> {
    await updateRows(manager, ClientEntity, ['organizationId', 'id'], BULK_COLUMNS, cards);
  }

  /** The cards' new phones, after the cards are written. */
  async announcePhonesGained(tx: EntityManager, actor: Actor, gained: readonly PhonesGained[]): Promise<void> {
    await announcePhonesGained(this.events, tx, actor, gained);
  }
}
