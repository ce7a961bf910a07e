import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ResidentPrincipal } from '../access/principal';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { ClientType } from '../clients/client-enums';
import { nameKey } from '../clients/client-names';
import { ClientReads } from '../clients/client-reads';
import { ForbiddenException } from '../common/errors/domain.exception';
import { isUniqueViolation } from '../common/errors/database-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Actor, AuditChannel } from '../kernel/actor';
import { CrmSpace } from '../kernel/crm-space';
import { NotificationChannel } from '../notifications/notification-enums';
import { NewNotification, NotificationsService } from '../notifications/notifications.service';
import { OccupancyRole, OccupancySource } from '../occupancy/occupancy-enums';
import { OccupancyService } from '../occupancy/occupancy.service';
import { EmployeeEntity } from '../organizations/employee.entity';
import { EmployeesService } from '../organizations/employees.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { premisesNumberKey } from '../premises/premises-number';
import { PremisesService } from '../premises/premises.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { autoAttachHold, HOLD_REASON_TEXT, RegistrationHoldReason } from './auto-attach-policy';
import { SubmitRegistrationInput } from './dto/registration.input';
import { RegistrationAction, RegistrationStatus } from './registration-enums';
import { Located, RegistrationLocator } from './registration-locator.service';
import { addRegistrationEvent, auditView, namePartsOf } from './registration-records';
import { RegistrationCards } from './registration-cards.service';
import { RegistrationRequestEntity } from './registration-request.entity';

const HOUR = 3600;

/** What one submit decided before its transaction: where the request goes, who acts, who hears of it. */
interface Submission {
  resident: ResidentPrincipal;
  input: SubmitRegistrationInput;
  located: Located;
  actor: Actor;
  dedupKey: string;
  receivers: EmployeeEntity[];
}

/** One open request per phone and premises (or, unidentified, per buildings at the address and number). */
function dedupKeyOf(located: Located, input: SubmitRegistrationInput): string {
  return located.premises
    ? `premises:${located.premises.id}`
    : `address:${located.buildings
        .map((b) => b.id)
        .sort()
        .join(',')}|${premisesNumberKey(input.premisesNumber)}`;
}

/** A resident's request from the app: located, attached at once when the policy lets it (auto-attach-policy.ts), else sent to staff. */
@Injectable()
export class RegistrationSubmission {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locator: RegistrationLocator,
    private readonly organizations: OrganizationsService,
    private readonly employees: EmployeesService,
    private readonly premises: PremisesService,
    private readonly clients: ClientReads,
    private readonly cards: RegistrationCards,
    private readonly occupancy: OccupancyService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly rateLimits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submit(resident: ResidentPrincipal, input: SubmitRegistrationInput): Promise<RegistrationRequestEntity> {
    await this.rateLimits.consume([
      {
        scope: 'registration:phone',
        subject: resident.phone,
        limit: this.config.residents.registrationsPerPhonePerHour,
        windowSeconds: HOUR,
        message: { ru: 'Слишком много заявок с этого номера', en: 'Too many registration requests from this phone' },
      },
    ]);
    const located = await this.locator.locate(input);
    const submission: Submission = {
      resident,
      input,
      located,
      receivers: await this.assertAccepted(located.organizationId, input.clientType),
      actor: {
        organizationId: located.organizationId,
        employeeId: null,
        channel: AuditChannel.APP,
        channelRef: resident.phone,
        space: CrmSpace.OPERATION,
      },
      dedupKey: dedupKeyOf(located, input),
    };
    const submit = () => this.dataSource.transaction((tx) => this.submitIn(tx, submission));
    let outcome: { request: RegistrationRequestEntity; notificationIds: string[] };
    try {
      outcome = await submit();
    } catch (error) {
      // The same request sent twice at once: the second finds the first's row.
      if (!isUniqueViolation(error, 'uq_registration_request_pending')) throw error;
      outcome = await submit();
    }
    await this.notifications.dispatch(outcome.notificationIds);
    return outcome.request;
  }

  /** The request written (or the open one found), attached at once when it may be, in one transaction. */
  private async submitIn(
    tx: EntityManager,
    { resident, input, located, actor, dedupKey, receivers }: Submission,
  ): Promise<{ request: RegistrationRequestEntity; notificationIds: string[] }> {
    const existing = await this.openRequest(tx, located.organizationId, resident.phone, dedupKey);
    if (existing) return { request: existing, notificationIds: [] as string[] };
    const request = tx.getRepository(RegistrationRequestEntity).create({
      organizationId: located.organizationId,
      phone: resident.phone,
      residentId: resident.residentId,
      fullName: input.fullName.trim().replace(/\s+/g, ' '),
      clientType: input.clientType,
      city: input.city?.trim() || null,
      street: input.street.trim(),
      house: input.house.trim(),
      block: input.block?.trim() || null,
      premisesNumber: input.premisesNumber.trim(),
      accountNumber: input.accountNumber?.trim() || null,
      role: input.role,
      dedupKey,
      buildingId: located.premises?.buildingId ?? (located.buildings.length === 1 ? located.buildings[0].id : null),
      premisesId: located.premises?.id ?? null,
      status: RegistrationStatus.PENDING,
    });
    request.holdReason = await this.holdReason(tx, located, request);
    if (located.premises && !request.holdReason) await this.attachAtOnce(tx, actor, request, located.premises.id);
    const saved = await tx.getRepository(RegistrationRequestEntity).save(request);
    await addRegistrationEvent(
      tx,
      saved,
      saved.status === RegistrationStatus.AUTO_ATTACHED
        ? RegistrationAction.AUTO_ATTACHED
        : RegistrationAction.SUBMITTED,
      null,
      null,
    );
    await this.audit.record(tx, actor, [
      {
        entityType: AuditEntityType.REGISTRATION_REQUEST,
        entityId: saved.id,
        action: 'submitted',
        after: auditView(saved),
      },
    ]);
    const notificationIds =
      saved.status === RegistrationStatus.PENDING ? await this.notifyReceivers(tx, saved, receivers) : [];
    return { request: saved, notificationIds };
  }

  /** Identified, and the organization's policy lets it: access at once, as the owner (the article's rule). */
  private async attachAtOnce(
    tx: EntityManager,
    actor: Actor,
    request: RegistrationRequestEntity,
    premisesId: string,
  ): Promise<void> {
    const client = await this.cards.cardFor(tx, actor, request, {});
    await this.occupancy.attachIn(
      tx,
      actor,
      { clientId: client.id, premisesId, role: OccupancyRole.OWNER, keepOnSync: true },
      OccupancySource.REGISTRATION,
    );
    Object.assign(request, {
      status: RegistrationStatus.AUTO_ATTACHED,
      role: OccupancyRole.OWNER,
      clientId: client.id,
      handledAt: new Date(),
    });
  }

  /**
   * Why the request must wait for staff (auto-attach-policy.ts), or null to attach it at once. The
   * premises stay locked to the end of the transaction: of two strangers asking at once, one is the owner.
   */
  private async holdReason(
    tx: EntityManager,
    located: Located,
    request: RegistrationRequestEntity,
  ): Promise<RegistrationHoldReason | null> {
    const organization = await this.organizations.get(tx, located.organizationId);
    const loginOwner = await this.clients.findByPhone(tx, located.organizationId, request.phone);
    if (located.premises) await this.premises.lock(tx, located.organizationId, located.premises.id);
    const occupants = located.premises
      ? await this.occupancy.ofPremisesIn(tx, located.organizationId, [located.premises.id])
      : [];
    return autoAttachHold({
      policy: organization.autoAttachPolicy,
      premisesFound: !!located.premises,
      accountConfirmed: located.accountConfirmed,
      premisesHasOwner: occupants.some((o) => o.role === OccupancyRole.OWNER),
      phoneOfAnotherClient:
        !!loginOwner &&
        loginOwner.nameKey !==
          nameKey({ type: request.clientType, ...namePartsOf(request.fullName, request.clientType) }),
    });
  }

  /** Refuses clearly when the organization takes no requests from the app; answers who receives them. */
  private async assertAccepted(organizationId: string, clientType: ClientType): Promise<EmployeeEntity[]> {
    const organization = await this.organizations.get(this.dataSource.manager, organizationId);
    const office = `Обратитесь в офис управляющей компании «${organization.name}»`;
    if (!organization.selfRegistrationEnabled) {
      throw new ForbiddenException({
        ru: `Регистрация через приложение отключена. ${office}`,
        en: `${organization.name} does not accept registration from the app`,
      });
    }
    if (organization.selfRegistrationRefusedClientTypes.includes(clientType)) {
      throw new ForbiddenException({
        ru: `Для этого типа клиента регистрация через приложение недоступна. ${office}`,
        en: `${organization.name} does not accept app registration for client type ${clientType}`,
      });
    }
    const receivers = await this.employees.registrationReceivers(this.dataSource.manager, organizationId);
    if (receivers.length === 0) {
      throw new ForbiddenException({
        ru: `Управляющая компания пока не принимает заявки на регистрацию. ${office}`,
        en: `${organization.name} has nobody receiving registration requests yet`,
      });
    }
    return receivers;
  }

  /** A request still open — or already granted and still attached — for this phone and premises. */
  private async openRequest(
    tx: EntityManager,
    organizationId: string,
    phone: string,
    dedupKey: string,
  ): Promise<RegistrationRequestEntity | null> {
    const rows = await tx.getRepository(RegistrationRequestEntity).find({
      where: {
        organizationId,
        phone,
        dedupKey,
        status: In([RegistrationStatus.PENDING, RegistrationStatus.AUTO_ATTACHED, RegistrationStatus.APPROVED]),
      },
      order: { createdAt: 'DESC' },
      take: 1,
    });
    const latest = rows[0];
    if (!latest || latest.status === RegistrationStatus.PENDING) return latest ?? null;
    const attached = await this.occupancy.ofClients(organizationId, [latest.clientId!]);
    return (attached.get(latest.clientId!) ?? []).some((o) => o.premisesId === latest.premisesId) ? latest : null;
  }

  /** One e-mail per receiving employee, keyed so that a retried transaction never sends twice. */
  private async notifyReceivers(
    tx: EntityManager,
    request: RegistrationRequestEntity,
    receivers: EmployeeEntity[],
  ): Promise<string[]> {
    const address = [request.city, request.street, request.house, request.block].filter(Boolean).join(', ');
    const messages: NewNotification[] = receivers.map((employee) => ({
      organizationId: request.organizationId,
      channel: NotificationChannel.EMAIL,
      recipient: employee.email,
      subject: `Новая заявка на регистрацию: ${request.fullName}`,
      body:
        `${request.fullName} (${request.phone}) просит доступ к помещению ${request.premisesNumber} по адресу ${address}` +
        `${request.accountNumber ? `, лицевой счёт ${request.accountNumber}` : ''}.\n` +
        `${request.holdReason ? `Не прикреплена автоматически: ${HOLD_REASON_TEXT[request.holdReason].ru}.\n` : ''}` +
        'Заявка ждёт решения в разделе «Клиенты» → «Ожидают регистрации».',
      dedupKey: `registration:${request.id}:to:${employee.id}`,
    }));
    return this.notifications.write(tx, messages);
  }
}
