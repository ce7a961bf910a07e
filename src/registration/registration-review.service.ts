import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { crmActor, StaffPrincipal } from '../access/principal';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { BadInputException, ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { NotificationChannel } from '../notifications/notification-enums';
import { NewNotification, NotificationsService } from '../notifications/notifications.service';
import { OccupancySource } from '../occupancy/occupancy-enums';
import { OccupancyService } from '../occupancy/occupancy.service';
import { EmployeesService } from '../organizations/employees.service';
import { PremisesService } from '../premises/premises.service';
import { ApproveRegistrationInput } from './dto/registration.input';
import { RegistrationAction, RegistrationStatus } from './registration-enums';
import { RegistrationQueries } from './registration-queries.service';
import { addRegistrationEvent, auditView, REGISTRATION_REQUEST } from './registration-records';
import { RegistrationCards } from './registration-cards.service';
import { RegistrationRequestEntity } from './registration-request.entity';

/** The staff's decisions on a request: approve (attach), reject, comment; one employee decides each request. */
@Injectable()
export class RegistrationReview {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: RegistrationQueries,
    private readonly employees: EmployeesService,
    private readonly premises: PremisesService,
    private readonly cards: RegistrationCards,
    private readonly occupancy: OccupancyService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

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
      const client = await this.cards.cardFor(tx, actor, request, input);
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
      await addRegistrationEvent(tx, saved, RegistrationAction.APPROVED, me.employeeId, null);
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
      await addRegistrationEvent(tx, saved, RegistrationAction.REJECTED, me.employeeId, saved.rejectionReason);
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
      const request = await this.queries.get(tx, me.organizationId, id);
      await addRegistrationEvent(tx, request, RegistrationAction.COMMENTED, me.employeeId, comment.trim());
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
