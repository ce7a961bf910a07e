import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccountStatus } from '../accounts/account-status';
import { AccountReads } from '../accounts/account-reads';
import { ResidentPrincipal } from '../access/principal';
import { displayAddress } from '../buildings/address';
import { BuildingsService } from '../buildings/buildings.service';
import { ClientEntity } from '../clients/client.entity';
import { ClientReads } from '../clients/client-reads';
import { NotFoundException } from '../common/errors/domain.exception';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { OccupancyService } from '../occupancy/occupancy.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { PremisesReads } from '../premises/premises-reads.service';
import { ResidentPremisesType } from './dto/registration.type';
import { RegistrationStatus } from './registration-enums';
import { RegistrationEventEntity } from './registration-event.entity';
import { REGISTRATION_REQUEST } from './registration-records';
import { RegistrationRequestEntity } from './registration-request.entity';

/** The reads of registration: the staff's inbox and a request's history, a resident's requests and premises. */
@Injectable()
export class RegistrationQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly buildings: BuildingsService,
    private readonly premisesReads: PremisesReads,
    private readonly accounts: AccountReads,
    private readonly clients: ClientReads,
    private readonly occupancy: OccupancyService,
  ) {}

  async requestsOfResident(resident: ResidentPrincipal): Promise<RegistrationRequestEntity[]> {
    return this.dataSource
      .getRepository(RegistrationRequestEntity)
      .find({ where: { phone: resident.phone }, order: { createdAt: 'DESC' }, take: 100 });
  }

  /** The premises of every organization where a card with the resident's phone is attached. */
  async premisesOfResident(resident: ResidentPrincipal): Promise<ResidentPremisesType[]> {
    const cards = await this.clients.findInAllOrganizationsByLoginPhone(resident.phone);
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
      const premises = await this.premisesReads.getMany(organizationId, premisesIds);
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
    const where = [sql`r.organization_id = ${organizationId}`];
    if (status) where.push(sql`r.status = ${status}`);
    return paginate(
      this.dataSource,
      { entity: RegistrationRequestEntity, alias: 'r', where },
      page,
      [
        { sql: 'r.created_at', kind: 'timestamp', value: (r) => r.createdAt.toISOString() },
        { sql: 'r.id', kind: 'uuid', value: (r) => r.id },
      ],
      withTotal,
    );
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
}
