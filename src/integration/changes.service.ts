import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadInputException } from '../common/errors/domain.exception';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
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

function badCursor(): BadInputException {
  return BadInputException.field('after', 'Некорректный курсор: запросите изменения заново', 'Invalid cursor: request the changes again');
}

/**
 * The change feed: records of one type updated after a moment, and deletions (kept in the audit
 * log), in (time, id) order with keyset cursors so an integrator can page through any volume.
 */
@Injectable()
export class ChangesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(organizationId: string, entityType: ExternalEntityType, updatedSince: Date, page: PageArgs): Promise<ConnectionShape<ChangeRow>> {
    requireOrganization(organizationId);
    let after: [string, string] = [updatedSince.toISOString(), '00000000-0000-0000-0000-000000000000'];
    if (page.after) {
      try {
        const decoded = JSON.parse(Buffer.from(page.after, 'base64url').toString('utf8')) as unknown;
        if (!Array.isArray(decoded) || decoded.length !== 2 || decoded.some((v) => typeof v !== 'string')) throw badCursor();
        if (Number.isNaN(Date.parse(decoded[0])) || !isUuid(decoded[1])) throw badCursor();
        after = decoded as [string, string];
      } catch {
        throw badCursor();
      }
    }
    // Microsecond precision survives the round trip through the cursor as text.
    const rows: { entity_id: string; changed_at: string; deleted: boolean }[] = await this.dataSource.query(
      `SELECT entity_id, to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS changed_at, deleted FROM (
         SELECT id AS entity_id, updated_at AS changed_at, false AS deleted FROM ${TABLES[entityType]} WHERE organization_id = $1 AND updated_at >= $2::timestamptz
         UNION ALL
         SELECT entity_id, at, true FROM audit_entry WHERE organization_id = $1 AND entity_type = $3 AND action IN ('deleted', 'merged_into') AND at >= $2::timestamptz
       ) c
       WHERE (changed_at, entity_id) > ($2::timestamptz, $4::uuid)
       ORDER BY changed_at, entity_id
       LIMIT $5`,
      [organizationId, after[0], entityType, after[1], page.first + 1],
    );
    const edges = rows.slice(0, page.first).map((row) => ({
      cursor: Buffer.from(JSON.stringify([row.changed_at, row.entity_id])).toString('base64url'),
      node: { entityType, entityId: row.entity_id, changedAt: new Date(row.changed_at), deleted: row.deleted },
    }));
    return {
      edges,
      totalCount: undefined,
      pageInfo: { hasNextPage: rows.length > page.first, hasPreviousPage: !!page.after, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
    };
  }
}
