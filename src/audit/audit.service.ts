import { insertRows } from '../database/bulk';
import { runSql, sql, Sql } from '../common/sql/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from './audit-enums';
import { AuditEntryEntity } from './audit-entry.entity';

export interface AuditChange {
  entityType: AuditEntityType;
  entityId: string;
  action: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

type Comparable = Record<string, unknown>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The fields that differ, as `{before, after}` holding only those fields; null when nothing changed. */
export function changedFields(
  before: Comparable,
  after: Comparable,
  fields: readonly string[],
): { before: Comparable; after: Comparable } | null {
  const changed = fields.filter((field) => !same(before[field], after[field]));
  if (!changed.length) return null;
  return {
    before: Object.fromEntries(changed.map((f) => [f, before[f] ?? null])),
    after: Object.fromEntries(changed.map((f) => [f, after[f] ?? null])),
  };
}

/** The change log. Entries are written in the same transaction as the change they describe. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One statement whatever the number of changes, so bulk paths (the import) use it as they are. */
  async record(manager: EntityManager, actor: Actor, changes: readonly AuditChange[]): Promise<void> {
    if (!changes.length) return;
    requireOrganization(actor.organizationId);
    await insertRows(
      manager,
      AuditEntryEntity,
      [
        'organizationId',
        'entityType',
        'entityId',
        'action',
        'channel',
        'channelRef',
        'actorEmployeeId',
        'before',
        'after',
      ],
      changes.map((change) =>
        Object.assign(new AuditEntryEntity(), {
          organizationId: actor.organizationId,
          entityType: change.entityType,
          entityId: change.entityId,
          action: change.action,
          channel: actor.channel,
          channelRef: actor.channelRef ?? null,
          actorEmployeeId: actor.employeeId,
          before: change.before ?? null,
          after: change.after ?? null,
        }),
      ),
    );
  }

  /** The `after` of the newest entry with this action about the entity (e.g. whom a merged card went into), null when none. */
  async latestAfter(
    manager: EntityManager,
    organizationId: string,
    entityType: AuditEntityType,
    entityId: string,
    action: string,
  ): Promise<Record<string, unknown> | null> {
    requireOrganization(organizationId);
    const rows: { after: Record<string, unknown> | null }[] = await runSql(
      manager,
      sql`SELECT after FROM audit_entry WHERE organization_id = ${organizationId} AND entity_type = ${entityType} AND entity_id = ${entityId} AND action = ${action} ORDER BY id DESC LIMIT 1`,
    );
    return rows[0]?.after ?? null;
  }

  /** Of these entities, the ones an entry of this channel reference (an import job's id) is about. */
  async entitiesTouchedBy(
    manager: EntityManager,
    organizationId: string,
    entityType: AuditEntityType,
    entityIds: readonly string[],
    channelRef: string,
  ): Promise<Set<string>> {
    requireOrganization(organizationId);
    if (!entityIds.length) return new Set();
    const rows = await runSql<{ id: string }>(
      manager,
      sql`SELECT DISTINCT entity_id AS id FROM audit_entry
           WHERE organization_id = ${organizationId} AND entity_type = ${entityType}
             AND entity_id = ANY(${[...entityIds]}::uuid[]) AND channel_ref = ${channelRef}`,
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The records of `entityType` deleted (or merged into another) at or after `since`, as `(entity_id, changed_at)`
   * rows from the audit log: the integration change feed's part for deletions.
   */
  deletedSinceSql(organizationId: string, entityType: AuditEntityType, since: string): Sql {
    return sql`SELECT entity_id, at AS changed_at FROM audit_entry WHERE organization_id = ${organizationId} AND entity_type = ${entityType} AND action IN ('deleted', 'merged_into') AND at >= ${since}::timestamptz`;
  }

  /** Newest first. */
  /** `space`: entries about external identifiers of another CRM space are not shown. */
  async list(
    organizationId: string,
    space: string,
    entityType: AuditEntityType,
    entityId: string,
    page: PageArgs,
    withTotal: boolean,
  ): Promise<ConnectionShape<AuditEntryEntity>> {
    requireOrganization(organizationId);
    const id = isUuid(entityId) ? entityId : '00000000-0000-0000-0000-000000000000';
    const where = [
      sql`a.organization_id = ${organizationId} AND a.entity_type = ${entityType} AND a.entity_id = ${id}`,
      sql`(a.action NOT LIKE 'external\\_id\\_%' OR coalesce(a.after ->> 'space', a.before ->> 'space', ${space}) = ${space})`,
    ];
    // Descending ids as a negated key keep the ascending keyset helper.
    return paginate(
      this.dataSource,
      { entity: AuditEntryEntity, alias: 'a', where },
      page,
      [{ sql: '(-a.id)', kind: 'int53', value: (a) => -Number(a.id) }],
      withTotal,
    );
  }
}
