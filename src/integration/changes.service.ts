import { Injectable } from '@nestjs/common';
import { raw, runSql, Sql, sql } from '../common/sql/sql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { CursorCodec } from '../common/pagination/cursor';
import { requireOrganization } from '../common/tenancy/require-organization';
import { ExternalEntityType } from '../external-ids/external-id-enums';

const TABLES: Record<ExternalEntityType, string> = {
  [ExternalEntityType.CLIENT]: 'client',
  [ExternalEntityType.ACCOUNT]: 'account',
  [ExternalEntityType.PREMISES]: 'premises',
  [ExternalEntityType.BUILDING]: 'building',
};

export interface ChangeRow {
  entityType: ExternalEntityType;
  entityId: string;
  changedAt: Date;
  deleted: boolean;
}

/** (changed at, entity id): the feed's order. */
const CHANGES_CURSOR = new CursorCodec(['timestamp', 'uuid'], 'changes:changed_at,entity_id');

/** Every change of one type since a moment, updates and deletions alike: the feed before ordering and paging. */
function changesSince(organizationId: string, entityType: ExternalEntityType, since: string): Sql {
  return sql`SELECT id AS entity_id, updated_at AS changed_at, false AS deleted FROM ${raw(TABLES[entityType])} WHERE organization_id = ${organizationId} AND updated_at >= ${since}::timestamptz
     UNION ALL
     SELECT entity_id, at, true FROM audit_entry WHERE organization_id = ${organizationId} AND entity_type = ${entityType} AND action IN ('deleted', 'merged_into') AND at >= ${since}::timestamptz`;
}

/**
 * The change feed: records of one type updated after a moment, and deletions (kept in the audit
 * log), in (time, id) order with keyset cursors so an integrator can page through any volume.
 */
@Injectable()
export class ChangesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(
    organizationId: string,
    entityType: ExternalEntityType,
    updatedSince: Date,
    page: PageArgs,
    withTotal: boolean,
  ): Promise<ConnectionShape<ChangeRow>> {
    requireOrganization(organizationId);
    const since = updatedSince.toISOString();
    const after = page.after ? CHANGES_CURSOR.decode(page.after) : [since, '00000000-0000-0000-0000-000000000000'];
    // Microsecond precision survives the round trip through the cursor as text.
    const [rows, totalCount] = await Promise.all([
      runSql<{ entity_id: string; changed_at: string; deleted: boolean }>(
        this.dataSource,
        sql`SELECT entity_id, to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS changed_at, deleted
         FROM (${changesSince(organizationId, entityType, since)}) c
         WHERE (changed_at, entity_id) > (${after[0]}::timestamptz, ${after[1]}::uuid)
         ORDER BY changed_at, entity_id
         LIMIT ${page.first + 1}`,
      ),
      withTotal ? this.count(organizationId, entityType, since) : undefined,
    ]);
    const edges = rows.slice(0, page.first).map((row) => ({
      cursor: CHANGES_CURSOR.encode([row.changed_at, row.entity_id]),
      node: { entityType, entityId: row.entity_id, changedAt: new Date(row.changed_at), deleted: row.deleted },
    }));
    return {
      edges,
      totalCount,
      pageInfo: {
        hasNextPage: rows.length > page.first,
        hasPreviousPage: !!page.after,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }

  private async count(organizationId: string, entityType: ExternalEntityType, since: string): Promise<number> {
    const [row] = await runSql<{ total: number }>(
      this.dataSource,
      sql`SELECT count(*)::int AS total FROM (${changesSince(organizationId, entityType, since)}) c`,
    );
    return row.total;
  }
}
