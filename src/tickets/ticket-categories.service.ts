import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { BadInputException, NotFoundException } from '../common/errors/domain.exception';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { OrganizationsService } from '../organizations/organizations.service';
import { defaultClassifierRows } from './default-classifier';
import { TicketCategoryEntity } from './ticket-category.entity';

export const CATEGORY = { ru: 'Категория заявок', en: 'Ticket category' };

/** The classifier tree (place → category → problem) of each organization. */
@Injectable()
export class TicketCategoriesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
  ) {}

  onModuleInit(): void {
    this.organizations.onCreated((tx, organizationId) => this.seedDefaults(tx, organizationId));
  }

  /** The default Russian classifier in one statement (ids made here so children can name their parents). */
  async seedDefaults(tx: EntityManager, organizationId: string): Promise<void> {
    requireOrganization(organizationId);
    const rows = defaultClassifierRows(randomUUID);
    await tx.getRepository(TicketCategoryEntity).insert(rows.map((row) => ({ ...row, organizationId })));
  }

  async list(organizationId: string): Promise<TicketCategoryEntity[]> {
    requireOrganization(organizationId);
    return this.dataSource.getRepository(TicketCategoryEntity).find({ where: { organizationId }, order: { name: 'ASC', id: 'ASC' } });
  }

  async get(organizationId: string, id: string, manager: EntityManager = this.dataSource.manager, path?: string): Promise<TicketCategoryEntity> {
    requireOrganization(organizationId);
    const category = isUuid(id) ? await manager.getRepository(TicketCategoryEntity).findOneBy({ organizationId, id }) : null;
    if (!category) throw new NotFoundException(CATEGORY, id, path);
    return category;
  }

  /** The category and every category below it: choosing "Освещение" covers its problems too. */
  async subtree(organizationId: string, ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    requireOrganization(organizationId);
    const rows: { id: string }[] = await manager.query(
      `WITH RECURSIVE tree AS (
         SELECT id FROM ticket_category WHERE organization_id = $1 AND id = ANY($2::uuid[])
         UNION SELECT c.id FROM ticket_category c JOIN tree ON c.organization_id = $1 AND c.parent_id = tree.id)
       SELECT id FROM tree`,
      [organizationId, ids.filter(isUuid)],
    );
    return rows.map((r) => r.id);
  }

  async create(organizationId: string, name: string, parentId?: string | null): Promise<TicketCategoryEntity> {
    requireOrganization(organizationId);
    return this.dataSource.transaction(async (tx) => {
      if (parentId) await this.get(organizationId, parentId, tx, 'input.parentId');
      return tx.getRepository(TicketCategoryEntity).save({ organizationId, parentId: parentId ?? null, name: tidy(name) });
    });
  }

  async rename(organizationId: string, id: string, name: string): Promise<TicketCategoryEntity> {
    return this.dataSource.transaction(async (tx) => {
      const category = await this.get(organizationId, id, tx, 'input.id');
      category.name = tidy(name);
      return tx.getRepository(TicketCategoryEntity).save(category);
    });
  }
}

function tidy(name: string): string {
  const value = name.replace(/\s+/g, ' ').trim();
  if (!value) throw BadInputException.field('input.name', 'укажите название', 'name is required');
  return value;
}
