import { insertRows } from '../database/bulk';
import { runSql, sql } from '../common/sql/sql';
import { escapeLike } from '../common/sql/escape-like';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { NotFoundException } from '../common/errors/domain.exception';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { tagKey, tidyTagName } from './client-names';
import { ClientTagEntity } from './client-tag.entity';
import { ClientReads } from './client-reads';
import { TagEntity } from './tag.entity';

/** The organization's tag vocabulary and which clients carry which tags. */
@Injectable()
export class TagsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientReads,
    private readonly audit: AuditService,
  ) {}

  /** Typeahead: tags whose name starts with the prefix, alphabetically. */
  async search(organizationId: string, prefix: string | undefined, limit: number): Promise<TagEntity[]> {
    requireOrganization(organizationId);
    const query = this.dataSource
      .getRepository(TagEntity)
      .createQueryBuilder('t')
      .where('t.organization_id = :organizationId', { organizationId });
    if (prefix?.trim()) query.andWhere('t.name_key LIKE :prefix', { prefix: `${escapeLike(tagKey(prefix))}%` });
    return query.orderBy('t.name_key').limit(limit).getMany();
  }

  async ofClients(organizationId: string, clientIds: readonly string[]): Promise<Map<string, TagEntity[]>> {
    requireOrganization(organizationId);
    const rows: (TagEntity & { clientId: string })[] = await runSql(
      this.dataSource,
      sql`SELECT ct.client_id AS "clientId", t.id, t.name, t.name_key AS "nameKey"
         FROM client_tag ct JOIN tag t ON t.organization_id = ct.organization_id AND t.id = ct.tag_id
        WHERE ct.organization_id = ${organizationId} AND ct.client_id = ANY(${clientIds.filter(isUuid)}::uuid[])
        ORDER BY t.name_key`,
    );
    const map = new Map<string, TagEntity[]>();
    for (const row of rows) map.set(row.clientId, [...(map.get(row.clientId) ?? []), row]);
    return map;
  }

  /** Creates the tag on first use; a name differing only in case or spaces is the same tag. */
  async add(actor: Actor, clientId: string, name: string) {
    return this.dataSource.transaction(async (tx) => {
      const client = await this.clients.get(tx, actor.organizationId, clientId, 'input.clientId');
      const created: { id: string }[] = await runSql(
        tx,
        sql`INSERT INTO tag (organization_id, name, name_key) VALUES (${actor.organizationId}, ${tidyTagName(name)}, ${tagKey(name)}) ON CONFLICT (organization_id, name_key) DO NOTHING RETURNING id`,
      );
      if (created.length) {
        await this.audit.record(tx, actor, [
          {
            entityType: AuditEntityType.TAG,
            entityId: created[0].id,
            action: 'created',
            after: { name: tidyTagName(name) },
          },
        ]);
      }
      const tag = await tx
        .getRepository(TagEntity)
        .findOneByOrFail({ organizationId: actor.organizationId, nameKey: tagKey(name) });
      const inserted = await runSql(
        tx,
        sql`INSERT INTO client_tag (organization_id, client_id, tag_id) VALUES (${actor.organizationId}, ${client.id}, ${tag.id}) ON CONFLICT DO NOTHING RETURNING tag_id`,
      );
      if (inserted.length) {
        await this.audit.record(tx, actor, [
          {
            entityType: AuditEntityType.CLIENT,
            entityId: client.id,
            action: 'tag_added',
            after: { tagId: tag.id, tag: tag.name },
          },
        ]);
      }
      return { client, tag };
    });
  }

  async remove(actor: Actor, clientId: string, tagId: string) {
    return this.dataSource.transaction(async (tx) => {
      const client = await this.clients.get(tx, actor.organizationId, clientId, 'input.clientId');
      const tag = isUuid(tagId)
        ? await tx.getRepository(TagEntity).findOneBy({ organizationId: actor.organizationId, id: tagId })
        : null;
      if (!tag) throw new NotFoundException({ ru: 'Метка', en: 'Tag' }, tagId, 'input.tagId');
      const removed = await tx
        .getRepository(ClientTagEntity)
        .delete({ organizationId: actor.organizationId, clientId: client.id, tagId: In([tag.id]) });
      if (removed.affected) {
        await this.audit.record(tx, actor, [
          {
            entityType: AuditEntityType.CLIENT,
            entityId: client.id,
            action: 'tag_removed',
            before: { tagId: tag.id, tag: tag.name },
          },
        ]);
      }
      return { client, tag };
    });
  }

  // ---- bulk (the Excel import): inside the caller's transaction ----

  /** Tag names (as tidied) of each client. */
  async namesOfClientsIn(
    manager: EntityManager,
    organizationId: string,
    clientIds: readonly string[],
  ): Promise<Map<string, TagEntity[]>> {
    requireOrganization(organizationId);
    const map = new Map<string, TagEntity[]>();
    if (!clientIds.length) return map;
    const rows: (TagEntity & { clientId: string })[] = await runSql(
      manager,
      sql`SELECT ct.client_id AS "clientId", t.id, t.name, t.name_key AS "nameKey"
         FROM client_tag ct JOIN tag t ON t.organization_id = ct.organization_id AND t.id = ct.tag_id
        WHERE ct.organization_id = ${organizationId} AND ct.client_id = ANY(${[...clientIds]}::uuid[])`,
    );
    for (const row of rows) map.set(row.clientId, [...(map.get(row.clientId) ?? []), row]);
    return map;
  }

  /** The organization's tags with these names, created on first use: name key → tag. */
  async ensureNamed(manager: EntityManager, actor: Actor, names: readonly string[]): Promise<Map<string, TagEntity>> {
    requireOrganization(actor.organizationId);
    const byKey = new Map(names.map((name) => [tagKey(name), tidyTagName(name)]));
    if (!byKey.size) return new Map();
    const created: { id: string; name: string }[] = await runSql(
      manager,
      sql`INSERT INTO tag (organization_id, name, name_key)
       SELECT ${actor.organizationId}, x.name, x.name_key FROM jsonb_to_recordset(${JSON.stringify([...byKey].map(([key, name]) => ({ name, name_key: key })))}::jsonb) AS x(name text, name_key text)
       ON CONFLICT (organization_id, name_key) DO NOTHING RETURNING id, name`,
    );
    await this.audit.record(
      manager,
      actor,
      created.map((tag) => ({
        entityType: AuditEntityType.TAG,
        entityId: tag.id,
        action: 'created',
        after: { name: tag.name },
      })),
    );
    const rows = await manager
      .getRepository(TagEntity)
      .createQueryBuilder('t')
      .where('t.organization_id = :organizationId AND t.name_key = ANY(:keys)', {
        organizationId: actor.organizationId,
        keys: [...byKey.keys()],
      })
      .getMany();
    return new Map(rows.map((t) => [t.nameKey, t]));
  }

  async link(
    manager: EntityManager,
    organizationId: string,
    pairs: readonly { clientId: string; tagId: string }[],
  ): Promise<void> {
    await insertRows(
      manager,
      ClientTagEntity,
      ['organizationId', 'clientId', 'tagId'],
      pairs.map((p) => Object.assign(new ClientTagEntity(), { organizationId, ...p })),
    );
  }

  async unlink(
    manager: EntityManager,
    organizationId: string,
    pairs: readonly { clientId: string; tagId: string }[],
  ): Promise<void> {
    if (!pairs.length) return;
    await runSql(
      manager,
      sql`DELETE FROM client_tag ct USING jsonb_to_recordset(${JSON.stringify(pairs.map((p) => ({ client_id: p.clientId, tag_id: p.tagId })))}::jsonb) AS x(client_id uuid, tag_id uuid)
        WHERE ct.organization_id = ${organizationId} AND ct.client_id = x.client_id AND ct.tag_id = x.tag_id`,
    );
  }
}
