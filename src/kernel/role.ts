import { registerEnumType } from '@nestjs/graphql';

export enum EmployeeRole {
  ADMIN = 'ADMIN',
  MANAGER = 'MANAGER',
  DISPATCHER = 'DISPATCHER',
  TECHNICIAN = 'TECHNICIAN',
  VIEWER = 'VIEWER',
}

registerEnumType(EmployeeRole, {
  name: 'EmployeeRole',
  description: 'ADMIN manages employees and everything else; VIEWER only reads.',
});

/** What an employee may do. Reading the organization's data needs no permission beyond being signed in. */
export enum Permission {
  MANAGE_EMPLOYEES = 'MANAGE_EMPLOYEES',
  /** Organization-wide settings such as self-registration from the app. */
  MANAGE_ORGANIZATION = 'MANAGE_ORGANIZATION',
  /** Approve, reject and comment residents' registration requests. */
  HANDLE_REGISTRATIONS = 'HANDLE_REGISTRATIONS',
  /** Download the whole registry (premises, accounts, clients with their personal data) as .xlsx. */
  EXPORT_REGISTRY = 'EXPORT_REGISTRY',
  /** Upload the Excel registry: creates and changes premises, accounts and clients in bulk; cancel imports. */
  IMPORT_REGISTRY = 'IMPORT_REGISTRY',
  EDIT_BUILDINGS = 'EDIT_BUILDINGS',
  EDIT_REFERENCE_SHEET = 'EDIT_REFERENCE_SHEET',
  EDIT_PREMISES = 'EDIT_PREMISES',
  DELETE_PREMISES = 'DELETE_PREMISES',
  EDIT_CLIENTS = 'EDIT_CLIENTS',
  BLOCK_CLIENTS = 'BLOCK_CLIENTS',
  CHANGE_CLIENT_PHONE = 'CHANGE_CLIENT_PHONE',
  MERGE_CLIENTS = 'MERGE_CLIENTS',
  EDIT_ACCOUNTS = 'EDIT_ACCOUNTS',
  /** File and edit tickets, edit a contact from the card. */
  EDIT_TICKETS = 'EDIT_TICKETS',
  CHANGE_TICKET_STATUS = 'CHANGE_TICKET_STATUS',
  EDIT_TICKET_CATEGORIES = 'EDIT_TICKET_CATEGORIES',
  /** Bulk upserts, deletes and the change feed for other systems (admins, or a dedicated admin login). */
  USE_INTEGRATION_API = 'USE_INTEGRATION_API',
  /**
   * Read a client's passport, SNILS, INN, birth date and registration address (others see them masked).
   * Each organization may choose the roles (updateOrganizationSettings); see clients/personal-data.ts.
   */
  VIEW_PERSONAL_DATA = 'VIEW_PERSONAL_DATA',
  /** The job queues of the whole installation (Bull Board, jobQueues): counts and jobs of every organization, so admins only. */
  VIEW_JOB_QUEUES = 'VIEW_JOB_QUEUES',
}

/** The permission matrix: the one place that says which role may do what. */
export const ROLE_PERMISSIONS: Record<EmployeeRole, ReadonlySet<Permission>> = {
  [EmployeeRole.ADMIN]: new Set(Object.values(Permission)),
  [EmployeeRole.MANAGER]: new Set([
    Permission.EDIT_BUILDINGS,
    Permission.EDIT_REFERENCE_SHEET,
    Permission.EDIT_PREMISES,
    Permission.DELETE_PREMISES,
    Permission.EDIT_CLIENTS,
    Permission.BLOCK_CLIENTS,
    Permission.EDIT_ACCOUNTS,
    Permission.HANDLE_REGISTRATIONS,
    Permission.EXPORT_REGISTRY,
    Permission.IMPORT_REGISTRY,
    Permission.EDIT_TICKETS,
    Permission.CHANGE_TICKET_STATUS,
    Permission.EDIT_TICKET_CATEGORIES,
    Permission.VIEW_PERSONAL_DATA,
  ]),
  // Dispatchers correct a caller's card while on the phone; phone changes and merges stay with admins.
  [EmployeeRole.DISPATCHER]: new Set([
    Permission.EDIT_REFERENCE_SHEET,
    Permission.EDIT_CLIENTS,
    Permission.HANDLE_REGISTRATIONS,
    Permission.EDIT_TICKETS,
    Permission.CHANGE_TICKET_STATUS,
  ]),
  // Technicians move the tickets they work on through their statuses.
  [EmployeeRole.TECHNICIAN]: new Set([Permission.CHANGE_TICKET_STATUS]),
  [EmployeeRole.VIEWER]: new Set(),
};

export function roleAllows(role: EmployeeRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
