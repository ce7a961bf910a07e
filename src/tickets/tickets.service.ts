import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService, changedFields } from '../audit/audit.service';
import { BuildingEntity } from '../buildings/building.entity';
import { BuildingsService } from '../buildings/buildings.service';
import { fullName } from '../clients/client-names';
import { ClientEntity } from '../clients/client.entity';
import { ClientReads } from '../clients/client-reads';
import { BadInputException, NotFoundException } from '../common/errors/domain.exception';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { normalizePhone } from '../common/validation/phone';
import { EmployeesService } from '../organizations/employees.service';
import { premisesName } from '../premises/premises-name';
import { PremisesEntity } from '../premises/premises.entity';
import { PremisesService } from '../premises/premises.service';
import { displayAddress } from '../buildings/address';
import { CreateTicketInput, TicketFilter, UpdateTicketInput } from './dto/ticket.input';
import { TicketCallersService } from './ticket-callers.service';
import { TicketCategoriesService } from './ticket-categories.service';
import { FINAL_STATUSES, OPEN_STATUSES, TicketStatus } from './ticket-enums';
import { ContactKey, contactPlacesSql, contactPredicate } from './ticket-scope';
import { canSeeTicket, canUseCategory, TicketScope, visibleTicketsSql, whereTicketVisible } from './ticket-visibility';
import { andWhereSql, raw, runSql, sql, Sql } from '../common/sql/sql';
import { assertTransition } from './ticket-status';
import { TicketEntity } from './ticket.entity';
import { preparedQuery } from '../database/prepared';
import { JsonPart, jsonColumns, reviveJsonRows } from '../database/json-reads';

export const TICKET = { ru: 'Заявка', en: 'Ticket' };

/**
 * The contacts of a places statement as rows (k, client_id, phones). One contact (every card) is a
 * one-row VALUES: PostgreSQL then settles on one generic plan for the prepared statement instead of
 * planning it anew on each run, which it does for unnest() of arrays whose length it cannot know
 * (planning took 0.3–1 ms of a 0.15 ms statement).
 */
function contactRows(contacts: readonly ContactKey[]): Sql {
  if (contacts.length === 1)
    return sql`(VALUES (${0}::int, ${contacts[0].clientId}::uuid, ${contacts[0].phones.join(',')}::text))`;
  return sql`unnest(${contacts.map((_, i) => i)}::int[], ${contacts.map((c) => c.clientId)}::uuid[], ${contacts.map((c) => c.phones.join(','))}::text[])`;
}

/** A contact row's phones (kept joined by commas in the rows above) as a text[]. */
const ROW_PHONES = raw("string_to_array(r.phones, ',')");
const NIL = '00000000-0000-0000-0000-000000000000';
const EDITABLE = [
  'categoryId',
  'description',
  'emergency',
  'paid',
  'warranty',
  'deadline',
  'entrance',
  'floor',
  'assigneeId',
  'executorId',
] as const;

/** One page of one contact's tickets at one place (premises, or building for house-wide tickets). */
export interface PlacePageRequest {
  contact: ContactKey;
  placeId: string;
  first: number;
  /** Number of the last ticket of the previous page. */
  before: number | null;
}

export interface ContactPlace {
  placeId: string;
  buildingId: string;
  premisesId: string | null;
  lastNumber: number;
}

/** A place with the newest of the contact's tickets there (that the employee may see), read together. */
export interface ContactPlaceWithPage extends ContactPlace {
  firstPage: TicketEntity[];
}

/**
 * One page of a contact's tickets at the place `r.place_id` that the scope lets the employee see, newest
 * first: the client's own tickets and the unlinked ones from its phones, each read in order from its
 * index, merged.
 */
function placePageSql(scope: TicketScope, limit: Sql, before: Sql, phones: Sql = ROW_PHONES): Sql {
  const branch = (
    own: Sql,
  ) => sql`(SELECT t.* FROM ticket t WHERE t.organization_id = ${scope.organizationId} AND ${own} AND t.place_id = r.place_id
      AND t.number < ${before} ${visibleTicketsSql(scope, 't')} ORDER BY t.number DESC LIMIT ${limit})`;
  return sql`SELECT * FROM (${branch(sql`t.client_id = r.client_id`)} UNION ALL ${branch(sql`t.client_id IS NULL AND t.contact_phone = ANY(${phones})`)}) b
    ORDER BY b.number DESC LIMIT ${limit}`;
}

const NO_LATER_THAN_ANY = raw('2147483647');

function snapshotOf(ticket: TicketEntity): Record<string, unknown> {
  return Object.fromEntries(
    [...EDITABLE, 'status'].map((f) => [f, (ticket as unknown as Record<string, unknown>)[f] ?? null]),
  );
}

@Injectable()
export class TicketsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly buildings: BuildingsService,
    private readonly premises: PremisesService,
    private readonly clients: ClientReads,
    private readonly employees: EmployeesService,
    private readonly categories: TicketCategoriesService,
    private readonly callers: TicketCallersService,
  ) {}

  /** The employee's specializations and everything below them; one statement when they have none. */
  /** What an employee with these specializations sees (their session carries them: StaffPrincipal). */
  async scopeFor(organizationId: string, specializationIds: readonly string[]): Promise<TicketScope> {
    if (!specializationIds.length) return { organizationId, categoryIds: null };
    return { organizationId, categoryIds: await this.categories.subtree(organizationId, specializationIds) };
  }

  async get(manager: EntityManager, scope: TicketScope, id: string, path?: string): Promise<TicketEntity> {
    requireOrganization(scope.organizationId);
    const ticket = isUuid(id)
      ? await manager.getRepository(TicketEntity).findOneBy({ organizationId: scope.organizationId, id })
      : null;
    // A ticket outside the employee's categories does not exist for them.
    if (!ticket || !canSeeTicket(scope, ticket)) throw new NotFoundException(TICKET, id, path);
    return ticket;
  }

  async getMany(scope: TicketScope, ids: readonly string[]): Promise<Map<string, TicketEntity>> {
    requireOrganization(scope.organizationId);
    const rows = await this.dataSource
      .getRepository(TicketEntity)
      .findBy({ organizationId: scope.organizationId, id: In(ids.filter(isUuid)) });
    return new Map(rows.filter((t) => canSeeTicket(scope, t)).map((t) => [t.id, t]));
  }

  /** Newest first. `contact`: whose tickets `filter.contactId` means, as the caller resolved it (ContactsService.byId). */
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
    const id = (value: string) => (isUuid(value) ? value : NIL);
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
      andWhereSql(query, contactPredicate('t', sql`${contact.clientId ?? NIL}`, sql`${contact.phones}`));
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

  async create(actor: Actor, scope: TicketScope, input: CreateTicketInput): Promise<TicketEntity> {
    return this.dataSource.transaction((tx) => this.createIn(tx, actor, scope, input));
  }

  /** create, in the caller's transaction. */
  async createIn(
    manager: EntityManager,
    actor: Actor,
    scope: TicketScope,
    input: CreateTicketInput,
  ): Promise<TicketEntity> {
    const organizationId = requireOrganization(actor.organizationId);
    const run = async (tx: EntityManager): Promise<TicketEntity> => {
      const premises = input.premisesId ? await this.premisesOf(tx, organizationId, input.premisesId) : null;
      const buildingId = premises?.buildingId ?? input.buildingId;
      if (!buildingId)
        throw BadInputException.field(
          'input.buildingId',
          'укажите дом или помещение',
          'give the building or the premises',
        );
      if (premises && input.buildingId && input.buildingId !== premises.buildingId) {
        throw BadInputException.field(
          'input.premisesId',
          'помещение находится в другом доме',
          'the premises is in another building',
        );
      }
      const building = await this.buildingOf(tx, organizationId, buildingId);
      await this.checkCategory(tx, scope, input.categoryId ?? null);
      await this.checkEmployees(organizationId, input);
      let client: ClientEntity | null = input.clientId
        ? await this.clients.get(tx, organizationId, input.clientId, 'input.clientId')
        : null;
      const phone = input.contactPhone ? normalizePhone(input.contactPhone) : (client?.phone ?? null);
      if (!client && phone) client = await this.clients.onlyCardWithPhone(tx, organizationId, phone);
      const [{ last_number: number }] = await runSql<{ last_number: number }>(
        tx,
        sql`INSERT INTO ticket_counter (organization_id, last_number) VALUES (${organizationId}, 1)
         ON CONFLICT (organization_id) DO UPDATE SET last_number = ticket_counter.last_number + 1 RETURNING last_number`,
      );
      const ticket = await tx.getRepository(TicketEntity).save({
        organizationId,
        number,
        buildingId: building.id,
        premisesId: premises?.id ?? null,
        placeId: premises?.id ?? building.id,
        entrance: input.entrance ?? premises?.entrance ?? null,
        floor: input.floor ?? premises?.floor ?? null,
        categoryId: input.categoryId ?? null,
        description: input.description.trim(),
        emergency: input.emergency ?? false,
        paid: input.paid ?? false,
        warranty: input.warranty ?? false,
        deadline: input.deadline ?? null,
        status: TicketStatus.NEW,
        source: input.source ?? undefined,
        clientId: client?.id ?? null,
        contactName: input.contactName?.replace(/\s+/g, ' ').trim() || (client ? fullName(client) : ''),
        contactPhone: phone,
        contactAddress: premises ? premisesName(building, premises) : displayAddress(building),
        assigneeId: input.assigneeId ?? null,
        executorId: input.executorId ?? null,
        closedAt: null,
      });
      if (phone) await this.callers.remember(tx, organizationId, phone, ticket.contactName);
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.TICKET,
          entityId: ticket.id,
          action: 'created',
          after: {
            number,
            ...snapshotOf(ticket),
            clientId: ticket.clientId,
            contactName: ticket.contactName,
            contactPhone: phone,
          },
        },
      ]);
      return ticket;
    };
    return run(manager);
  }

  async update(actor: Actor, scope: TicketScope, input: UpdateTicketInput): Promise<TicketEntity> {
    return this.dataSource.transaction(async (tx) => {
      const ticket = await this.lock(tx, scope, input.id);
      const before = snapshotOf(ticket);
      if (input.categoryId !== undefined) await this.checkCategory(tx, scope, input.categoryId);
      await this.checkEmployees(actor.organizationId, input);
      for (const field of EDITABLE) {
        const value = input[field];
        if (value === undefined) continue;
        if (
          value === null &&
          (field === 'description' || field === 'emergency' || field === 'paid' || field === 'warranty')
        )
          continue;
        (ticket as unknown as Record<string, unknown>)[field] = field === 'description' ? String(value).trim() : value;
      }
      const diff = changedFields(before, snapshotOf(ticket), EDITABLE);
      if (!diff) return ticket;
      const saved = await tx.getRepository(TicketEntity).save(ticket);
      await this.audit.record(tx, actor, [
        { entityType: AuditEntityType.TICKET, entityId: ticket.id, action: 'updated', ...diff },
      ]);
      return saved;
    });
  }

  async changeStatus(actor: Actor, scope: TicketScope, id: string, status: TicketStatus): Promise<TicketEntity> {
    return this.dataSource.transaction(async (tx) => {
      const ticket = await this.lock(tx, scope, id);
      assertTransition(ticket.status, status);
      const before = { status: ticket.status };
      ticket.status = status;
      ticket.closedAt = FINAL_STATUSES.includes(status) ? new Date() : null;
      const saved = await tx.getRepository(TicketEntity).save(ticket);
      await this.audit.record(tx, actor, [
        { entityType: AuditEntityType.TICKET, entityId: id, action: 'status_changed', before, after: { status } },
      ]);
      return saved;
    });
  }

  /** Every place a contact filed tickets at that the employee may see, most recent first; one statement for any number of contacts. */
  async placesOf(scope: TicketScope, contacts: readonly ContactKey[]): Promise<ContactPlace[][]> {
    requireOrganization(scope.organizationId);
    const rows = await preparedQuery<ContactPlace & { k: number }>(
      this.dataSource,
      sql`SELECT r.k, p.place_id AS "placeId", p.building_id AS "buildingId", p.premises_id AS "premisesId", p.last AS "lastNumber"
         FROM ${contactRows(contacts)} AS r(k, client_id, phones)
         CROSS JOIN LATERAL (${contactPlacesSql(scope, raw('r.client_id'), ROW_PHONES)}) p
        ORDER BY r.k, p.last DESC`,
    );
    const result: ContactPlace[][] = contacts.map(() => []);
    for (const { k, ...place } of rows) result[k].push(place);
    return result;
  }

  /**
   * Every place of each contact with the first `perPlace` tickets there, in one statement: what the
   * card shows without a second round trip for the pages.
   */
  async placesWithFirstPages(
    scope: TicketScope,
    contacts: readonly ContactKey[],
    perPlace: number,
  ): Promise<ContactPlaceWithPage[][]> {
    requireOrganization(scope.organizationId);
    const rows = await preparedQuery<
      Record<string, unknown> & {
        k: number;
        placeId: string;
        buildingId: string;
        premisesId: string | null;
        lastNumber: number;
      }
    >(
      this.dataSource,
      sql`SELECT r0.k, p.place_id AS "placeId", p.building_id AS "buildingId", p.premises_id AS "premisesId", p.last AS "lastNumber", ${this.ticketColumns('u', 'ticket_')}
         FROM ${contactRows(contacts)} AS r0(k, client_id, phones)
         CROSS JOIN LATERAL (${contactPlacesSql(scope, raw('r0.client_id'), raw("string_to_array(r0.phones, ',')"))}) p
         CROSS JOIN LATERAL (SELECT r0.client_id, r0.phones, p.place_id) r
         LEFT JOIN LATERAL (${placePageSql(scope, sql`${perPlace}`, NO_LATER_THAN_ANY)}) u ON true
        ORDER BY r0.k, p.last DESC, u.number DESC`,
    );
    const result: ContactPlaceWithPage[][] = contacts.map(() => []);
    for (const row of rows) {
      const places = result[row.k];
      let place = places[places.length - 1];
      if (place?.placeId !== row.placeId)
        places.push(
          (place = {
            placeId: row.placeId,
            buildingId: row.buildingId,
            premisesId: row.premisesId,
            lastNumber: row.lastNumber,
            firstPage: [],
          }),
        );
      if (row.ticket_id) place.firstPage.push(this.prefixed(row, 'ticket_'));
    }
    return result;
  }

  /**
   * placesWithFirstPages of one contact whose client id and phones are SQL (`clientId` may be NULL,
   * `phones` a text[]), as a JsonPart read with the card's head: the card of a client at home then
   * takes one round trip in all.
   */
  placesWithFirstPagesPart(
    scope: TicketScope,
    contact: { clientId: Sql; phones: Sql },
    perPlace: number,
  ): JsonPart<ContactPlaceWithPage> {
    if (!Number.isInteger(perPlace) || perPlace < 1)
      throw new Error(`perPlace must be a positive integer, got ${perPlace}`);
    const metadata = this.dataSource.getMetadata(TicketEntity);
    return {
      sql: sql`(SELECT coalesce(json_agg(json_build_object(
                'placeId', p.place_id, 'buildingId', p.building_id, 'premisesId', p.premises_id, 'lastNumber', p.last,
                'firstPage', (SELECT coalesce(json_agg(u ORDER BY u."number" DESC), '[]') FROM (SELECT ${raw(jsonColumns(metadata, 'b'))}
                  FROM (${placePageSql(scope, raw(String(perPlace)), NO_LATER_THAN_ANY, raw('r.phones'))}) b) u)
              ) ORDER BY p.last DESC), '[]')::text
         FROM (SELECT ${contact.clientId}::uuid AS client_id, coalesce(${contact.phones}, '{}')::text[] AS phones) c
        CROSS JOIN LATERAL (${contactPlacesSql(scope, raw('c.client_id'), raw('c.phones'))}) p
        CROSS JOIN LATERAL (SELECT c.client_id, c.phones, p.place_id) r)`,
      parse: (text) => {
        const places = JSON.parse(text) as (ContactPlace & { firstPage: Record<string, unknown>[] })[];
        return places.map((place) => ({
          ...place,
          firstPage: reviveJsonRows<TicketEntity>(metadata, place.firstPage),
        }));
      },
    };
  }

  /** Further pages of a contact's tickets at several places, in one statement. */
  async placePages(scope: TicketScope, requests: readonly PlacePageRequest[]): Promise<TicketEntity[][]> {
    requireOrganization(scope.organizationId);
    const rows = await runSql<TicketEntity & { k: number }>(
      this.dataSource,
      sql`SELECT r.k, ${this.ticketColumns('u')}
         FROM unnest(${requests.map((_, i) => i)}::int[], ${requests.map((r) => r.contact.clientId)}::uuid[], ${requests.map((r) => r.contact.phones.join(','))}::text[],
                     ${requests.map((r) => (isUuid(r.placeId) ? r.placeId : NIL))}::uuid[], ${requests.map((r) => r.first)}::int[], ${requests.map((r) => r.before)}::int[])
                AS r(k, client_id, phones, place_id, lim, before)
         CROSS JOIN LATERAL (${placePageSql(scope, raw('r.lim'), raw('coalesce(r.before, 2147483647)'))}) u
        ORDER BY r.k, u.number DESC`,
    );
    const result: TicketEntity[][] = requests.map(() => []);
    for (const { k, ...ticket } of rows) result[k].push(ticket as TicketEntity);
    return result;
  }

  private ticketPropertyNames: string[] | undefined;

  /** The ticket's columns of `alias` under their property names (with `prefix`), for raw SQL read back as entities. */
  private ticketColumns(alias: string, prefix = ''): Sql {
    return raw(
      this.dataSource
        .getMetadata(TicketEntity)
        .columns.map((c) => `${alias}.${c.databaseName} AS "${prefix}${c.propertyName}"`)
        .join(', '),
    );
  }

  /** A ticket read back from columns `ticketColumns` selected with `prefix` (the card reads a page per place this way). */
  private prefixed(row: Record<string, unknown>, prefix: string): TicketEntity {
    const ticket: Record<string, unknown> = {};
    for (const property of this.ticketProperties()) ticket[property] = row[prefix + property];
    return ticket as unknown as TicketEntity;
  }

  private ticketProperties(): string[] {
    return (this.ticketPropertyNames ??= this.dataSource.getMetadata(TicketEntity).columns.map((c) => c.propertyName));
  }

  /** How many of a contact's tickets each place holds (for `totalCount`), one statement. */
  async placeCounts(
    scope: TicketScope,
    requests: readonly { contact: ContactKey; placeId: string }[],
  ): Promise<number[]> {
    const rows = await runSql<{ k: number; n: string }>(
      this.dataSource,
      sql`SELECT r.k, (SELECT count(*) FROM ticket t WHERE t.organization_id = ${requireOrganization(scope.organizationId)} AND t.place_id = r.place_id
                     AND ${contactPredicate('t', raw('r.client_id'), ROW_PHONES)} ${visibleTicketsSql(scope, 't')}) AS n
         FROM unnest(${requests.map((_, i) => i)}::int[], ${requests.map((r) => r.contact.clientId)}::uuid[], ${requests.map((r) => r.contact.phones.join(','))}::text[],
                     ${requests.map((r) => (isUuid(r.placeId) ? r.placeId : NIL))}::uuid[]) AS r(k, client_id, phones, place_id)`,
    );
    const counts = requests.map(() => 0);
    for (const row of rows) counts[row.k] = Number(row.n);
    return counts;
  }

  /**
   * The contact was edited on the card: every earlier ticket of theirs takes the new name (one form
   * for all the variants given over the phone) and, when they now have a card, links to it — hidden
   * tickets too, since it is one truth about one person. The answer counts only the tickets `scope`
   * lets the editor see; each ticket's audit entry is shown by the same rule (the audit log).
   */
  async rewriteContact(
    tx: EntityManager,
    actor: Actor,
    scope: TicketScope,
    contact: ContactKey,
    name: string,
    clientId: string | null,
  ): Promise<number> {
    const { organizationId } = actor;
    const rows: { id: string; old_name: string; category_id: string | null }[] = await runSql(
      tx,
      sql`UPDATE ticket t SET contact_name = ${name}::text, client_id = coalesce(${clientId}::uuid, t.client_id), updated_at = now()
         FROM (SELECT id, contact_name FROM ticket WHERE organization_id = ${organizationId} AND ${contactPredicate('ticket', sql`${contact.clientId}::uuid`, sql`${contact.phones}::text[]`)} FOR UPDATE) o
        WHERE t.organization_id = ${organizationId} AND t.id = o.id AND (t.contact_name IS DISTINCT FROM ${name}::text OR (${clientId}::uuid IS NOT NULL AND t.client_id IS NULL))
        RETURNING t.id, o.contact_name AS old_name, t.category_id`,
    );
    await this.callers.rename(tx, actor.organizationId, contact.phones, name);
    await this.audit.record(
      tx,
      actor,
      rows.map((row) => ({
        entityType: AuditEntityType.TICKET,
        entityId: row.id,
        action: 'contact_updated',
        before: { contactName: row.old_name },
        after: { contactName: name, clientId },
      })),
    );
    return rows.filter((row) =>
      canSeeTicket(scope, { organizationId: actor.organizationId, categoryId: row.category_id }),
    ).length;
  }

  private async lock(tx: EntityManager, scope: TicketScope, id: string): Promise<TicketEntity> {
    const ticket = isUuid(id)
      ? await tx
          .getRepository(TicketEntity)
          .findOne({ where: { organizationId: scope.organizationId, id }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!ticket || !canSeeTicket(scope, ticket)) throw new NotFoundException(TICKET, id, 'input.id');
    return ticket;
  }

  private async checkCategory(tx: EntityManager, scope: TicketScope, categoryId: string | null): Promise<void> {
    if (!categoryId) return;
    await this.categories.get(tx, scope.organizationId, categoryId, 'input.categoryId');
    if (!canUseCategory(scope, categoryId)) {
      throw BadInputException.field(
        'input.categoryId',
        'эта категория не входит в ваши специализации',
        'the category is outside your specializations',
      );
    }
  }

  private async checkEmployees(
    organizationId: string,
    input: { assigneeId?: string | null; executorId?: string | null },
  ): Promise<void> {
    for (const field of ['assigneeId', 'executorId'] as const) {
      const id = input[field];
      if (!id) continue;
      const found = (await this.employees.getMany(organizationId, [id])).get(id);
      if (!found) throw new NotFoundException({ ru: 'Сотрудник', en: 'Employee' }, id, `input.${field}`);
    }
  }

  private async premisesOf(tx: EntityManager, organizationId: string, id: string): Promise<PremisesEntity> {
    return this.premises.get(tx, organizationId, id).catch((error: unknown) => {
      if (error instanceof NotFoundException)
        throw new NotFoundException({ ru: 'Помещение', en: 'Premises' }, id, 'input.premisesId');
      throw error;
    });
  }

  private async buildingOf(tx: EntityManager, organizationId: string, id: string): Promise<BuildingEntity> {
    return this.buildings.get(tx, organizationId, id).catch((error: unknown) => {
      if (error instanceof NotFoundException)
        throw new NotFoundException({ ru: 'Дом', en: 'Building' }, id, 'input.buildingId');
      throw error;
    });
  }
}
