import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { DomainEvents } from '../kernel/events';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService, changedFields } from '../audit/audit.service';
import { BadInputException } from '../common/errors/domain.exception';
import { runSql, sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { normalizePhone } from '../common/validation/phone';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { ExternalIdsService, ExternalIdValue } from '../external-ids/external-ids.service';
import { ClientStatus } from './client-enums';
import {
  assertCoherent,
  AUDITED_FIELDS,
  canonical,
  CardFields,
  fillEmptyFields,
  phoneTaken,
  snapshot,
  withKeys,
} from './client-fields';
import { assignPhones, matchIdentity, phonesOf, SharedPhone } from './client-identity';
import { fullName } from './client-names';
import { announcePhonesGained } from './client-phones-gained';
import { ClientReads } from './client-reads';
import { ClientEntity } from './client.entity';
import { CreateClientInput, UpdateClientInput } from './dto/client.input';
import { lockMergePair } from './merge-pair';

/** A phone put on a card as a contact phone because another card signs in with it. */
export interface SharedPhoneNotice {
  phone: string;
  loginClientId: string;
  loginClientName: string;
}

export interface CreateResult {
  client: ClientEntity;
  merged: boolean;
  sharedPhones: SharedPhoneNotice[];
}

/**
 * The client cards' API: create (through the identity rule), edit, block, change the login phone, merge,
 * add an external id; each audited, in a transaction. Reads are client-reads.ts, the list and typeahead
 * client-search.ts, the import's bulk writes client-import-writer.ts.
 */
@Injectable()
export class ClientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: ClientReads,
    private readonly audit: AuditService,
    private readonly externalIds: ExternalIdsService,
    private readonly events: DomainEvents,
  ) {}

  /**
   * A new card, unless the identity rule (client-identity.ts) finds the same person — an external id of
   * theirs, or the same full name with any of their phones, whichever CRM space created them — in which
   * case the input fills the existing card's empty fields and adds its phones. A phone another card signs
   * in with stays on a new card as a contact phone (`sharedPhones` says whose login it is).
   */
  async create(actor: Actor, input: CreateClientInput): Promise<CreateResult> {
    return this.dataSource.transaction((tx) => this.createIn(tx, actor, input));
  }

  /** create, in the caller's transaction. */
  async createIn(manager: EntityManager, actor: Actor, input: CreateClientInput): Promise<CreateResult> {
    requireOrganization(actor.organizationId);
    const run = async (tx: EntityManager): Promise<CreateResult> => {
      const phone = input.phone ? normalizePhone(input.phone) : null;
      const { extraPhones: listedExtra, ...fields } = canonical(input);
      const phones = [...new Set([...(phone ? [phone] : []), ...(listedExtra ?? [])])];
      const card = withKeys(
        Object.assign(new ClientEntity(), {
          tester: false,
          ...fields,
          type: input.type,
          phone,
          extraPhones: listedExtra ?? [],
          status: ClientStatus.ACTIVE,
          organizationId: actor.organizationId,
        }),
      );
      assertCoherent(card);
      const candidates = await this.reads.identityCandidates(tx, actor.organizationId, phones, [card.nameKey]);
      const loginOwnerOf = (p: string) => candidates.find((c) => c.phone === p)?.id;
      const externalMatchId = await this.externalMatch(tx, actor, input.externalIds ?? []);
      const match = matchIdentity({ nameKey: card.nameKey, phones }, { externalMatchId, cardsWithPhones: candidates });
      let result: CreateResult;
      if (match.by !== 'none') {
        const existing =
          candidates.find((c) => c.id === match.clientId) ??
          (await this.reads.get(tx, actor.organizationId, match.clientId));
        const assigned = assignPhones(existing.id, existing.phone, [...existing.extraPhones, ...phones], loginOwnerOf);
        result = {
          client: await this.fillEmpty(tx, actor, existing, { ...fields, phone: assigned.login }, assigned.extra),
          merged: true,
          sharedPhones: this.sharedWith(assigned.shared, candidates, existing),
        };
      } else {
        const assigned = assignPhones(card.id ?? '', null, phones, loginOwnerOf);
        Object.assign(card, { phone: assigned.login, extraPhones: assigned.extra });
        const saved = await tx.getRepository(ClientEntity).save(withKeys(card));
        await this.audit.record(tx, actor, [
          { entityType: AuditEntityType.CLIENT, entityId: saved.id, action: 'created', after: snapshot(saved) },
        ]);
        await this.phonesGained(tx, actor, saved, []);
        result = { client: saved, merged: false, sharedPhones: this.sharedWith(assigned.shared, candidates, saved) };
      }
      for (const id of input.externalIds ?? [])
        await this.addExternalId(tx, actor, result.client.id, { ...id, space: actor.space });
      return result;
    };
    // A phone given to another card by a request running at the same time is answered by
    // database-errors.ts (uq_client_phone → CONFLICT on input.phone).
    return run(manager);
  }

  /** The card one of these identifiers (of the actor's space, as a form gives them) already points to. */
  private async externalMatch(
    tx: EntityManager,
    actor: Actor,
    ids: readonly { system: string; value: string }[],
  ): Promise<string | null> {
    if (!ids.length) return null;
    const found = await this.externalIds.resolveMany(
      tx,
      actor.organizationId,
      ExternalEntityType.CLIENT,
      ids.map((id) => ({ space: actor.space, system: id.system.trim(), value: id.value.trim() })),
    );
    return found.values().next().value ?? null;
  }

  private sharedWith(
    shared: readonly SharedPhone[],
    candidates: readonly ClientEntity[],
    card: ClientEntity,
  ): SharedPhoneNotice[] {
    return shared.flatMap(({ phone, loginOwnerId }) => {
      const owner = candidates.find((c) => c.id === loginOwnerId);
      return owner && owner.id !== card.id
        ? [{ phone, loginClientId: owner.id, loginClientName: fullName(owner) }]
        : [];
    });
  }

  /** Someone's phones joined the card: ClientPhonesGained's subscribers (the tickets filed from them) follow, in this transaction. */
  private async phonesGained(
    tx: EntityManager,
    actor: Actor,
    card: ClientEntity,
    before: readonly string[],
  ): Promise<void> {
    const phones = phonesOf(card).filter((p) => !before.includes(p));
    if (phones.length) await announcePhonesGained(this.events, tx, actor, [{ clientId: card.id, phones }]);
  }

  private async fillEmpty(
    tx: EntityManager,
    actor: Actor,
    client: ClientEntity,
    fields: CardFields,
    extraPhones: string[],
  ): Promise<ClientEntity> {
    const before = snapshot(client);
    const phonesBefore = phonesOf(client);
    fillEmptyFields(client, fields);
    client.extraPhones = extraPhones.filter((p) => p !== client.phone);
    withKeys(client);
    const diff = changedFields(before, snapshot(client), AUDITED_FIELDS);
    if (diff) await tx.getRepository(ClientEntity).save(client);
    await this.audit.record(tx, actor, [
      {
        entityType: AuditEntityType.CLIENT,
        entityId: client.id,
        action: 'identity_matched',
        before: diff?.before,
        after: diff?.after,
      },
    ]);
    await this.phonesGained(tx, actor, client, phonesBefore);
    return client;
  }

  /**
   * Overwrites the given fields (undefined keeps a field, null clears it), including the phone when
   * no other client has it; audits and saves only when something changed. For the integration API and imports.
   */
  async applyFields(
    tx: EntityManager,
    actor: Actor,
    client: ClientEntity,
    input: Partial<CreateClientInput>,
  ): Promise<boolean> {
    const before = snapshot(client);
    const phonesBefore = phonesOf(client);
    Object.assign(client, canonical(input), input.type ? { type: input.type } : {});
    if (input.phone !== undefined) {
      const phone = input.phone ? normalizePhone(input.phone) : null;
      if (phone && phone !== client.phone) {
        const owner = await this.reads.findByPhone(tx, actor.organizationId, phone);
        if (owner && owner.id !== client.id) throw phoneTaken(phone, owner);
      }
      client.phone = phone;
      client.extraPhones = client.extraPhones.filter((p) => p !== phone);
    }
    withKeys(client);
    assertCoherent(client);
    const diff = changedFields(before, snapshot(client), AUDITED_FIELDS);
    if (!diff) return false;
    await tx.getRepository(ClientEntity).save(client);
    await this.audit.record(tx, actor, [
      { entityType: AuditEntityType.CLIENT, entityId: client.id, action: 'updated', ...diff },
    ]);
    await this.phonesGained(tx, actor, client, phonesBefore);
    return true;
  }

  /** The card's fields except the phone, which only changeClientPhone touches. */
  async update(actor: Actor, input: UpdateClientInput): Promise<ClientEntity> {
    return this.dataSource.transaction(async (tx) => {
      const client = await this.reads.get(tx, actor.organizationId, input.id, 'input.id');
      const { id: _id, ...fields } = input;
      await this.applyFields(tx, actor, client, fields);
      return client;
    });
  }

  async setStatus(actor: Actor, id: string, status: ClientStatus, reason?: string | null): Promise<ClientEntity> {
    return this.dataSource.transaction(async (tx) => {
      const client = await this.reads.get(tx, actor.organizationId, id, 'input.id');
      if (client.status === status) return client;
      const before = { status: client.status };
      client.status = status;
      const saved = await tx.getRepository(ClientEntity).save(client);
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.CLIENT,
          entityId: id,
          action: status === ClientStatus.BLOCKED ? 'blocked' : 'unblocked',
          before,
          after: { status, reason: reason ?? null },
        },
      ]);
      return saved;
    });
  }

  async changePhone(actor: Actor, id: string, rawPhone: string | null): Promise<ClientEntity> {
    const phone = rawPhone ? normalizePhone(rawPhone) : null;
    return this.dataSource.transaction(async (tx) => {
      const client = await this.reads.get(tx, actor.organizationId, id, 'input.id');
      if (client.phone === phone) return client;
      const owner = phone ? await this.reads.findByPhone(tx, actor.organizationId, phone) : null;
      if (owner) throw phoneTaken(phone!, owner);
      const before = { phone: client.phone };
      const phonesBefore = phonesOf(client);
      client.phone = phone;
      client.extraPhones = client.extraPhones.filter((p) => p !== phone);
      withKeys(client);
      const saved = await tx.getRepository(ClientEntity).save(client);
      await this.audit.record(tx, actor, [
        { entityType: AuditEntityType.CLIENT, entityId: id, action: 'phone_changed', before, after: { phone } },
      ]);
      await this.phonesGained(tx, actor, saved, phonesBefore);
      return saved;
    });
  }

  /** Two cards of one person become one: the source's relations move to the target, empty fields are filled, the source goes. */
  async merge(actor: Actor, targetId: string, sourceId: string): Promise<ClientEntity> {
    if (targetId === sourceId)
      throw BadInputException.field(
        'input.sourceId',
        'нельзя объединить карточку саму с собой',
        'cannot merge a card into itself',
      );
    return this.dataSource.transaction(async (tx) => {
      const { target, source } = await lockMergePair(tx, this.audit, actor.organizationId, targetId, sourceId);
      const sourceSnapshot = snapshot(source);
      // The source's phone would collide with itself on the target: free it first.
      const sourcePhone = source.phone;
      await tx
        .getRepository(ClientEntity)
        .update({ organizationId: actor.organizationId, id: source.id }, { phone: null });
      const before = snapshot(target);
      // Every phone of both cards survives: the main one once, the rest as extra phones.
      const mainPhone = target.phone ?? sourcePhone;
      const extraPhones = [
        ...new Set([...target.extraPhones, ...source.extraPhones, ...(sourcePhone ? [sourcePhone] : [])]),
      ].filter((p) => p !== mainPhone);
      const { status: _status, type: _type, ...sourceFields } = sourceSnapshot as CardFields;
      fillEmptyFields(target, { ...sourceFields, phone: mainPhone });
      target.extraPhones = extraPhones;
      withKeys(target);
      await runSql(
        tx,
        sql`INSERT INTO client_tag (organization_id, client_id, tag_id)
           SELECT organization_id, ${target.id}::uuid, tag_id FROM client_tag WHERE organization_id = ${actor.organizationId} AND client_id = ${source.id}
         ON CONFLICT DO NOTHING`,
      );
      await this.externalIds.moveAll(tx, actor.organizationId, ExternalEntityType.CLIENT, source.id, target.id);
      // What other modules keep about the source (attachments, accounts, tickets) follows: src/wiring/event-subscribers.ts.
      await this.events.publish('ClientsMerged', { tx, actor, sourceId: source.id, targetId: target.id });
      const saved = await tx.getRepository(ClientEntity).save(target);
      await tx.getRepository(ClientEntity).delete({ organizationId: actor.organizationId, id: source.id });
      const diff = changedFields(before, snapshot(saved), AUDITED_FIELDS);
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.CLIENT,
          entityId: target.id,
          action: 'merged',
          before: diff?.before ?? null,
          after: { ...(diff?.after ?? {}), mergedClientId: source.id },
        },
        {
          entityType: AuditEntityType.CLIENT,
          entityId: source.id,
          action: 'merged_into',
          before: sourceSnapshot,
          after: { mergedIntoClientId: target.id },
        },
      ]);
      return saved;
    });
  }

  async addExternalId(tx: EntityManager, actor: Actor, clientId: string, id: ExternalIdValue) {
    const { row, created } = await this.externalIds.add(tx, actor, ExternalEntityType.CLIENT, clientId, {
      ...id,
      system: id.system.trim(),
      value: id.value.trim(),
    });
    if (!created) return row;
    await this.audit.record(tx, actor, [
      {
        entityType: AuditEntityType.CLIENT,
        entityId: clientId,
        action: 'external_id_added',
        after: { space: row.space, system: row.system, value: row.value, note: row.note },
      },
    ]);
    return row;
  }
}
