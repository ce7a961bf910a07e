import { EntityManager } from 'typeorm';
import { runSql, sql } from '../common/sql/sql';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { ClientEntity } from './client.entity';

const CLIENT = { ru: 'Клиент', en: 'Client' };

/**
 * The two cards of a merge, locked FOR UPDATE in id order and read after the lock. Two merges of
 * the same pair, or crossed merges (A←B and B←A), queue on the first row instead of deadlocking;
 * the one that waited then sees what the winner left:
 * - its source is gone → NOT_FOUND (the same merge already happened, or the card was removed);
 * - its target was merged into another card meanwhile → CONFLICT naming that card, so the person can
 *   merge into it instead (crossed merges end here).
 */
export async function lockMergePair(
  tx: EntityManager,
  audit: AuditService,
  organizationId: string,
  targetId: string,
  sourceId: string,
): Promise<{ target: ClientEntity; source: ClientEntity }> {
  const ids = [targetId, sourceId].filter(isUuid).sort();
  const rows: { id: string }[] = ids.length
    ? await runSql(
        tx,
        sql`SELECT id FROM client WHERE organization_id = ${organizationId} AND id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`,
      )
    : [];
  const locked = new Set(rows.map((row) => row.id));
  if (!locked.has(targetId)) {
    const merged = isUuid(targetId)
      ? await audit.latestAfter(tx, organizationId, AuditEntityType.CLIENT, targetId, 'merged_into')
      : null;
    if (merged?.mergedIntoClientId) {
      const into = String(merged.mergedIntoClientId);
      throw new ConflictException(
        {
          ru: `Карточка ${targetId} уже объединена с карточкой ${into}: объединяйте с ней`,
          en: `Card ${targetId} has already been merged into card ${into}: merge into that one`,
        },
        [
          {
            path: 'input.targetId',
            message: `карточка уже объединена с ${into}`,
            messageEn: `already merged into ${into}`,
          },
        ],
      );
    }
    throw new NotFoundException(CLIENT, targetId, 'input.targetId');
  }
  if (!locked.has(sourceId)) throw new NotFoundException(CLIENT, sourceId, 'input.sourceId');
  const cards = await tx.getRepository(ClientEntity).findBy(ids.map((id) => ({ organizationId, id })));
  const byId = new Map(cards.map((card) => [card.id, card]));
  return { target: byId.get(targetId)!, source: byId.get(sourceId)! };
}
