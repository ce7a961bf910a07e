import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { BuildingEntity } from '../buildings/building.entity';
import { BuildingsService, BUILDING } from '../buildings/buildings.service';
import { NotFoundException } from '../common/errors/domain.exception';
import { EmployeeEntity } from '../organizations/employee.entity';
import { EmployeesService } from '../organizations/employees.service';
import { OrganizationEntity } from '../organizations/organization.entity';
import { OrganizationsService } from '../organizations/organizations.service';
import { TicketCategoryEntity } from '../tickets/ticket-category.entity';

/** Keyed batch → one SQL statement per batch, results in key order (a missing row is NOT_FOUND for that key only). */
function byId<T>(fetch: (ids: readonly string[]) => Promise<Map<string, T>>, missing: (id: string) => Error): DataLoader<string, T> {
  return new DataLoader<string, T>(async (ids) => {
    const rows = await fetch(ids);
    return ids.map((id) => rows.get(id) ?? missing(id));
  });
}

export type RequestLoaders = ReturnType<RequestLoadersFactory['create']>;

/**
 * A singleton that builds fresh DataLoaders for each GraphQL request, all scoped to the caller's
 * organization. Modules expose batch reads on their services; this is the only place they meet.
 */
@Injectable()
export class RequestLoadersFactory {
  constructor(
    private readonly buildings: BuildingsService,
    private readonly employees: EmployeesService,
    private readonly organizations: OrganizationsService,
  ) {}

  create(organizationId: string) {
    return {
      buildingById: byId<BuildingEntity>((ids) => this.buildings.getMany(organizationId, ids), (id) => new NotFoundException(BUILDING, id)),
      employeeById: byId<EmployeeEntity>(
        (ids) => this.employees.getMany(organizationId, ids),
        (id) => new NotFoundException({ ru: 'Сотрудник', en: 'Employee' }, id),
      ),
      organizationById: byId<OrganizationEntity>(
        (ids) => this.organizations.getMany(ids.filter((id) => id === organizationId)),
        (id) => new NotFoundException({ ru: 'Организация', en: 'Organization' }, id),
      ),
      specializationsByEmployeeId: new DataLoader<string, TicketCategoryEntity[]>(async (ids) => {
        const rows = await this.employees.specializationsOf(organizationId, ids);
        return ids.map((id) => rows.get(id) ?? []);
      }),
    };
  }
}
