import { Injectable } from '@nestjs/common';
import { runSql, Sql, sql } from '../common/sql/sql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { CursorCodec } from '../common/pagination/cursor';
import { requireOrganization } from '../common/tenancy/require-organization';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { AccountReads } from '../accounts/account-reads';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { BuildingsService } from '../buildings/buildings.service';
import { ClientReads } from '../clients/client-reads';
import { PremisesReads } from '../premises/premises-reads.service';

/** The audit log's name of each type the feed serves. */
const AUDITED: Record<ExternalEntityType, AuditEntityType> = {
  [ExternalEntityType.CLIENT]: AuditEntityType.CLIENT,
  [ExternalEntityType.ACCOUNT]: AuditEntityType.ACCOUNT,
  [ExternalEntityType.PREMISES]: AuditEntityType.PREMISES,
  [ExternalEntityType.BUILDING]: AuditEntityType.BUILDING,
};

/** `(entity_id, changed_at)` rows of an organization's records of one type updated at or after a moment. */
type ChangedSince = (organizationId: string, since: string) => Sql;

export interface ChangeRow {
  entityType: ExternalEntityType;
  entityId: string;
  changedAt: Date;
  deleted: boolean;
}

/** (changed at, entity id): the feed's order. */
const CHANGES_CURSOR = new CursorCodec(['timestamp', 'uuid'], 'changes:changed_at,entity_id');

/**
 * The change feed: records of one type updated after a moment, and deletions (kept in the audit
 * log), in (time, id) order with keyset cursors so an integrator can page through any volume.
 */
@Injectable()
export class ChangesService {
  /** Each type's updates, written by the module owning its table. */
  private readonly updated: Record<ExternalEntityType, ChangedSince>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    clients: ClientReads,
    accounts: AccountReads,
    premises: PremisesReads,
    buildings: BuildingsService,
    private readonly audit: AuditService,
  ) {
    this.updated = {
      [ExternalEntityType.CLIENT]: (organizationId, since) => clients.changedSinceSql(organizationId, since),
      [ExternalEntityType.ACCOUNT]: (organizationId, since) => accounts.changedSinceSql(organizationId, since),
      [ExternalEntityType.PREMISES]: (organizationId, since) => premises.changedSinceSql(organizationId, since),
      [ExternalEntityType.BUILDING]: (organizationId, since) => buildings.changedSinceSql(organizationId, since),
    };
  }

  /**
   * Every change of one type since a moment, updates and deletions alike (kept in the audit log): the feed
   * before ordering and paging, one statement composed of the owners' parts.
   */
  private changesSince(organizationId: string, entityType: ExternalEntityType, since: string): Sql {
    return sql`SELECT entity_id, changed_at, false AS deleted FROM (${this.updated[entityType](organizationId, since)}) u
     UNION ALL
     SELECT entity_id, changed_at, true FROM (${this.audit.deletedSinceSql(organizationId, AUDITED[entityType], since)}) d`;
  }

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
         FROM (${this.changesSince(organizationId, entityType, since)}) c
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
      sql`SELECT count(*)::int AS total FROM (${this.changesSince(organizationId, entityType, since)}) c`,
    );
    return row.total;
  }
}
