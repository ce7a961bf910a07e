import { insertRows, updateRows } from '../database/bulk';
import { raw, runSql, sql, Sql } from '../common/sql/sql';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { ClientReads } from '../clients/client-reads';
import { NotFoundException } from '../common/errors/domain.exception';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { PremisesService } from '../premises/premises.service';
import { OccupancyRole, OccupancySource } from './occupancy-enums';
import { OccupancyEntity } from './occupancy.entity';
import { readEntitiesByKeys } from '../database/entity-reads';
import { JsonPart, jsonRowsPart, readJsonRows } from '../database/json-reads';

const NIL = '00000000-0000-0000-0000-000000000000';

type AttachInput = { clientId: string; premisesId: string; role: OccupancyRole; keepOnSync?: boolean };

function group(rows: OccupancyEntity[], key: 'clientId' | 'premisesId'): Map<string, OccupancyEntity[]> {
  const map = new Map<string, OccupancyEntity[]>();
  for (const row of rows) map.set(row[key], [...(map.get(row[key]) ?? []), row]);
  return map;
}

/** Who lives where: clients attached to premises with a role. */
@Injectable()
export class OccupancyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientReads,
    private readonly premises: PremisesService,
    private readonly audit: AuditService,
  ) {}

  /** SQL true when the client row `card` (an alias) is attached to the premises: the client list's premises filter. */
  attachedToPremisesSql(card: string, premisesId: string): Sql {
    const c = raw(card);
    return this.attachedSql(sql`${c}.organization_id`, sql`${c}.id`, sql`${isUuid(premisesId) ? premisesId : NIL}`);
  }

  /** SQL true when the client `client` is attached to the premises `premises` (expressions of a row in `organization`). */
  attachedSql(organization: Sql, client: Sql, premises: Sql): Sql {
    return sql`EXISTS (SELECT 1 FROM occupancy o WHERE o.organization_id = ${organization} AND o.client_id = ${client} AND o.premises_id = ${premises})`;
  }

  /** The ids of the premises the client whose id `clientId` yields is attached to, as a parenthesized subquery. */
  premisesOfClientSql(organizationId: string, clientId: Sql): Sql {
    return sql`(SELECT o.premises_id FROM occupancy o WHERE o.organization_id = ${organizationId} AND o.client_id = ${clientId})`;
  }

  /** One client's attachments in ofClients' order, for a statement that reads them with other things. */
  ofClientPart(organizationId: string, clientId: Sql): JsonPart<OccupancyEntity> {
    return jsonRowsPart(
      this.dataSource.getMetadata(OccupancyEntity),
      'o',
      sql`o.organization_id = ${organizationId} AND o.client_id = ${clientId}`,
      { orderBy: ['since'] },
    );
  }

  async ofClients(organizationId: string, clientIds: readonly string[]): Promise<Map<string, OccupancyEntity[]>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(
      this.dataSource,
      OccupancyEntity,
      organizationId,
      'clientId',
      clientIds.filter(isUuid),
      ['since'],
    );
    return group(rows, 'clientId');
  }

  async ofPremises(organizationId: string, premisesIds: readonly string[]): Promise<Map<string, OccupancyEntity[]>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(
      this.dataSource,
      OccupancyEntity,
      organizationId,
      'premisesId',
      premisesIds.filter(isUuid),
      ['since'],
    );
    return group(rows, 'premisesId');
  }

  /** Attaching again updates the role and the keep-on-sync flag. */
  async attach(actor: Actor, input: AttachInput, source = OccupancySource.MANUAL): Promise<OccupancyEntity> {
    return this.dataSource.transaction((tx) => this.attachIn(tx, actor, input, source));
  }

  /** attach, in the caller's transaction. */
  async attachIn(
    manager: EntityManager,
    actor: Actor,
    input: AttachInput,
    source = OccupancySource.MANUAL,
  ): Promise<OccupancyEntity> {
    const run = async (tx: EntityManager) => {
      const client = await this.clients.get(tx, actor.organizationId, input.clientId, 'input.clientId');
      const premises = await this.premises.get(tx, actor.organizationId, input.premisesId).catch((error: unknown) => {
        if (error instanceof NotFoundException)
          throw new NotFoundException({ ru: 'Помещение', en: 'Premises' }, input.premisesId, 'input.premisesId');
        throw error;
      });
      const repository = tx.getRepository(OccupancyEntity);
      const existing = await repository.findOneBy({
        organizationId: actor.organizationId,
        clientId: client.id,
        premisesId: premises.id,
      });
      const keepOnSync = input.keepOnSync ?? existing?.keepOnSync ?? false;
      if (existing && existing.role === input.role && existing.keepOnSync === keepOnSync) return existing;
      const saved = await repository.save({
        ...(existing ?? { organizationId: actor.organizationId, clientId: client.id, premisesId: premises.id, source }),
        role: input.role,
        keepOnSync,
      });
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.OCCUPANCY,
          entityId: saved.id,
          action: existing ? 'updated' : 'attached',
          before: existing ? { role: existing.role, keepOnSync: existing.keepOnSync } : null,
          after: {
            clientId: client.id,
            premisesId: premises.id,
            role: saved.role,
            keepOnSync: saved.keepOnSync,
            source: saved.source,
          },
        },
        {
          entityType: AuditEntityType.CLIENT,
          entityId: client.id,
          action: existing ? 'premises_role_changed' : 'premises_attached',
          after: { premisesId: premises.id, role: saved.role },
        },
      ]);
      return saved;
    };
    // The same attachment made by a request running at the same time is answered by
    // database-errors.ts (uq_occupancy → CONFLICT on input.clientId).
    return run(manager);
  }

  async detach(actor: Actor, clientId: string, premisesId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const client = await this.clients.get(tx, actor.organizationId, clientId, 'input.clientId');
      const row = isUuid(premisesId)
        ? await tx
            .getRepository(OccupancyEntity)
            .findOneBy({ organizationId: actor.organizationId, clientId: client.id, premisesId })
        : null;
      if (!row)
        throw new NotFoundException(
          { ru: 'Привязка клиента к помещению', en: 'Client attachment to the premises' },
          premisesId,
          'input.premisesId',
        );
      await tx.getRepository(OccupancyEntity).delete({ organizationId: actor.organizationId, id: row.id });
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.OCCUPANCY,
          entityId: row.id,
          action: 'detached',
          before: { clientId, premisesId, role: row.role, keepOnSync: row.keepOnSync, source: row.source },
        },
        {
          entityType: AuditEntityType.CLIENT,
          entityId: client.id,
          action: 'premises_detached',
          before: { premisesId, role: row.role },
        },
      ]);
    });
  }

  // ---- bulk (the Excel import): loads and set-based writes inside the caller's transaction ----

  async ofPremisesIn(
    manager: EntityManager,
    organizationId: string,
    premisesIds: readonly string[],
  ): Promise<OccupancyEntity[]> {
    requireOrganization(organizationId);
    if (!premisesIds.length) return [];
    return readJsonRows(
      manager,
      OccupancyEntity,
      'o',
      sql`o.organization_id = ${organizationId} AND o.premises_id = ANY(${[...premisesIds]}::uuid[])`,
      { orderBy: ['since', 'id'] },
    );
  }

  newImported(
    organizationId: string,
    premisesId: string,
    clientId: string,
    role: OccupancyRole,
    keepOnSync: boolean,
  ): OccupancyEntity {
    return Object.assign(new OccupancyEntity(), {
      organizationId,
      id: randomUUID(),
      premisesId,
      clientId,
      role,
      keepOnSync,
      source: OccupancySource.IMPORT,
    });
  }

  async insertMany(manager: EntityManager, rows: readonly OccupancyEntity[]): Promise<void> {
    await insertRows(
      manager,
      OccupancyEntity,
      ['organizationId', 'id', 'premisesId', 'clientId', 'role', 'keepOnSync', 'source'],
      rows,
    );
  }

  async updateMany(manager: EntityManager, rows: readonly OccupancyEntity[]): Promise<void> {
    await updateRows(manager, OccupancyEntity, ['organizationId', 'id'], ['role', 'keepOnSync'], rows);
  }

  /**
   * The sync step of an import: of the premises the file lists, detaches the clients the import had
   * attached that the file no longer lists there, unless they are marked keep-on-sync. The import leaves
   * out a premises one of whose rows failed (its resident is in the file, just not readable). Manual,
   * registration and integration attachments are never touched. Audited; returns how many were detached.
   */
  async detachUnlisted(
    manager: EntityManager,
    actor: Actor,
    listed: readonly { premisesId: string; clientIds: readonly string[] }[],
  ): Promise<number> {
    requireOrganization(actor.organizationId);
    if (!listed.length) return 0;
    const pairs = listed.flatMap((p) => p.clientIds.map((clientId) => ({ premisesId: p.premisesId, clientId })));
    const detached = await runSql<OccupancyEntity>(
      manager,
      sql`DELETE FROM occupancy o
        WHERE o.organization_id = ${actor.organizationId} AND o.source = ${OccupancySource.IMPORT} AND NOT o.keep_on_sync AND o.premises_id = ANY(${listed.map((p) => p.premisesId)}::uuid[])
          AND NOT EXISTS (SELECT 1 FROM unnest(${pairs.map((p) => p.premisesId)}::uuid[], ${pairs.map((p) => p.clientId)}::uuid[]) AS l(premises_id, client_id) WHERE l.premises_id = o.premises_id AND l.client_id = o.client_id)
        RETURNING o.id, o.client_id AS "clientId", o.premises_id AS "premisesId", o.role, o.keep_on_sync AS "keepOnSync", o.source`,
    );
    await this.audit.record(
      manager,
      actor,
      detached.flatMap((row) => [
        {
          entityType: AuditEntityType.OCCUPANCY,
          entityId: row.id,
          action: 'detached',
          before: {
            clientId: row.clientId,
            premisesId: row.premisesId,
            role: row.role,
            keepOnSync: row.keepOnSync,
            source: row.source,
          },
        },
        {
          entityType: AuditEntityType.CLIENT,
          entityId: row.clientId,
          action: 'premises_detached',
          before: { premisesId: row.premisesId, role: row.role },
        },
      ]),
    );
    return detached.length;
  }
}
