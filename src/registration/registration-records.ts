import { EntityManager } from 'typeorm';
import { ClientType, isOrganizationType } from '../clients/client-enums';
import { ApproveRegistrationInput } from './dto/registration.input';
import { RegistrationAction } from './registration-enums';
import { RegistrationEventEntity } from './registration-event.entity';
import { RegistrationRequestEntity } from './registration-request.entity';

/* What submitting and reviewing a request both write: its history, its audit view, the card's fields. */

export const REGISTRATION_REQUEST = { ru: 'Заявка на регистрацию', en: 'Registration request' };

/** One line of the request's history (RegistrationRequest.history). */
export async function addRegistrationEvent(
  tx: EntityManager,
  request: RegistrationRequestEntity,
  action: RegistrationAction,
  employeeId: string | null,
  comment: string | null,
): Promise<void> {
  await tx
    .getRepository(RegistrationEventEntity)
    .insert({ organizationId: request.organizationId, requestId: request.id, action, employeeId, comment });
}

/** The request's full name as a card's name parts. */
export function namePartsOf(
  fullName: string,
  type: ClientType,
): { organizationName: string } | ReturnType<typeof splitFullName> {
  return isOrganizationType(type) ? { organizationName: fullName } : splitFullName(fullName);
}

function splitFullName(full: string): { lastName: string; firstName: string | null; middleName: string | null } {
  const [lastName, firstName, ...rest] = full.trim().split(/\s+/);
  return { lastName, firstName: firstName ?? null, middleName: rest.length ? rest.join(' ') : null };
}

const CLIENT_FIELD_EXCLUDED = new Set(['id', 'role', 'premisesId', 'keepOnSync', 'type']);

export function clientFields(input: Partial<ApproveRegistrationInput>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !CLIENT_FIELD_EXCLUDED.has(key)));
}

export function withoutEmpty(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  );
}

export function auditView(request: RegistrationRequestEntity): Record<string, unknown> {
  return {
    status: request.status,
    premisesId: request.premisesId,
    clientId: request.clientId,
    role: request.role,
    rejectionReason: request.rejectionReason,
  };
}
