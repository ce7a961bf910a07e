import { Injectable } from '@nestjs/common';
import { updatedSinceSql } from '../common/sql/updated-since';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundException } from '../common/errors/domain.exception';
import { runSql, sql, Sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { readEntitiesByKeys } from '../database/entity-reads';
import { JsonPart, jsonRowsPart, readJsonRows } from '../database/json-reads';
import { ClientStatus } from './client-enums';
import { CLIENT } from './client-fields';
import { ClientEntity } from './client.entity';

/**
 * The client cards' read model: one card, the loaders' batches, the cards a phone or the identity rule
 * points to, and the parts of the contact card's statement over the client table (as `Sql` values).
 * It writes nothing; the API (clients.service.ts) and the import (client-import-writer.ts) write.
 */
@Injectable()
export class ClientReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The cards updated at or after `since`, as `(entity_id, changed_at)` rows: the integration change feed's part. */
  changedSinceSql(organizationId: string, since: string): Sql {
    return updatedSinceSql('client', organizationId, since);
  }

  async get(manager: EntityManager, organizationId: string, id: string, path?: string): Promise<ClientEntity> {
    requireOrganization(organizationId);
    const client = isUuid(id) ? await manager.getRepository(ClientEntity).findOneBy({ organizationId, id }) : null;
    if (!client) throw new NotFoundException(CLIENT, id, path);
    return client;
  }

  async getMany(organizationId: string, ids: readonly string[]): Promise<Map<string, ClientEntity>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(this.dataSource, ClientEntity, organizationId, 'id', ids.filter(isUuid));
    return new Map(rows.map((c) => [c.id, c]));
  }

  /** The card whose id `id` yields, for a statement that reads it with other things. */
  cardPart(organizationId: string, id: Sql): JsonPart<ClientEntity> {
    return jsonRowsPart(
      this.dataSource.getMetadata(ClientEntity),
      'c',
      sql`c.organization_id = ${organizationId} AND c.id = ${id}`,
    );
  }

  /** The id of the card whose id `id` yields, NULL when there is no such card (a contact key's client id). */
  idSql(organizationId: string, id: Sql): Sql {
    return sql`(SELECT c.id FROM client c WHERE c.organization_id = ${organizationId} AND c.id = ${id})`;
  }

  /** The ids of the cards carrying the phone (E.164) as login or contact phone, as a row set (uq_client_phone, ix_client_extra_phones). */
  idsByAnyPhoneSql(organizationId: string, phone: string): Sql {
    return sql`SELECT c.id FROM client c WHERE c.organization_id = ${organizationId} AND (c.phone = ${phone}::text OR c.extra_phones @> ARRAY[${phone}::text])`;
  }

  /** The card's phones, main first, as a text[] (a contact key's phones); NULL when there is no such card. */
  phonesSql(organizationId: string, id: Sql): Sql {
    return sql`(SELECT ARRAY(SELECT x FROM unnest(array_prepend(c.phone, c.extra_phones)) WITH ORDINALITY AS u(x, n) WHERE x <> '' ORDER BY n)
               FROM client c WHERE c.organization_id = ${organizationId} AND c.id = ${id})`;
  }

  /** The main phone of the card whose id `id` yields (NULL when there is none). */
  mainPhoneSql(organizationId: string, id: Sql): Sql {
    return sql`(SELECT c.phone FROM client c WHERE c.organization_id = ${organizationId} AND c.id = ${id})`;
  }

  /**
   * The card a caller's phone means (the phone resolver's rule, contact-card/phone-resolver.ts): the one
   * card carrying it as login or contact phone; none when no card or several (a shared phone) carry it.
   */
  async onlyCardWithPhone(manager: EntityManager, organizationId: string, phone: string): Promise<ClientEntity | null> {
    requireOrganization(organizationId);
    const cards = await readJsonRows(
      manager,
      ClientEntity,
      'k',
      sql`k.organization_id = ${organizationId} AND k.id IN (${this.idsByAnyPhoneSql(organizationId, phone)})`,
    );
    return cards.length === 1 ? cards[0] : null;
  }

  /** Ids of the cards carrying this phone (E.164), login or contact phone: the phone resolver's cards. */
  async idsWithPhone(manager: EntityManager, organizationId: string, phone: string): Promise<string[]> {
    const rows = await runSql<{ id: string }>(
      manager,
      this.idsByAnyPhoneSql(requireOrganization(organizationId), phone),
    );
    return rows.map((r) => r.id);
  }

  async findByPhone(manager: EntityManager, organizationId: string, phone: string): Promise<ClientEntity | null> {
    return manager.getRepository(ClientEntity).findOneBy({ organizationId, phone });
  }

  /**
   * The cards that sign in with this phone, in every organization: what a resident signed in with it may
   * see. Only the login phone counts: a contact (extra) phone of a card — a relative's, an office's —
   * opens nothing in the resident app.
   */
  async findInAllOrganizationsByLoginPhone(phone: string): Promise<ClientEntity[]> {
    return this.dataSource.getRepository(ClientEntity).find({ where: { phone, status: ClientStatus.ACTIVE } });
  }

  /**
   * The cards the identity rule weighs for one person's phones and name: those signing in with one of the
   * phones (login owners), and those of that name carrying one of them as a contact phone. Two index
   * probes (uq_client_phone, ix_client_identity) in one statement: an OR of the two is a table scan.
   */
  async identityCandidates(
    manager: EntityManager,
    organizationId: string,
    phones: readonly string[],
    nameKeys: readonly string[],
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    if (!phones.length) return [];
    const [cardPhones, names] = [[...phones], [...new Set(nameKeys)]];
    return readJsonRows(
      manager,
      ClientEntity,
      'c',
      sql`c.organization_id = ${organizationId} AND c.id IN (
        SELECT l.id FROM client l WHERE l.organization_id = ${organizationId} AND l.phone = ANY(${cardPhones}::text[])
        UNION ALL SELECT x.id FROM client x WHERE x.organization_id = ${organizationId} AND x.name_key = ANY(${names}::text[]) AND x.extra_phones && ${cardPhones}::text[])`,
    );
  }
}
