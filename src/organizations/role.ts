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
  EDIT_BUILDINGS = 'EDIT_BUILDINGS',
  EDIT_REFERENCE_SHEET = 'EDIT_REFERENCE_SHEET',
  EDIT_PREMISES = 'EDIT_PREMISES',
  DELETE_PREMISES = 'DELETE_PREMISES',
}

/** The permission matrix: the one place that says which role may do what. */
export const ROLE_PERMISSIONS: Record<EmployeeRole, ReadonlySet<Permission>> = {
  [EmployeeRole.ADMIN]: new Set(Object.values(Permission)),
  [EmployeeRole.MANAGER]: new Set([
    Permission.EDIT_BUILDINGS,
    Permission.EDIT_REFERENCE_SHEET,
    Permission.EDIT_PREMISES,
    Permission.DELETE_PREMISES,
  ]),
  [EmployeeRole.DISPATCHER]: new Set([Permission.EDIT_REFERENCE_SHEET]),
  [EmployeeRole.TECHNICIAN]: new Set(),
  [EmployeeRole.VIEWER]: new Set(),
};

export function roleAllows(role: EmployeeRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
