import type { FieldMiddleware } from '@nestjs/graphql';
import { EmployeeRole, Permission, roleAllows } from '../kernel/role';

/**
 * Personal data of a client card under 152-ФЗ: who may read it, what the others see instead, and
 * that a reading is recorded. The one home of the rule; every path that shows a card (GraphQL's
 * Client type wherever it appears, the audit log's snapshots, the registry export) goes through it.
 */
export const PERSONAL_DATA_FIELDS = [
  'passportSeries',
  'passportNumber',
  'passportIssuedBy',
  'passportIssuedOn',
  'passportComment',
  'snils',
  'inn',
  'birthDate',
  'registrationAddress',
] as const;

export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];

const PERSONAL = new Set<string>(PERSONAL_DATA_FIELDS);

/**
 * Whether an employee of this role reads personal data: the organization's list of roles when it set
 * one (updateOrganizationSettings.personalDataRoles), else the role matrix (ADMIN and MANAGER).
 * Administrators always do: they are the ones who grant it.
 */
export function viewsPersonalData(role: EmployeeRole, organizationRoles: readonly string[] | null): boolean {
  if (role === EmployeeRole.ADMIN) return true;
  return organizationRoles ? organizationRoles.includes(role) : roleAllows(role, Permission.VIEW_PERSONAL_DATA);
}

/** Whether a card holds any personal data (a reading of it is then worth recording). */
export function hasPersonalData(card: Record<string, unknown>): boolean {
  return PERSONAL_DATA_FIELDS.some((field) => card[field] !== null && card[field] !== undefined && card[field] !== '');
}

/** The roles that read personal data in an organization with this setting (null: the default matrix). */
export function personalDataRolesOf(organization: { personalDataRoles: readonly string[] | null }): EmployeeRole[] {
  return Object.values(EmployeeRole).filter((role) => viewsPersonalData(role, organization.personalDataRoles));
}

/** What a reader without the permission sees: the value's last two characters at most, so a clerk can tell two documents apart. */
export function maskPersonalValue(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return value;
  const text = String(value);
  return text.length >= 8 ? `•••• ${text.slice(-2)}` : '••••';
}

/** A snapshot (audit before/after, an export row) with its personal fields masked, others as they are. */
export function maskPersonalFields<T extends Record<string, unknown>>(record: T): T {
  let masked: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    if (PERSONAL.has(key) && record[key] !== null && record[key] !== undefined)
      (masked ??= { ...record })[key] = maskPersonalValue(record[key]);
  }
  return (masked ?? record) as T;
}

/** Who is reading, as the GraphQL context carries it. */
interface Reader {
  principal?: { viewsPersonalData: boolean };
  /** Clients whose personal data this request showed, recorded once when it ends (personal-data-reads.plugin). */
  personalDataReads?: Set<string>;
}

/**
 * The Client type's personal fields resolve through this: masked for an employee without the
 * permission, and noted for the access log when shown.
 */
export const personalDataField: FieldMiddleware<{ id: string } & Record<string, unknown>, Reader> = ({
  source,
  context,
  info,
}) => {
  const value = source[info!.fieldName];
  if (value === null || value === undefined || value === '') return value;
  if (!context.principal?.viewsPersonalData) return maskPersonalValue(value);
  (context.personalDataReads ??= new Set()).add(source.id);
  return value;
};
