import { Module } from '@nestjs/common';
import { EmployeesResolver } from './employees.resolver';
import { EmployeesService } from './employees.service';
import { OrganizationsService } from './organizations.service';
import { OrganizationsResolver } from './organizations.resolver';

@Module({
  providers: [EmployeesService, OrganizationsService, EmployeesResolver, OrganizationsResolver],
  exports: [EmployeesService, OrganizationsService],
})
export class OrganizationsModule {}
