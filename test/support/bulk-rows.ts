import { ClientEntity } from '../../src/clients/client.entity';
import { ClientType } from '../../src/clients/client-enums';
import { nameKey, surnameKey } from '../../src/clients/client-names';
import { normalizePhone, phoneDigits } from '../../src/common/validation/phone';
import { TicketCallerEntity } from '../../src/tickets/ticket-caller.entity';
import { TestApp } from './test-app';

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for every column TypeORM lists. */
const CHUNK = 500;

export interface BulkContacts {
  /** Individuals with one (login) phone each. */
  clients?: { lastName: string; firstName: string; phone: string }[];
  /** Phones that filed tickets without a card. */
  callers?: { phone: string; fullName: string }[];
}

function e164(phone: string): string {
  const normalized = normalizePhone(phone);
  if (!normalized) throw new Error(`not a phone: ${phone}`);
  return normalized;
}

/**
 * The factories' one SQL path, for suites whose subject is volume: test/phone-search.e2e.ts plans its
 * searches over 4,500 contacts, where a createClient or createTicket each would take minutes. Rows go in
 * through TypeORM, one INSERT per 500, with the keys the application's own functions compute (nameKey,
 * surnameKey, phoneDigits), never typed by hand. A card here has its login phone only, so its digits key
 * is that phone's digits. Everything else is made through the API (test/support/factories.ts).
 */
export async function bulkContacts(
  app: TestApp,
  organizationId: string,
  { clients = [], callers = [] }: BulkContacts,
): Promise<{ clientIds: string[]; callerIds: string[] }> {
  const cards = clients.map(({ lastName, firstName, phone }) => {
    const names = { type: ClientType.INDIVIDUAL, lastName, firstName };
    const login = e164(phone);
    return {
      organizationId,
      ...names,
      phone: login,
      phoneDigits: phoneDigits(login),
      nameKey: nameKey(names),
      surnameKey: surnameKey(names),
    };
  });
  const phones = callers.map(({ phone, fullName }) => ({
    organizationId,
    phone: e164(phone),
    phoneDigits: phoneDigits(e164(phone)),
    fullName,
  }));
  return {
    clientIds: await insertChunks(app, ClientEntity, cards),
    callerIds: await insertChunks(app, TicketCallerEntity, phones),
  };
}

async function insertChunks<T extends ClientEntity | TicketCallerEntity>(
  app: TestApp,
  target: new () => T,
  rows: Partial<T>[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const result = await app.dataSource.getRepository(target).insert(rows.slice(start, start + CHUNK) as never);
    ids.push(...result.identifiers.map((identifier) => identifier.id as string));
  }
  return ids;
}
