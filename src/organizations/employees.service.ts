import { normalizePhone } from '../common/validation/phone';
import { runSql, Sql, sql } from '../common/sql/sql';
import { CrmSpace } from '../kernel/crm-space';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hashPassword } from '../access/passwords';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { uniqueKeyTaken } from '../common/errors/database-errors';
import { PageArgs, ConnectionShape } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { StaffAccessCache } from '../access/staff-access-cache';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { TicketCategoryCheck } from '../kernel/ticket-category-check';
import { DomainEvents } from '../kernel/events';
import { EmployeeSpecializationEntity } from './employee-specialization.entity';
import { EmployeeEntity } from './employee.entity';
import { CreateEmployeeInput, UpdateEmployeeInput } from './dto/employee.input';
import { EmployeeRole } from '../kernel/role';
import { readEntitiesByKeys } from '../database/entity-reads';

const EMPLOYEE = { ru: 'Сотрудник', en: 'Employee' };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class EmployeesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accessCache: StaffAccessCache,
    private readonly ticketCategories: TicketCategoryCheck,
    private readonly events: DomainEvents,
  ) {}

  /** The one unscoped read: login knows only the e-mail. */
  async findByEmailForLogin(email: string): Promise<EmployeeEntity | null> {
    return this.dataSource.getRepository(EmployeeEntity).findOneBy({ email: normalizeEmail(email) });
  }

  async get(organizationId: string, id: string): Promise<EmployeeEntity> {
    requireOrganization(organizationId);
    const employee = isUuid(id)
      ? await this.dataSource.getRepository(EmployeeEntity).findOneBy({ organizationId, id })
      : null;
    if (!employee) throw new NotFoundException(EMPLOYEE, id);
    return employee;
  }

  async getMany(organizationId: string, ids: readonly string[]): Promise<Map<string, EmployeeEntity>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(this.dataSource, EmployeeEntity, organizationId, 'id', ids.filter(isUuid));
    return new Map(rows.map((e) => [e.id, e]));
  }

  async list(organizationId: string, page: PageArgs, withTotal: boolean): Promise<ConnectionShape<EmployeeEntity>> {
    requireOrganization(organizationId);
    return paginate(
      this.dataSource,
      { entity: EmployeeEntity, alias: 'e', where: [sql`e.organization_id = ${organizationId}`] },
      page,
      [
        { sql: 'e.full_name', kind: 'text', value: (e) => e.fullName },
        { sql: 'e.id', kind: 'uuid', value: (e) => e.id },
      ],
      withTotal,
    );
  }

  /** Active employees who receive registration requests (their e-mail gets each new one). */
  async registrationReceivers(manager: EntityManager, organizationId: string): Promise<EmployeeEntity[]> {
    requireOrganization(organizationId);
    return manager
      .getRepository(EmployeeEntity)
      .findBy({ organizationId, receivesRegistrationRequests: true, blocked: false });
  }

  /** Phone typeahead over staff (phones stored in E.164, as clients'): digits anywhere, or the number's beginning. */
  async findByPhonePart(
    organizationId: string,
    part: { contains: string; startsWith: string | null },
    limit: number,
  ): Promise<EmployeeEntity[]> {
    requireOrganization(organizationId);
    const digits = "ltrim(coalesce(e.phone, ''), '+')";
    return this.dataSource
      .getRepository(EmployeeEntity)
      .createQueryBuilder('e')
      .where('e.organization_id = :organizationId AND NOT e.blocked', { organizationId })
      .andWhere(`(${digits} LIKE :contains OR ${digits} LIKE :startsWith)`, {
        contains: `%${part.contains}%`,
        startsWith: part.startsWith ? `${part.startsWith}%` : '-',
      })
      .orderBy('e.full_name')
      .addOrderBy('e.id')
      .limit(limit)
      .getMany();
  }

  /**
   * What a staff session acts with, for the employee `employee` of the organization `organization`
   * (expressions of the caller's row): one row of role, blocked, crm_space, the organization's
   * personal_data_roles and the employee's specializations (category ids), or none when there is no such
   * employee. The session check joins it LATERAL to its session row, so a request costs one statement.
   */
  accessSql(organization: Sql, employee: Sql): Sql {
    return sql`SELECT e.role, e.blocked, e.crm_space, o.personal_data_roles,
              ARRAY(SELECT p.category_id FROM employee_specialization p WHERE p.organization_id = e.organization_id AND p.employee_id = e.id) AS specializations
         FROM employee e
         JOIN organization o ON o.id = e.organization_id
        WHERE e.organization_id = ${organization} AND e.id = ${employee}`;
  }

  /** The ids of the organization's active staff with this phone (E.164), as a row set, for the phone resolver. */
  idsByPhoneSql(organizationId: string, phone: string): Sql {
    return sql`SELECT e.id FROM employee e WHERE e.organization_id = ${organizationId} AND e.phone = ${phone}::text AND NOT e.blocked`;
  }

  /** The ticket categories each employee handles (ids), one statement for any number of employees; the categories themselves are the tickets module's. */
  async specializationIdsOf(organizationId: string, employeeIds: readonly string[]): Promise<Map<string, string[]>> {
    requireOrganization(organizationId);
    const rows = await runSql<{ employee_id: string; category_id: string }>(
      this.dataSource,
      sql`SELECT employee_id, category_id FROM employee_specialization WHERE organization_id = ${organizationId} AND employee_id = ANY(${employeeIds.filter(isUuid)}::uuid[])`,
    );
    const result = new Map<string, string[]>();
    for (const row of rows) result.set(row.employee_id, [...(result.get(row.employee_id) ?? []), row.category_id]);
    return result;
  }

  async create(organizationId: string, input: CreateEmployeeInput): Promise<EmployeeEntity> {
    return this.createIn(this.dataSource.manager, organizationId, input);
  }

  /** create, in the caller's transaction. */
  async createIn(manager: EntityManager, organizationId: string, input: CreateEmployeeInput): Promise<EmployeeEntity> {
    requireOrganization(organizationId);
    const email = normalizeEmail(input.email);
    return manager.transaction(async (tx) => {
      // E-mails are unique across organizations (login is by e-mail). The answer is the unique key's
      // own, which does not say whether the address is taken here or in another organization.
      const taken = await tx.getRepository(EmployeeEntity).existsBy({ email });
      if (taken) throw uniqueKeyTaken('uq_employee_email');
      const employee = await tx.getRepository(EmployeeEntity).save({
        organizationId,
        email,
        passwordHash: await hashPassword(input.password),
        fullName: input.fullName.trim(),
        phone: input.phone ? normalizePhone(input.phone) : null,
        role: input.role,
        receivesRegistrationRequests: input.receivesRegistrationRequests ?? false,
        crmSpace: input.crmSpace ?? CrmSpace.OPERATION,
        blocked: false,
      });
      if (input.specializationIds?.length)
        await this.replaceSpecializations(tx, organizationId, employee.id, input.specializationIds);
      return employee;
    });
  }

  async update(organizationId: string, actorId: string, input: UpdateEmployeeInput): Promise<EmployeeEntity> {
    requireOrganization(organizationId);
    const updated = await this.dataSource.transaction(async (tx) => {
      const repository = tx.getRepository(EmployeeEntity);
      const employee = isUuid(input.id)
        ? await repository.findOne({ where: { organizationId, id: input.id }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!employee) throw new NotFoundException(EMPLOYEE, input.id);
      const losesAdmin =
        employee.role === EmployeeRole.ADMIN &&
        ((input.role && input.role !== EmployeeRole.ADMIN) || input.blocked === true);
      if (losesAdmin) {
        if (employee.id === actorId) {
          throw new ConflictException({
            ru: 'Нельзя заблокировать себя или снять с себя роль администратора',
            en: 'You cannot block yourself or remove your own admin role',
          });
        }
        const otherAdmins = await repository.countBy({ organizationId, role: EmployeeRole.ADMIN, blocked: false });
        if (otherAdmins <= 1) {
          throw new ConflictException({
            ru: 'В организации должен остаться хотя бы один администратор',
            en: 'The organization must keep at least one admin',
          });
        }
      }
      if (input.fullName !== undefined) employee.fullName = input.fullName.trim();
      if (input.phone !== undefined) employee.phone = input.phone ? normalizePhone(input.phone) : null;
      if (input.role) employee.role = input.role;
      if (input.crmSpace) employee.crmSpace = input.crmSpace;
      if (input.receivesRegistrationRequests !== undefined && input.receivesRegistrationRequests !== null) {
        employee.receivesRegistrationRequests = input.receivesRegistrationRequests;
      }
      if (input.blocked !== undefined && input.blocked !== null) employee.blocked = input.blocked;
      if (input.password) employee.passwordHash = await hashPassword(input.password);
      await repository.save(employee);
      if (input.specializationIds)
        await this.replaceSpecializations(tx, organizationId, employee.id, input.specializationIds);
      if (input.blocked === true || input.password)
        await this.events.publish('EmployeeLockedOut', { tx, organizationId, employeeId: employee.id });
      return employee;
    });
    // The trigger's announcement reaches this process a moment later; the next request may come sooner.
    this.accessCache.forgetEmployee(updated.id);
    return updated;
  }

  private async replaceSpecializations(
    tx: EntityManager,
    organizationId: string,
    employeeId: string,
    categoryIds: string[],
  ): Promise<void> {
    const unique = [...new Set(categoryIds)];
    const missing = unique.length ? await this.ticketCategories.missing(tx, organizationId, unique) : [];
    if (missing.length)
      throw new NotFoundException(
        { ru: 'Категория заявок', en: 'Ticket category' },
        missing.join(', '),
        'input.specializationIds',
      );
    await tx.delete(EmployeeSpecializationEntity, { organizationId, employeeId });
    if (unique.length)
      await tx.insert(
        EmployeeSpecializationEntity,
        unique.map((categoryId) => ({ organizationId, employeeId, categoryId })),
      );
  }
}
