import { Module } from '@nestjs/common';
import { StaffAccessModule } from '../access/staff-access.module';
import { EmployeesResolver } from './employees.resolver';
import { EmployeesService } from './employees.service';
import { OrganizationsService } from './organizations.service';
import { OrganizationsResolver } from './organizations.resolver';

@Module({
  imports: [StaffAccessModule],
  providers: [EmployeesService, OrganizationsService, EmployeesResolver, OrganizationsResolver],
  exports: [EmployeesService, OrganizationsService],
})
export class OrganizationsModule {}
