import { insertRows } from '../database/bulk';
import { randomUUID } from 'node:crypto';
import { raw, runSql, Sql, sql } from '../common/sql/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '../kernel/actor';
import { ConflictException, ForbiddenException, NotFoundException } from '../common/errors/domain.exception';
import { isUniqueViolation } from '../common/errors/database-errors';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { ExternalEntityType } from './external-id-enums';
import { CrmSpace } from '../kernel/crm-space';
import { ExternalIdEntity } from './external-id.entity';

export const EXTERNAL_ID = { ru: 'Внешний идентификатор', en: 'External identifier' };

export interface ExternalIdValue {
  space: CrmSpace;
  system: string;
  value: string;
  note?: string | null;
}

const SPACE_NAMES: Record<CrmSpace, string> = {
  [CrmSpace.OPERATION]: 'эксплуатации',
  [CrmSpace.CONSTRUCTION]: 'строительства',
};

function duplicate(id: ExternalIdValue): ConflictException {
  return new ConflictException(
    {
      ru: `Идентификатор ${id.system} «${id.value}» уже принадлежит другой записи`,
      en: `Identifier ${id.system} "${id.value}" already belongs to another record`,
    },
    [{ path: 'input.value', message: 'идентификатор уже занят', messageEn: 'identifier already taken' }],
  );
}

/** Identifiers other systems give our records, one table for every entity type. */
@Injectable()
export class ExternalIdsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** An employee works in one space and touches only that space's identifiers. */
  assertSpace(actor: Actor, space: CrmSpace): void {
    if (actor.space !== space) {
      throw new ForbiddenException({
        ru: `Вы работаете в пространстве ${SPACE_NAMES[actor.space]} и не можете менять идентификаторы пространства ${SPACE_NAMES[space]}`,
        en: `You work in the ${actor.space} space and cannot change ${space} identifiers`,
      });
    }
  }

  async forEntities(
    organizationId: string,
    entityType: ExternalEntityType,
    entityIds: readonly string[],
    space?: CrmSpace,
  ): Promise<Map<string, ExternalIdEntity[]>> {
    requireOrganization(organizationId);
    const rows = await this.dataSource.getRepository(ExternalIdEntity).find({
      where: { organizationId, entityType, entityId: In(entityIds.filter(isUuid)), ...(space ? { space } : {}) },
      order: { system: 'ASC', value: 'ASC' },
    });
    const map = new Map<string, ExternalIdEntity[]>();
    for (const row of rows) map.set(row.entityId, [...(map.get(row.entityId) ?? []), row]);
    return map;
  }

  /** Finds the records that carry these values: value → entity id. */
  async resolve(
    manager: EntityManager,
    organizationId: string,
    entityType: ExternalEntityType,
    space: CrmSpace,
    system: string,
    values: string[],
  ): Promise<Map<string, string>> {
    requireOrganization(organizationId);
    if (!values.length) return new Map();
    const rows = await manager
      .getRepository(ExternalIdEntity)
      .find({ where: { organizationId, entityType, space, system, value: In(values) } });
    return new Map(rows.map((r) => [r.value, r.entityId]));
  }

  /** `created` is false when the record already carried this identifier (nothing written). */
  async add(
    manager: EntityManager,
    actor: Actor,
    entityType: ExternalEntityType,
    entityId: string,
    id: ExternalIdValue,
  ): Promise<{ row: ExternalIdEntity; created: boolean }> {
    try {
      return await manager.transaction(async (tx) => {
        const taken = await tx.getRepository(ExternalIdEntity).findOneBy({
          organizationId: actor.organizationId,
          entityType,
          space: id.space,
          system: id.system,
          value: id.value,
        });
        if (taken && taken.entityId !== entityId) throw duplicate(id);
        if (taken) return { row: taken, created: false };
        const row = await tx.getRepository(ExternalIdEntity).save({
          organizationId: actor.organizationId,
          entityType,
          entityId,
          space: id.space,
          system: id.system,
          value: id.value,
          note: id.note ?? null,
        });
        return { row, created: true };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_external_id_value')) throw duplicate(id);
      throw error;
    }
  }

  /**
   * An identifier the actor may change: of their organization (else NOT_FOUND) and of the CRM space they
   * work in — another space's identifiers are shown to them, read-only (FORBIDDEN).
   */
  async getEditable(manager: EntityManager, actor: Actor, id: string): Promise<ExternalIdEntity> {
    requireOrganization(actor.organizationId);
    const row = isUuid(id)
      ? await manager.getRepository(ExternalIdEntity).findOneBy({ organizationId: actor.organizationId, id })
      : null;
    if (!row) throw new NotFoundException(EXTERNAL_ID, id, 'input.id');
    this.assertSpace(actor, row.space);
    return row;
  }

  async update(
    manager: EntityManager,
    actor: Actor,
    row: ExternalIdEntity,
    changes: { system?: string; value?: string; note?: string | null },
  ): Promise<ExternalIdEntity> {
    const next = {
      ...row,
      system: changes.system ?? row.system,
      value: changes.value ?? row.value,
      note: changes.note === undefined ? row.note : changes.note,
    };
    try {
      await manager
        .getRepository(ExternalIdEntity)
        .update(
          { organizationId: actor.organizationId, id: row.id },
          { system: next.system, value: next.value, note: next.note },
        );
    } catch (error) {
      if (isUniqueViolation(error, 'uq_external_id_value')) throw duplicate(next);
      throw error;
    }
    return manager
      .getRepository(ExternalIdEntity)
      .findOneByOrFail({ organizationId: actor.organizationId, id: row.id });
  }

  async remove(manager: EntityManager, actor: Actor, row: ExternalIdEntity): Promise<void> {
    await manager.getRepository(ExternalIdEntity).delete({ organizationId: actor.organizationId, id: row.id });
  }

  /** Merging records: the survivor takes every identifier (one both carry is kept once). */
  async moveAll(
    manager: EntityManager,
    organizationId: string,
    entityType: ExternalEntityType,
    fromId: string,
    toId: string,
  ): Promise<void> {
    await runSql(
      manager,
      sql`DELETE FROM external_id f USING external_id t
        WHERE f.organization_id = ${organizationId} AND f.entity_type = ${entityType} AND f.entity_id = ${fromId}
          AND t.organization_id = f.organization_id AND t.entity_type = f.entity_type AND t.entity_id = ${toId}
          AND t.space = f.space AND t.system = f.system AND t.value = f.value`,
    );
    await runSql(
      manager,
      sql`UPDATE external_id SET entity_id = ${toId}, updated_at = now() WHERE organization_id = ${organizationId} AND entity_type = ${entityType} AND entity_id = ${fromId}`,
    );
  }

  async deleteAllOf(
    manager: EntityManager,
    organizationId: string,
    entityType: ExternalEntityType,
    entityIds: string[],
  ): Promise<void> {
    if (entityIds.length)
      await manager.getRepository(ExternalIdEntity).delete({ organizationId, entityType, entityId: In(entityIds) });
  }

  /** SQL true when the record `entity` (an alias whose row has organization_id and id) carries this identifier value in this space, for other modules' searches. */
  carriesValueSql(entity: string, entityType: ExternalEntityType, value: string, space: string): Sql {
    const [alias, type] = [raw(entity), raw(`'${entityType}'`)];
    return sql`EXISTS (SELECT 1 FROM external_id x WHERE x.organization_id = ${alias}.organization_id AND x.entity_type = ${type}
      AND x.entity_id = ${alias}.id AND x.space = ${space} AND x.value = ${value})`;
  }

  // ---- bulk (the Excel import) ----

  /** Entity ids carrying these identifiers, keyed by `space|system|value`. */
  async resolveMany(
    manager: EntityManager,
    organizationId: string,
    entityType: ExternalEntityType,
    ids: readonly { space: CrmSpace; system: string; value: string }[],
  ): Promise<Map<string, string>> {
    requireOrganization(organizationId);
    if (!ids.length) return new Map();
    // One unique-index probe per key (LATERAL with LIMIT, which the planner cannot flatten into a join):
    // as a join it scanned every identifier of the organization instead, 1.7 s a batch at 1M clients.
    const rows = await runSql<{ space: string; system: string; value: string; entityId: string }>(
      manager,
      sql`SELECT e.space, e.system, e.value, e.entity_id AS "entityId"
         FROM jsonb_to_recordset(${JSON.stringify(ids)}::jsonb) AS k(space text, system text, value text)
         CROSS JOIN LATERAL (
           SELECT x.space, x.system, x.value, x.entity_id FROM external_id x
            WHERE x.organization_id = ${organizationId} AND x.entity_type = ${entityType} AND x.space = k.space AND x.system = k.system AND x.value = k.value
            LIMIT 1
         ) e`,
    );
    return new Map(rows.map((r) => [`${r.space}|${r.system}|${r.value}`, r.entityId]));
  }

  async insertMany(
    manager: EntityManager,
    organizationId: string,
    entityType: ExternalEntityType,
    rows: readonly { entityId: string; space: CrmSpace; system: string; value: string }[],
  ): Promise<void> {
    await insertRows(
      manager,
      ExternalIdEntity,
      ['organizationId', 'id', 'entityType', 'entityId', 'space', 'system', 'value'],
      rows.map((r) => Object.assign(new ExternalIdEntity(), { organizationId, id: randomUUID(), entityType, ...r })),
    );
  }
}
