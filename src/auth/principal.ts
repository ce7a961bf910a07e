import { EmployeeRole } from '../organizations/role';

/** The signed-in employee a request acts for. Every service call takes its organizationId. */
export interface StaffPrincipal {
  realm: 'staff';
  employeeId: string;
  organizationId: string;
  role: EmployeeRole;
  sessionId: string;
}
