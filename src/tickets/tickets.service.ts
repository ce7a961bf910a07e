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
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { normalizePhone } from '../common/validation/phone';
import { EmployeesService } from '../organizations/employees.service';
import { premisesName } from '../premises/premises-name';
import { PremisesEntity } from '../premises/premises.entity';
import { PremisesService } from '../premises/premises.service';
import { displayAddress } from '../buildings/address';
import { CreateTicketInput, UpdateTicketInput } from './dto/ticket.input';
import { TicketCallersService } from './ticket-callers.service';
import { TicketCategoriesService } from './ticket-categories.service';
import { FINAL_STATUSES, TicketStatus } from './ticket-enums';
import { ContactKey, contactPredicate } from './ticket-scope';
import { canSeeTicket, canUseCategory, TicketScope } from './ticket-visibility';
import { runSql, sql } from '../common/sql/sql';
import { assertTransition } from './ticket-status';
import { TicketEntity } from './ticket.entity';

export const TICKET = { ru: 'Заявка', en: 'Ticket' };

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

function snapshotOf(ticket: TicketEntity): Record<string, unknown> {
  return Object.fromEntries(
    [...EDITABLE, 'status'].map((f) => [f, (ticket as unknown as Record<string, unknown>)[f] ?? null]),
  );
}

/**
 * A ticket's life: filed (by hand or from the card), edited, moved through its statuses, its contact
 * rewritten from the card. The lists are TicketSearch, a contact's places TicketPlaceReads, the card's
 * parts TicketCardParts.
 */
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
