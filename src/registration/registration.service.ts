import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccountReads } from '../accounts/account-reads';
import { AccountStatus } from '../accounts/account-status';
import { Actor, AuditChannel } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { ResidentPrincipal, StaffPrincipal, crmActor } from '../access/principal';
import { BuildingEntity } from '../buildings/building.entity';
import { displayAddress } from '../buildings/address';
import { BuildingsService } from '../buildings/buildings.service';
import { ClientEntity } from '../clients/client.entity';
import { ClientType, isOrganizationType } from '../clients/client-enums';
import { ClientsService } from '../clients/clients.service';
import { ClientReads } from '../clients/client-reads';
import { nameKey } from '../clients/client-names';
import {
  BadInputException,
  ConflictException,
  DomainException,
  ForbiddenException,
  NotFoundException,
} from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { isUniqueViolation } from '../common/errors/database-errors';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { requireOrganization } from '../common/tenancy/require-organization';
import { CrmSpace } from '../kernel/crm-space';
import { NotificationChannel } from '../notifications/notification-enums';
import { NewNotification, NotificationsService } from '../notifications/notifications.service';
import { OccupancyRole, OccupancySource } from '../occupancy/occupancy-enums';
import { OccupancyService } from '../occupancy/occupancy.service';
import { EmployeeEntity } from '../organizations/employee.entity';
import { EmployeesService } from '../organizations/employees.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { PremisesEntity } from '../premises/premises.entity';
import { premisesNumberKey } from '../premises/premises-number';
import { PremisesService } from '../premises/premises.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { ApproveRegistrationInput, SubmitRegistrationInput } from './dto/registration.input';
import { ResidentPremisesType } from './dto/registration.type';
import { RegistrationEventEntity } from './registration-event.entity';
import { RegistrationRequestEntity } from './registration-request.entity';
import { RegistrationAction, RegistrationStatus } from './registration-enums';
import { autoAttachHold, HOLD_REASON_TEXT, RegistrationHoldReason } from './auto-attach-policy';

export const REGISTRATION_REQUEST = { ru: 'Заявка на регистрацию', en: 'Registration request' };
const HOUR = 3600;

/** Public names compare without case, quotes and extra spaces: «УК "Север"» and ук «север» are one choice. */
function publicNameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[«»"'“”„]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Located {
  organizationId: string;
  buildings: BuildingEntity[];
  premises: PremisesEntity | null;
  /** The typed account number is an open account of `premises`. */
  accountConfirmed: boolean;
}

/** Self-registration from the resident app: submit, auto-attach, and the staff's approve/reject/comment. */
@Injectable()
export class RegistrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly employees: EmployeesService,
    private readonly buildings: BuildingsService,
    private readonly premises: PremisesService,
    private readonly accounts: AccountReads,
    private readonly clients: ClientsService,
    private readonly clientReads: ClientReads,
    private readonly occupancy: OccupancyService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly rateLimits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- resident side ----

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
    const located = await this.locate(input);
    const receivers = await this.assertAccepted(located.organizationId, input.clientType);
    const actor: Actor = {
      organizationId: located.organizationId,
      employeeId: null,
      channel: AuditChannel.APP,
      channelRef: resident.phone,
      space: CrmSpace.OPERATION,
    };
    const dedupKey = located.premises
      ? `premises:${located.premises.id}`
      : `address:${located.buildings
          .map((b) => b.id)
          .sort()
          .join(',')}|${premisesNumberKey(input.premisesNumber)}`;
    const submit = () =>
      this.dataSource.transaction(async (tx) => {
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
        if (located.premises && !request.holdReason) {
          // Identified, and the organization's policy lets it: access at once, as the owner (the article's rule).
          const client = await this.clientFor(tx, actor, request, {});
          await this.occupancy.attachIn(
            tx,
            actor,
            { clientId: client.id, premisesId: located.premises.id, role: OccupancyRole.OWNER, keepOnSync: true },
            OccupancySource.REGISTRATION,
          );
          Object.assign(request, {
            status: RegistrationStatus.AUTO_ATTACHED,
            role: OccupancyRole.OWNER,
            clientId: client.id,
            handledAt: new Date(),
          });
        }
        const saved = await tx.getRepository(RegistrationRequestEntity).save(request);
        await this.addEvent(
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
      });
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

  async requestsOfResident(resident: ResidentPrincipal): Promise<RegistrationRequestEntity[]> {
    return this.dataSource
      .getRepository(RegistrationRequestEntity)
      .find({ where: { phone: resident.phone }, order: { createdAt: 'DESC' }, take: 100 });
  }

  /** The premises of every organization where a card with the resident's phone is attached. */
  async premisesOfResident(resident: ResidentPrincipal): Promise<ResidentPremisesType[]> {
    const cards = await this.clientReads.findInAllOrganizationsByLoginPhone(resident.phone);
    const byOrganization = new Map<string, ClientEntity[]>();
    for (const card of cards)
      byOrganization.set(card.organizationId, [...(byOrganization.get(card.organizationId) ?? []), card]);
    const organizations = await this.organizations.getMany([...byOrganization.keys()]);
    const result: ResidentPremisesType[] = [];
    for (const [organizationId, orgCards] of byOrganization) {
      const occupancies = [
        ...(
          await this.occupancy.ofClients(
            organizationId,
            orgCards.map((c) => c.id),
          )
        ).values(),
      ].flat();
      const premisesIds = [...new Set(occupancies.map((o) => o.premisesId))];
      const premises = await this.premises.getMany(organizationId, premisesIds);
      const buildings = await this.buildings.getMany(organizationId, [
        ...new Set([...premises.values()].map((p) => p.buildingId)),
      ]);
      const accounts = await this.accounts.ofPremises(organizationId, premisesIds);
      for (const occupancy of occupancies) {
        const place = premises.get(occupancy.premisesId);
        const building = place && buildings.get(place.buildingId);
        if (!place || !building) continue;
        result.push({
          premisesId: place.id,
          organizationId,
          organizationName: organizations.get(organizationId)?.name ?? '',
          address: displayAddress(building),
          premisesType: place.type,
          premisesNumber: place.number,
          role: occupancy.role,
          accounts: (accounts.get(place.id) ?? [])
            .filter((a) => !a.hiddenFromResident)
            .map((a) => ({
              number: a.number,
              paymentsEnabled: a.paymentsEnabled,
              active: a.status === AccountStatus.ACTIVE,
            })),
        });
      }
    }
    return result.sort(
      (a, b) =>
        a.address.localeCompare(b.address, 'ru') ||
        a.premisesNumber.localeCompare(b.premisesNumber, 'ru', { numeric: true }),
    );
  }

  // ---- staff side ----

  async get(manager: EntityManager, organizationId: string, id: string): Promise<RegistrationRequestEntity> {
    requireOrganization(organizationId);
    if (!isUuid(id)) throw new NotFoundException(REGISTRATION_REQUEST, id, 'input.id');
    const row = await manager.getRepository(RegistrationRequestEntity).findOneBy({ organizationId, id });
    if (!row) throw new NotFoundException(REGISTRATION_REQUEST, id, 'input.id');
    return row;
  }

  /** «Ожидают регистрации» and the other statuses, oldest first. */
  async list(
    organizationId: string,
    status: RegistrationStatus | null | undefined,
    page: PageArgs,
    withTotal: boolean,
  ): Promise<ConnectionShape<RegistrationRequestEntity>> {
    requireOrganization(organizationId);
    const query = this.dataSource
      .getRepository(RegistrationRequestEntity)
      .createQueryBuilder('r')
      .where('r.organization_id = :organizationId', { organizationId });
    if (status) query.andWhere('r.status = :status', { status });
    return paginate(
      query,
      page,
      [
        { sql: 'r.created_at', kind: 'timestamp', value: (r) => r.createdAt.toISOString() },
        { sql: 'r.id', kind: 'uuid', value: (r) => r.id },
      ],
      withTotal,
    );
  }

  async approve(me: StaffPrincipal, input: ApproveRegistrationInput): Promise<RegistrationRequestEntity> {
    const actor = crmActor(me);
    const { request, notificationIds } = await this.dataSource.transaction(async (tx) => {
      const request = await this.claim(tx, me, input.id);
      const premisesId = input.premisesId ?? request.premisesId;
      if (!premisesId) {
        throw BadInputException.field(
          'input.premisesId',
          'выберите помещение: по адресу из заявки оно не определилось',
          'choose the premises: the request’s address did not identify them',
        );
      }
      const premises = await this.premises.get(tx, me.organizationId, premisesId).catch((error: unknown) => {
        if (error instanceof NotFoundException)
          throw new NotFoundException({ ru: 'Помещение', en: 'Premises' }, premisesId, 'input.premisesId');
        throw error;
      });
      const client = await this.clientFor(tx, actor, request, input);
      await this.occupancy.attachIn(
        tx,
        actor,
        { clientId: client.id, premisesId: premises.id, role: input.role, keepOnSync: input.keepOnSync },
        OccupancySource.REGISTRATION,
      );
      const before = auditView(request);
      Object.assign(request, {
        status: RegistrationStatus.APPROVED,
        holdReason: null,
        premisesId: premises.id,
        buildingId: premises.buildingId,
        clientId: client.id,
        role: input.role,
      });
      const saved = await tx.getRepository(RegistrationRequestEntity).save(request);
      await this.addEvent(tx, saved, RegistrationAction.APPROVED, me.employeeId, null);
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.REGISTRATION_REQUEST,
          entityId: saved.id,
          action: 'approved',
          before,
          after: auditView(saved),
        },
      ]);
      const ids = await this.notifications.write(tx, [
        this.pushToResident(
          saved,
          'Регистрация одобрена',
          'Заявка на регистрацию одобрена: помещение доступно в приложении',
        ),
      ]);
      return { request: saved, notificationIds: ids };
    });
    await this.notifications.dispatch(notificationIds);
    return request;
  }

  async reject(me: StaffPrincipal, id: string, reason: string): Promise<RegistrationRequestEntity> {
    const { request, notificationIds } = await this.dataSource.transaction(async (tx) => {
      const request = await this.claim(tx, me, id);
      const before = auditView(request);
      Object.assign(request, { status: RegistrationStatus.REJECTED, holdReason: null, rejectionReason: reason.trim() });
      const saved = await tx.getRepository(RegistrationRequestEntity).save(request);
      await this.addEvent(tx, saved, RegistrationAction.REJECTED, me.employeeId, saved.rejectionReason);
      await this.audit.record(tx, crmActor(me), [
        {
          entityType: AuditEntityType.REGISTRATION_REQUEST,
          entityId: saved.id,
          action: 'rejected',
          before,
          after: auditView(saved),
        },
      ]);
      const ids = await this.notifications.write(tx, [
        this.pushToResident(
          saved,
          'Заявка на регистрацию отклонена',
          `Заявка на регистрацию отклонена: ${saved.rejectionReason}`,
        ),
      ]);
      return { request: saved, notificationIds: ids };
    });
    await this.notifications.dispatch(notificationIds);
    return request;
  }

  async comment(me: StaffPrincipal, id: string, comment: string): Promise<RegistrationRequestEntity> {
    return this.dataSource.transaction(async (tx) => {
      const request = await this.get(tx, me.organizationId, id);
      await this.addEvent(tx, request, RegistrationAction.COMMENTED, me.employeeId, comment.trim());
      await this.audit.record(tx, crmActor(me), [
        {
          entityType: AuditEntityType.REGISTRATION_REQUEST,
          entityId: request.id,
          action: 'commented',
          after: { comment: comment.trim() },
        },
      ]);
      return request;
    });
  }

  /** Batch for RegistrationRequest.history. */
  async eventsOf(
    organizationId: string,
    requestIds: readonly string[],
  ): Promise<Map<string, RegistrationEventEntity[]>> {
    requireOrganization(organizationId);
    const rows = requestIds.length
      ? await this.dataSource
          .getRepository(RegistrationEventEntity)
          .find({ where: { organizationId, requestId: In([...requestIds]) }, order: { id: 'ASC' } })
      : [];
    const result = new Map<string, RegistrationEventEntity[]>();
    for (const row of rows) result.set(row.requestId, [...(result.get(row.requestId) ?? []), row]);
    return result;
  }

  // ---- internals ----

  /**
   * Finds the organization serving the address and, when it can, the premises: by an account number
   * consistent with the address, else by a premises number unique in the building. Where several
   * organizations have a building at the address, the one whose registry holds these premises is
   * meant — so another organization creating a building at this address neither blocks nor diverts
   * the request; if that leaves a choice, the resident picks an organization by its public name
   * (`organizationName`; no organization's id is ever shown) and only that one gets the request.
   */
  private async locate(input: SubmitRegistrationInput): Promise<Located> {
    let candidates = await this.buildings.findByStreetAndHouse(this.dataSource.manager, input);
    const names = await this.organizations.getMany([...new Set(candidates.map((b) => b.organizationId))]);
    if (input.organizationId) candidates = candidates.filter((b) => b.organizationId === input.organizationId);
    const chosen = input.organizationName ? publicNameKey(input.organizationName) : null;
    if (chosen)
      candidates = candidates.filter((b) => publicNameKey(names.get(b.organizationId)?.name ?? '') === chosen);
    if (candidates.length === 0) {
      throw BadInputException.field(
        chosen ? 'input.organizationName' : 'input.house',
        chosen
          ? 'эта организация не обслуживает дом по этому адресу: выберите одну из предложенных'
          : 'дом по этому адресу не обслуживается управляющими компаниями Домового: проверьте улицу и номер дома',
        chosen
          ? 'that organization does not serve a building at this address: choose one of those offered'
          : 'no organization in Domovoy serves a building at this address: check the street and house number',
      );
    }
    const located: Located[] = [];
    for (const organizationId of new Set(candidates.map((b) => b.organizationId))) {
      const buildings = candidates.filter((b) => b.organizationId === organizationId);
      located.push({ organizationId, buildings, ...(await this.identify(organizationId, buildings, input)) });
    }
    if (located.length === 1) return located[0];
    const identified = located.filter((l) => l.premises);
    if (identified.length === 1) return identified[0];
    const choices = [...new Set(located.map((l) => names.get(l.organizationId)?.name ?? ''))].sort();
    throw new DomainException(
      ErrorCode.BAD_USER_INPUT,
      {
        ru: `Этот адрес обслуживают несколько управляющих компаний: ${choices.map((name) => `«${name}»`).join(', ')}. Выберите свою.`,
        en: `Several management companies serve this address: ${choices.join(', ')}; choose yours in organizationName`,
      },
      [
        {
          path: 'input.organizationName',
          message: 'выберите свою управляющую компанию',
          messageEn: 'choose your management company',
        },
      ],
      { choices },
    );
  }

  private async identify(
    organizationId: string,
    buildings: BuildingEntity[],
    input: SubmitRegistrationInput,
  ): Promise<Pick<Located, 'premises' | 'accountConfirmed'>> {
    const manager = this.dataSource.manager;
    const buildingIds = buildings.map((b) => b.id);
    const account = input.accountNumber?.trim()
      ? await this.accounts.findByNumber(manager, organizationId, input.accountNumber)
      : null;
    if (account) {
      const premises = await this.premises.get(manager, organizationId, account.premisesId);
      // An account of another house, or of another flat than the one typed, identifies nothing.
      if (buildingIds.includes(premises.buildingId) && premises.numberKey === premisesNumberKey(input.premisesNumber)) {
        return { premises, accountConfirmed: account.status === AccountStatus.ACTIVE };
      }
    }
    const matches = await this.premises.findByNumberInBuildings(
      manager,
      organizationId,
      buildingIds,
      input.premisesNumber,
    );
    return { premises: matches.length === 1 ? matches[0] : null, accountConfirmed: false };
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
    const loginOwner = await this.clientReads.findByPhone(tx, located.organizationId, request.phone);
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

  /**
   * The card of the person in the request, by the identity rule (ClientsService.create): the same full
   * name with the phone the SMS code proved, else a new card — whose login that phone becomes unless
   * another card signs in with it. The staff's corrections are written over a matched card.
   */
  private async clientFor(
    tx: EntityManager,
    actor: Actor,
    request: RegistrationRequestEntity,
    fields: Partial<ApproveRegistrationInput>,
  ): Promise<ClientEntity> {
    const type = fields.type ?? request.clientType;
    const names = namePartsOf(request.fullName, type);
    const corrections = withoutEmpty(clientFields(fields));
    const { client, merged } = await this.clients.createIn(tx, actor, {
      ...names,
      ...corrections,
      type,
      phone: request.phone,
    });
    if (merged && Object.keys(corrections).length) await this.clients.applyFields(tx, actor, client, corrections);
    return client;
  }

  /** Locks the request and makes sure nobody handled it: of two employees acting at once, one wins. */
  private async claim(tx: EntityManager, me: StaffPrincipal, id: string): Promise<RegistrationRequestEntity> {
    requireOrganization(me.organizationId);
    if (!isUuid(id)) throw new NotFoundException(REGISTRATION_REQUEST, id, 'input.id');
    const request = await tx
      .getRepository(RegistrationRequestEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.organization_id = :organizationId AND r.id = :id', { organizationId: me.organizationId, id })
      .getOne();
    if (!request) throw new NotFoundException(REGISTRATION_REQUEST, id, 'input.id');
    if (request.status !== RegistrationStatus.PENDING) {
      const who = request.handledBy
        ? await this.employees.get(me.organizationId, request.handledBy).catch(() => null)
        : null;
      throw new ConflictException({
        ru: `Заявка уже обработана${who ? ` (${who.fullName})` : ''}: статус ${request.status}`,
        en: `The request was already handled${who ? ` by ${who.fullName}` : ''}: status ${request.status}`,
      });
    }
    request.handledBy = me.employeeId;
    request.handledAt = new Date();
    return request;
  }

  private async addEvent(
    tx: EntityManager,
    request: RegistrationRequestEntity,
    action: RegistrationAction,
    employeeId: string | null,
    comment: string | null,
  ): Promise<void> {
    await tx
      .getRepository(RegistrationEventEntity)
      .insert({ organizationId: request.organizationId, requestId: request.id, action, employeeId, comment });
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

  private pushToResident(request: RegistrationRequestEntity, title: string, body: string): NewNotification {
    return {
      organizationId: request.organizationId,
      channel: NotificationChannel.PUSH,
      recipient: request.phone,
      subject: title,
      body,
      dedupKey: `registration:${request.id}:${request.status}`,
    };
  }
}

/** The request's full name as a card's name parts. */
function namePartsOf(
  fullName: string,
  type: ClientType,
): { organizationName: string } | ReturnType<typeof splitFullName> {
  return isOrganizationType(type) ? { organizationName: fullName } : splitFullName(fullName);
}

function splitFullName(full: string): { lastName: string; firstName: string | null; middleName: string | null } {
  const [lastName, firstName, ...rest] = full.trim().split(/\s+/);
  return { lastName, firstName: firstName ?? null, middleName: rest.length ? rest.join(' ') : null };
}

const CLIENT_FIELD_EXCLUDED = new Set(['id', 'role', 'premisesId', 'keepOnSync', 'type']);

function clientFields(input: Partial<ApproveRegistrationInput>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !CLIENT_FIELD_EXCLUDED.has(key)));
}

function withoutEmpty(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  );
}

function auditView(request: RegistrationRequestEntity): Record<string, unknown> {
  return {
    status: request.status,
    premisesId: request.premisesId,
    clientId: request.clientId,
    role: request.role,
    rejectionReason: request.rejectionReason,
  };
}
