import { Module } from '@nestjs/common';
import { EmployeesResolver } from './employees.resolver';
import { EmployeesService } from './employees.service';
import { OrganizationsService } from './organizations.service';

@Module({
  providers: [EmployeesService, OrganizationsService, EmployeesResolver],
  exports: [EmployeesService, OrganizationsService],
})
export class OrganizationsModule {}
