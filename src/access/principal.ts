import { EmployeeRole } from '../kernel/role';
import { CrmSpace } from '../kernel/crm-space';
import { Actor, AuditChannel } from '../kernel/actor';

/** The signed-in employee a request acts for. Every service call takes its organizationId. */
export interface StaffPrincipal {
  realm: 'staff';
  employeeId: string;
  organizationId: string;
  role: EmployeeRole;
  sessionId: string;
  /** The CRM space whose external identifiers the employee sees and edits. */
  crmSpace: CrmSpace;
  /** Ticket categories the employee specializes in (with their subcategories they see only those tickets); empty: all. */
  specializationIds: readonly string[];
  /** May read clients' personal data unmasked (clients/personal-data.ts: the role and the organization's setting). */
  viewsPersonalData: boolean;
}

/** A resident signed in through the app by a one-time code: known by phone, served by any organization. */
export interface ResidentPrincipal {
  realm: 'resident';
  residentId: string;
  /** E.164; the resident's clients in every organization are the cards with this phone. */
  phone: string;
  sessionId: string;
}

/** A staff member acting through the CRM. */
export function crmActor(me: StaffPrincipal): Actor {
  return {
    organizationId: me.organizationId,
    employeeId: me.employeeId,
    channel: AuditChannel.CRM,
    space: me.crmSpace,
  };
}
