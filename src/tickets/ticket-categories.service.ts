import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { BadInputException, NotFoundException } from '../common/errors/domain.exception';
import { NotifiedCache } from '../common/notify/notified-cache';
import { PgNotifyBus } from '../common/notify/pg-notify-bus';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { OrganizationCreated } from '../kernel/events';
import { insertDefaultClassifier } from './default-classifier';
import { TicketCategoryEntity } from './ticket-category.entity';

export const CATEGORY = { ru: 'Категория заявок', en: 'Ticket category' };

/** Sent by a trigger (migration TicketScopeChangeNotifications) when an organization's classifier changes. */
export const TICKET_CLASSIFIER_CHANNEL = 'ticket_classifier_changed';

/**
 * The classifier tree (place → category → problem) of each organization. Every ticket request reads
 * it (categories' names, what an employee's specializations cover), so each process keeps a copy,
 * dropped whenever a trigger announces a change (NotifiedCache).
 */
@Injectable()
export class TicketCategoriesService implements OnModuleDestroy {
  private readonly classifiers: NotifiedCache<readonly TicketCategoryEntity[]>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    bus: PgNotifyBus,
  ) {
    this.classifiers = new NotifiedCache<readonly TicketCategoryEntity[]>(bus, {
      channel: TICKET_CLASSIFIER_CHANNEL,
      onChange: (payload, cache) => {
        const organizationId = (payload as { organizationId?: unknown } | null)?.organizationId;
        if (typeof organizationId === 'string') cache.forget(organizationId);
        else cache.clear();
      },
      ttlMs: 10 * 60_000,
      maxEntries: 1000,
    });
  }

  /** OrganizationCreated: a new organization starts with the default classifier. */
  async onOrganizationCreated({ tx, organizationId }: OrganizationCreated): Promise<void> {
    await this.seedDefaults(tx, organizationId);
  }

  onModuleDestroy(): void {
    this.classifiers.close();
  }

  /** The default Russian classifier in one statement (ids made here so children can name their parents). */
  async seedDefaults(tx: EntityManager, organizationId: string): Promise<void> {
    await insertDefaultClassifier(tx, requireOrganization(organizationId));
  }

  /** By name. Shared with other requests of this process: frozen, not to be changed. */
  async list(organizationId: string): Promise<readonly TicketCategoryEntity[]> {
    requireOrganization(organizationId);
    const cached = this.classifiers.get(organizationId);
    if (cached) return cached;
    const stamp = this.classifiers.stamp();
    const rows = await this.dataSource
      .getRepository(TicketCategoryEntity)
      .find({ where: { organizationId }, order: { name: 'ASC', id: 'ASC' } });
    const classifier = Object.freeze(rows.map((row) => Object.freeze(row)));
    this.classifiers.put(organizationId, classifier, stamp);
    return classifier;
  }

  async get(manager: EntityManager, organizationId: string, id: string, path?: string): Promise<TicketCategoryEntity> {
    requireOrganization(organizationId);
    const category = isUuid(id)
      ? await manager.getRepository(TicketCategoryEntity).findOneBy({ organizationId, id })
      : null;
    if (!category) throw new NotFoundException(CATEGORY, id, path);
    return category;
  }

  /** Those of `ids` that are not categories of the organization (an employee's specializations are checked with it: kernel/ticket-category-check.ts). */
  async missing(tx: EntityManager, organizationId: string, ids: readonly string[]): Promise<string[]> {
    requireOrganization(organizationId);
    const found = await tx.getRepository(TicketCategoryEntity).findBy({ organizationId, id: In(ids.filter(isUuid)) });
    return ids.filter((id) => !found.some((c) => c.id === id));
  }

  /** The category and every category below it: choosing "Освещение" covers its problems too. */
  async subtree(organizationId: string, ids: readonly string[]): Promise<string[]> {
    requireOrganization(organizationId);
    return subtreeOf(await this.list(organizationId), ids);
  }

  async create(organizationId: string, name: string, parentId?: string | null): Promise<TicketCategoryEntity> {
    requireOrganization(organizationId);
    const created = await this.dataSource.transaction(async (tx) => {
      if (parentId) await this.get(tx, organizationId, parentId, 'input.parentId');
      return tx
        .getRepository(TicketCategoryEntity)
        .save({ organizationId, parentId: parentId ?? null, name: tidy(name) });
    });
    // The trigger's announcement reaches this process a moment later; the next request may come sooner.
    this.classifiers.forget(organizationId);
    return created;
  }

  async rename(organizationId: string, id: string, name: string): Promise<TicketCategoryEntity> {
    const renamed = await this.dataSource.transaction(async (tx) => {
      const category = await this.get(tx, organizationId, id, 'input.id');
      category.name = tidy(name);
      return tx.getRepository(TicketCategoryEntity).save(category);
    });
    this.classifiers.forget(organizationId);
    return renamed;
  }
}

/** The categories `ids` (those that exist) and every category below them. */
function subtreeOf(classifier: readonly TicketCategoryEntity[], ids: readonly string[]): string[] {
  const children = new Map<string, string[]>();
  for (const category of classifier)
    if (category.parentId) children.set(category.parentId, [...(children.get(category.parentId) ?? []), category.id]);
  const known = new Set(classifier.map((c) => c.id));
  const found = new Set<string>();
  const pending = ids.filter((id) => known.has(id));
  while (pending.length) {
    const id = pending.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    pending.push(...(children.get(id) ?? []));
  }
  return [...found];
}

function tidy(name: string): string {
  const value = name.replace(/\s+/g, ' ').trim();
  if (!value) throw BadInputException.field('input.name', 'укажите название', 'name is required');
  return value;
}
