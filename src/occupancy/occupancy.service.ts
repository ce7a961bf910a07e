import { insertRows, updateRows } from '../database/bulk';
import { raw, sql, Sql } from '../common/sql/sql';
import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../audit/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { ClientsService } from '../clients/clients.service';
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
export class OccupancyService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientsService,
    private readonly premises: PremisesService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.clients.joinMerge(async (tx, actor, sourceId, targetId) => {
      // Where both were attached, the target's attachment (and role) stays, keeping a keep-on-sync flag
      // either had; the rest move over.
      await tx.query(
        `UPDATE occupancy t SET keep_on_sync = true, updated_at = now() FROM occupancy s
          WHERE t.organization_id = $1 AND t.client_id = $3 AND s.organization_id = t.organization_id AND s.client_id = $2
            AND s.premises_id = t.premises_id AND s.keep_on_sync AND NOT t.keep_on_sync`,
        [actor.organizationId, sourceId, targetId],
      );
      await tx.query(
        `DELETE FROM occupancy s USING occupancy t
          WHERE s.organization_id = $1 AND s.client_id = $2 AND t.organization_id = s.organization_id AND t.client_id = $3 AND t.premises_id = s.premises_id`,
        [actor.organizationId, sourceId, targetId],
      );
      await tx.query(`UPDATE occupancy SET client_id = $3, updated_at = now() WHERE organization_id = $1 AND client_id = $2`, [actor.organizationId, sourceId, targetId]);
    });
  }

  /** SQL true when the client row `card` (an alias) is attached to the premises: the client list's premises filter. */
  attachedToPremisesSql(card: string, premisesId: string): Sql {
    const c = raw(card);
    return sql`EXISTS (SELECT 1 FROM occupancy o WHERE o.organization_id = ${c}.organization_id AND o.client_id = ${c}.id AND o.premises_id = ${isUuid(premisesId) ? premisesId : NIL})`;
  }

  /** The ids of the premises the client whose id `clientId` yields is attached to, as a parenthesized subquery. */
  premisesOfClientSql(organizationId: string, clientId: Sql): Sql {
    return sql`(SELECT o.premises_id FROM occupancy o WHERE o.organization_id = ${organizationId} AND o.client_id = ${clientId})`;
  }

  /** One client's attachments in ofClients' order, for a statement that reads them with other things. */
  ofClientPart(organizationId: string, clientId: Sql): JsonPart<OccupancyEntity> {
    return jsonRowsPart(this.dataSource.getMetadata(OccupancyEntity), 'o', sql`o.organization_id = ${organizationId} AND o.client_id = ${clientId}`, { orderBy: ['since'] });
  }

  async ofClients(organizationId: string, clientIds: readonly string[]): Promise<Map<string, OccupancyEntity[]>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(this.dataSource, OccupancyEntity, organizationId, 'clientId', clientIds.filter(isUuid), ['since']);
    return group(rows, 'clientId');
  }

  async ofPremises(organizationId: string, premisesIds: readonly string[]): Promise<Map<string, OccupancyEntity[]>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(this.dataSource, OccupancyEntity, organizationId, 'premisesId', premisesIds.filter(isUuid), ['since']);
    return group(rows, 'premisesId');
  }

  /** Attaching again updates the role and the keep-on-sync flag. */
  async attach(actor: Actor, input: AttachInput, source = OccupancySource.MANUAL): Promise<OccupancyEntity> {
    return this.dataSource.transaction((tx) => this.attachIn(tx, actor, input, source));
  }

  /** attach, in the caller's transaction. */
  async attachIn(manager: EntityManager, actor: Actor, input: AttachInput, source = OccupancySource.MANUAL): Promise<OccupancyEntity> {
    const run = async (tx: EntityManager) => {
      const client = await this.clients.get(tx, actor.organizationId, input.clientId, 'input.clientId');
      const premises = await this.premises.get(tx, actor.organizationId, input.premisesId).catch((error: unknown) => {
        if (error instanceof NotFoundException) throw new NotFoundException({ ru: 'Помещение', en: 'Premises' }, input.premisesId, 'input.premisesId');
        throw error;
      });
      const repository = tx.getRepository(OccupancyEntity);
      const existing = await repository.findOneBy({ organizationId: actor.organizationId, clientId: client.id, premisesId: premises.id });
      const keepOnSync = input.keepOnSync ?? existing?.keepOnSync ?? false;
      if (existing && existing.role === input.role && existing.keepOnSync === keepOnSync) return existing;
      const saved = await repository.save({ ...(existing ?? { organizationId: actor.organizationId, clientId: client.id, premisesId: premises.id, source }), role: input.role, keepOnSync });
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.OCCUPANCY,
          entityId: saved.id,
          action: existing ? 'updated' : 'attached',
          before: existing ? { role: existing.role, keepOnSync: existing.keepOnSync } : null,
          after: { clientId: client.id, premisesId: premises.id, role: saved.role, keepOnSync: saved.keepOnSync, source: saved.source },
        },
        { entityType: AuditEntityType.CLIENT, entityId: client.id, action: existing ? 'premises_role_changed' : 'premises_attached', after: { premisesId: premises.id, role: saved.role } },
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
      const row = isUuid(premisesId) ? await tx.getRepository(OccupancyEntity).findOneBy({ organizationId: actor.organizationId, clientId: client.id, premisesId }) : null;
      if (!row) throw new NotFoundException({ ru: 'Привязка клиента к помещению', en: 'Client attachment to the premises' }, premisesId, 'input.premisesId');
      await tx.getRepository(OccupancyEntity).delete({ organizationId: actor.organizationId, id: row.id });
      await this.audit.record(tx, actor, [
        { entityType: AuditEntityType.OCCUPANCY, entityId: row.id, action: 'detached', before: { clientId, premisesId, role: row.role, keepOnSync: row.keepOnSync, source: row.source } },
        { entityType: AuditEntityType.CLIENT, entityId: client.id, action: 'premises_detached', before: { premisesId, role: row.role } },
      ]);
    });
  }

  // ---- bulk (the Excel import): loads and set-based writes inside the caller's transaction ----

  async ofPremisesIn(manager: EntityManager, organizationId: string, premisesIds: readonly string[]): Promise<OccupancyEntity[]> {
    requireOrganization(organizationId);
    if (!premisesIds.length) return [];
    return readJsonRows(manager, OccupancyEntity, 'o', sql`o.organization_id = ${organizationId} AND o.premises_id = ANY(${[...premisesIds]}::uuid[])`, { orderBy: ['since', 'id'] });
  }

  newImported(organizationId: string, premisesId: string, clientId: string, role: OccupancyRole, keepOnSync: boolean): OccupancyEntity {
    return Object.assign(new OccupancyEntity(), { organizationId, id: randomUUID(), premisesId, clientId, role, keepOnSync, source: OccupancySource.IMPORT });
  }

  async insertMany(manager: EntityManager, rows: readonly OccupancyEntity[]): Promise<void> {
    await insertRows(manager, OccupancyEntity, ['organizationId', 'id', 'premisesId', 'clientId', 'role', 'keepOnSync', 'source'], rows);
  }

  async updateMany(manager: EntityManager, rows: readonly OccupancyEntity[]): Promise<void> {
    await updateRows(manager, OccupancyEntity, ['organizationId', 'id'], ['role', 'keepOnSync'], rows);
  }

  /**
   * The sync step of an import: of the premises the file lists, detaches the clients the import had
   * attached that the file no longer lists, unless they are marked keep-on-sync or a row of that premises
   * failed (its resident is in the file, just not readable). Manual, registration
   * and integration attachments are never touched. Audited; returns how many were detached.
   */
  async detachUnlisted(manager: EntityManager, actor: Actor, listed: { table: string; jobId: string }): Promise<number> {
    requireOrganization(actor.organizationId);
    const detached: OccupancyEntity[] = await manager.query(
      `DELETE FROM occupancy o
        WHERE o.organization_id = $1 AND o.source = $3 AND NOT o.keep_on_sync
          AND o.premises_id IN (SELECT l.premises_id FROM ${listed.table} l WHERE l.job_id = $2)
          AND NOT EXISTS (SELECT 1 FROM ${listed.table} l WHERE l.job_id = $2 AND l.premises_id = o.premises_id AND l.keep_all)
          AND NOT EXISTS (SELECT 1 FROM ${listed.table} l WHERE l.job_id = $2 AND l.premises_id = o.premises_id AND l.client_id = o.client_id)
        RETURNING o.id, o.client_id AS "clientId", o.premises_id AS "premisesId", o.role, o.keep_on_sync AS "keepOnSync", o.source`,
      [actor.organizationId, listed.jobId, OccupancySource.IMPORT],
    ).then((result: [OccupancyEntity[], number] | OccupancyEntity[]) => (Array.isArray(result[0]) ? (result[0] as OccupancyEntity[]) : (result as OccupancyEntity[])));
    await this.audit.record(manager, actor, detached.flatMap((row) => [
      { entityType: AuditEntityType.OCCUPANCY, entityId: row.id, action: 'detached', before: { clientId: row.clientId, premisesId: row.premisesId, role: row.role, keepOnSync: row.keepOnSync, source: row.source } },
      { entityType: AuditEntityType.CLIENT, entityId: row.clientId, action: 'premises_detached', before: { premisesId: row.premisesId, role: row.role } },
    ]));
    return detached.length;
  }
}
