import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BuildingsService } from '../buildings/buildings.service';
import { NotFoundException } from '../common/errors/domain.exception';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { andWhereSql, sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { TicketFilter } from './dto/ticket.input';
import { TicketCategoriesService } from './ticket-categories.service';
import { OPEN_STATUSES } from './ticket-enums';
import { ContactKey, contactPredicate, NIL_UUID } from './ticket-scope';
import { TicketScope, whereTicketVisible } from './ticket-visibility';
import { TicketEntity } from './ticket.entity';

/** The ticket lists: filtered pages (the journal, a house's tickets, a contact's) and possible duplicates. */
@Injectable()
export class TicketSearch {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly buildings: BuildingsService,
    private readonly categories: TicketCategoriesService,
  ) {}

  /** Newest first. `contact`: whose tickets `filter.contactId` means, as the caller resolved it (ContactReads.byId). */
  async list(
    scope: TicketScope,
    filter: TicketFilter | undefined,
    page: PageArgs,
    withTotal: boolean,
    contact?: ContactKey,
  ): Promise<ConnectionShape<TicketEntity>> {
    const { organizationId } = scope;
    requireOrganization(organizationId);
    const query = this.dataSource
      .getRepository(TicketEntity)
      .createQueryBuilder('t')
      .where('t.organization_id = :organizationId', { organizationId });
    const id = (value: string) => (isUuid(value) ? value : NIL_UUID);
    if (filter?.buildingId !== undefined)
      query.andWhere('t.building_id = :buildingId', { buildingId: id(filter.buildingId) });
    if (filter?.entrance !== undefined && filter.entrance !== null)
      query.andWhere('t.entrance = :entrance', { entrance: filter.entrance });
    if (filter?.premisesId !== undefined)
      query.andWhere('t.premises_id = :premisesId', { premisesId: id(filter.premisesId) });
    if (filter?.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter?.categoryId !== undefined)
      query.andWhere('t.category_id = ANY(:filterCategories)', {
        filterCategories: await this.categories.subtree(organizationId, [filter.categoryId]),
      });
    if (filter?.contactId !== undefined) {
      if (!contact) throw new Error('tickets.list: filter.contactId needs the contact it means');
      andWhereSql(query, contactPredicate('t', sql`${contact.clientId ?? NIL_UUID}`, sql`${contact.phones}`));
    }
    whereTicketVisible(query, scope, 't');
    return paginate(query, page, [{ sql: 't.number', kind: 'int32', value: (t) => t.number }], withTotal, 'DESC');
  }

  /** Open tickets of the category (or below it) in the house, and in the entrance when given: possible duplicates. */
  async similarOpen(
    scope: TicketScope,
    buildingId: string,
    entrance: number | null | undefined,
    categoryId: string,
    limit = 50,
  ): Promise<TicketEntity[]> {
    const { organizationId } = scope;
    await this.buildings.get(this.dataSource.manager, organizationId, buildingId);
    const categories = await this.categories.subtree(organizationId, [categoryId]);
    if (!categories.length) throw new NotFoundException({ ru: 'Категория заявок', en: 'Ticket category' }, categoryId);
    const query = this.dataSource
      .getRepository(TicketEntity)
      .createQueryBuilder('t')
      .where('t.organization_id = :organizationId AND t.building_id = :buildingId', { organizationId, buildingId })
      .andWhere('t.status IN (:...open)', { open: OPEN_STATUSES })
      .andWhere('t.category_id = ANY(:categories)', { categories });
    // A house-wide ticket (no entrance) is a duplicate for every entrance.
    if (entrance !== undefined && entrance !== null)
      query.andWhere('(t.entrance = :entrance OR t.entrance IS NULL)', { entrance });
    whereTicketVisible(query, scope, 't');
    return query.orderBy('t.number', 'DESC').limit(limit).getMany();
  }
}
