import { Injectable } from '@nestjs/common';
import { runSql, sql } from '../common/sql/sql';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AutoAttachPolicy } from './auto-attach-setting';
import { appLogger } from '../common/logging/json-logger';
import { EmployeesService } from './employees.service';
import { OrganizationEntity } from './organization.entity';
import { EmployeeRole } from '../kernel/role';
import { DomainEvents } from '../kernel/events';

export interface BootstrapOptions {
  adminEmail?: string;
  adminPassword?: string;
}

export interface BootstrapResult {
  organizationId: string;
  email: string;
  /** Set only when the password was generated and must be shown once. */
  generatedPassword?: string;
}

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly employees: EmployeesService,
    private readonly events: DomainEvents,
  ) {}

  async getMany(ids: readonly string[]): Promise<Map<string, OrganizationEntity>> {
    const rows = ids.length ? await this.dataSource.getRepository(OrganizationEntity).findBy({ id: In([...ids]) }) : [];
    return new Map(rows.map((o) => [o.id, o]));
  }

  async get(manager: EntityManager, id: string): Promise<OrganizationEntity> {
    return manager.getRepository(OrganizationEntity).findOneByOrFail({ id });
  }

  async updateSettings(
    id: string,
    settings: {
      selfRegistrationEnabled?: boolean | null;
      selfRegistrationRefusedClientTypes?: string[] | null;
      personalDataRoles?: string[] | null;
      autoAttachPolicy?: AutoAttachPolicy | null;
    },
  ): Promise<OrganizationEntity> {
    const organization = await this.get(this.dataSource.manager, id);
    if (settings.autoAttachPolicy) organization.autoAttachPolicy = settings.autoAttachPolicy;
    if (settings.selfRegistrationEnabled !== undefined && settings.selfRegistrationEnabled !== null)
      organization.selfRegistrationEnabled = settings.selfRegistrationEnabled;
    if (settings.selfRegistrationRefusedClientTypes)
      organization.selfRegistrationRefusedClientTypes = [...new Set(settings.selfRegistrationRefusedClientTypes)];
    // A trigger (migration PersonalDataRoles) announces the change: every process re-reads its sessions' access.
    if (settings.personalDataRoles) organization.personalDataRoles = [...new Set(settings.personalDataRoles)];
    return this.dataSource.getRepository(OrganizationEntity).save(organization);
  }

  async create(name: string): Promise<OrganizationEntity> {
    return this.dataSource.transaction((tx) => this.createIn(tx, name));
  }

  /** create, in the caller's transaction. */
  async createIn(tx: EntityManager, name: string): Promise<OrganizationEntity> {
    const organization = await tx.getRepository(OrganizationEntity).save({ name });
    // What other modules set up for a new organization (the default ticket classifier): src/wiring/event-subscribers.ts.
    await this.events.publish('OrganizationCreated', { tx, organizationId: organization.id });
    return organization;
  }

  /**
   * On the very first start (no organization at all) creates one with an admin, so a newcomer can
   * sign in. An advisory lock keeps two processes starting together from both doing it.
   */
  async bootstrapIfEmpty(options: BootstrapOptions): Promise<BootstrapResult | null> {
    return this.dataSource.transaction(async (tx) => {
      await runSql(tx, sql`SELECT pg_advisory_xact_lock(hashtext('domovoy:bootstrap'))`);
      if ((await tx.getRepository(OrganizationEntity).count()) > 0) return null;
      const organization = await this.createIn(tx, 'Моя управляющая компания');
      const email = options.adminEmail ?? 'admin@domovoy.local';
      const generatedPassword = options.adminPassword ? undefined : randomBytes(12).toString('base64url');
      await this.employees.createIn(tx, organization.id, {
        email,
        password: options.adminPassword ?? generatedPassword!,
        fullName: 'Администратор',
        role: EmployeeRole.ADMIN,
      });
      appLogger.info('Created the first organization and its admin', { organizationId: organization.id, email });
      return { organizationId: organization.id, email, generatedPassword };
    });
  }
}
