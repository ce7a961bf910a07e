import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BuildingsService } from '../buildings/buildings.service';
import { NotFoundException } from '../common/errors/domain.exception';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { empty, join, runSql, sql } from '../common/sql/sql';
import { entitySelection } from '../database/hydrate';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { TicketFilter } from './dto/ticket.input';
import { TicketCategoriesService } from './ticket-categories.service';
import { OPEN_STATUSES } from './ticket-enums';
import { ContactKey, contactPredicate, NIL_UUID } from './ticket-scope';
import { TicketScope, ticketVisibleSql } from './ticket-visibility';
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
    const where = [sql`t.organization_id = ${organizationId}`];
    const id = (value: string) => (isUuid(value) ? value : NIL_UUID);
    if (filter?.buildingId !== undefined) where.push(sql`t.building_id = ${id(filter.buildingId)}`);
    if (filter?.entrance !== undefined && filter.entrance !== null) where.push(sql`t.entrance = ${filter.entrance}`);
    if (filter?.premisesId !== undefined) where.push(sql`t.premises_id = ${id(filter.premisesId)}`);
    if (filter?.status) where.push(sql`t.status = ${filter.status}`);
    if (filter?.categoryId !== undefined)
      where.push(sql`t.category_id = ANY(${await this.categories.subtree(organizationId, [filter.categoryId])})`);
    if (filter?.contactId !== undefined) {
      if (!contact) throw new Error('tickets.list: filter.contactId needs the contact it means');
      where.push(contactPredicate('t', sql`${contact.clientId ?? NIL_UUID}`, sql`${contact.phones}`));
    }
    where.push(ticketVisibleSql(scope, 't'));
    return paginate(
      this.dataSource,
      { entity: TicketEntity, alias: 't', where },
      page,
      [{ sql: 't.number', kind: 'int32', value: (t) => t.number }],
      withTotal,
      'DESC',
    );
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
    const tickets = entitySelection(this.dataSource, TicketEntity, 't');
    // A house-wide ticket (no entrance) is a duplicate for every entrance.
    const inEntrance =
      entrance !== undefined && entrance !== null ? sql` AND (t.entrance = ${entrance} OR t.entrance IS NULL)` : empty;
    const rows = await runSql<Record<string, unknown>>(
      this.dataSource,
      sql`SELECT ${tickets.columns} FROM ${tickets.table}
           WHERE t.organization_id = ${organizationId} AND t.building_id = ${buildingId}
             AND t.status IN (${join(OPEN_STATUSES)}) AND t.category_id = ANY(${categories})${inEntrance}
             AND ${ticketVisibleSql(scope, 't')}
           ORDER BY t.number DESC LIMIT ${limit}`,
    );
    return rows.map(tickets.hydrate);
  }
}
