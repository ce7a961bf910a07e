import { registerEnumType } from '@nestjs/graphql';
import { BadInputException } from '../common/errors/domain.exception';
import { ContactKey } from '../tickets/ticket-scope';
import type { ClientEntity } from '../clients/client.entity';
import { fullName } from '../clients/client-names';
import { normalizePhone } from '../common/validation/phone';
import type { EmployeeEntity } from '../organizations/employee.entity';
import type { TicketCallerEntity } from '../tickets/ticket-caller.entity';

export enum ContactKind {
  CLIENT = 'CLIENT',
  CALLER = 'CALLER',
  EMPLOYEE = 'EMPLOYEE',
}

registerEnumType(ContactKind, {
  name: 'ContactKind',
  description: 'A client card, a caller who filed tickets without one, or a staff member',
});

/** Who the dispatcher is talking to, whatever record they come from. */
export interface Contact {
  /** The client's, caller's or employee's id. */
  id: string;
  kind: ContactKind;
  organizationId: string;
  fullName: string;
  phone: string | null;
  phones: string[];
  email: string | null;
  clientId: string | null;
  /** Whose tickets are theirs. */
  key: ContactKey;
  /** The client card the contact was read from, so the card does not read it twice. */
  card?: ClientEntity;
}

/** "Иванов Иван Иванович" → last, first and the rest as middle name; a person needs at least two words. */
export function splitFullName(
  fullName: string,
  path = 'input.fullName',
): { lastName: string; firstName: string; middleName: string | null } {
  const words = tidyName(fullName).split(' ');
  if (words.length < 2)
    throw BadInputException.field(path, 'укажите фамилию и имя', 'give the last and the first name');
  return { lastName: words[0], firstName: words[1], middleName: words.slice(2).join(' ') || null };
}

export function tidyName(fullName: string, path = 'input.fullName'): string {
  const name = fullName.replace(/\s+/g, ' ').trim();
  if (!name) throw BadInputException.field(path, 'укажите ФИО', 'full name is required');
  return name;
}

export function fromClient(client: ClientEntity): Contact {
  const phones = [client.phone, ...client.extraPhones].filter((p): p is string => !!p);
  return {
    id: client.id,
    kind: ContactKind.CLIENT,
    organizationId: client.organizationId,
    fullName: fullName(client),
    phone: client.phone,
    phones,
    email: client.email,
    clientId: client.id,
    key: { clientId: client.id, phones },
    card: client,
  };
}

export function fromCaller(caller: TicketCallerEntity): Contact {
  return {
    id: caller.id,
    kind: ContactKind.CALLER,
    organizationId: caller.organizationId,
    fullName: caller.fullName,
    phone: caller.phone,
    phones: [caller.phone],
    email: null,
    clientId: null,
    key: { clientId: null, phones: [caller.phone] },
  };
}

export function fromEmployee(employee: EmployeeEntity): Contact {
  const phone = employee.phone ? normalizePhone(employee.phone) : null;
  const phones = phone ? [phone] : [];
  return {
    id: employee.id,
    kind: ContactKind.EMPLOYEE,
    organizationId: employee.organizationId,
    fullName: employee.fullName,
    phone,
    phones,
    email: employee.email,
    clientId: null,
    key: { clientId: null, phones },
  };
}
