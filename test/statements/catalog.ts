import { DataSource } from 'typeorm';
import { AccountImportWriter } from '../../src/accounts/account-import-writer';
import { AuditChannel } from '../../src/kernel/actor';
import { ClientImportWriter } from '../../src/clients/client-import-writer';
import { ClientReads } from '../../src/clients/client-reads';
import { ClientSearch } from '../../src/clients/client-search';
import { PhoneDigitsDensity } from '../../src/clients/phone-digits-density';
import { PageArgs } from '../../src/common/pagination/connection';
import { keysetCodec } from '../../src/common/pagination/keyset';
import { AuthService } from '../../src/auth/auth.service';
import type { TokenClaims } from '../../src/auth/verified-tokens';
import { ChangesService } from '../../src/integration/changes.service';
import { AccountSearch } from '../../src/accounts/account-search';
import { AccountStatus } from '../../src/accounts/account-status';
import { AuditEntityType } from '../../src/audit/audit-enums';
import { AuditService } from '../../src/audit/audit.service';
import { BuildingsService } from '../../src/buildings/buildings.service';
import { ImportJobsService } from '../../src/imports/job/import-jobs.service';
import { EmployeesService } from '../../src/organizations/employees.service';
import { RegistrationStatus } from '../../src/registration/registration-enums';
import { RegistrationQueries } from '../../src/registration/registration-queries.service';
import { TicketStatus } from '../../src/tickets/ticket-enums';
import { CardStatement } from '../../src/contact-card/card-statement';
import { ContactSearch } from '../../src/contact-card/contact-search';
import { sqlStatementCounter } from '../../src/database/data-source-options';
import { ExternalEntityType } from '../../src/external-ids/external-id-enums';
import { CrmSpace } from '../../src/kernel/crm-space';
import { ExternalIdsService } from '../../src/external-ids/external-ids.service';
import { OccupancyService } from '../../src/occupancy/occupancy.service';
import { RequestLoadersFactory } from '../../src/graphql/request-loaders';
import { PremisesSearch } from '../../src/premises/premises-search.service';
import { TicketCallersService } from '../../src/tickets/ticket-callers.service';
import { TicketScope } from '../../src/tickets/ticket-visibility';
import { TicketPlaceReads } from '../../src/tickets/ticket-place-reads.service';
import { TicketSearch } from '../../src/tickets/ticket-search.service';
import type { TestApp } from '../support/test-app';

/**
 * Every statement the code composes from parts of several modules (the card, the phone searches, the
 * client search, the ticket places, the import's reads and writes), written whole to `statements/*.sql`
 * by `npm run statements:print` and compared with them by test/statement-snapshots.e2e.ts: a change to
 * any part shows up in review as the statements it changes. A case either composes its statement (the
 * card) or runs a path against an organization with no data and records what it sends.
 */
export interface StatementCase {
  name: string;
  statements(): Promise<string[]>;
}

export type StatementFiles = Record<string, StatementCase[]>;

const ID = '00000000-0000-4000-8000-000000000001';
const OTHER_ID = '00000000-0000-4000-8000-000000000002';
const PHONE = '+79164405555';

function composed(name: string, statement: () => { text: string }): StatementCase {
  return { name, statements: async () => [statement().text] };
}

/** What `run` sends; several branches run at once in some paths, so their statements are listed sorted. */
function recorded(name: string, run: () => Promise<unknown>, options: { sorted?: boolean } = {}): StatementCase {
  return {
    name,
    statements: async () => {
      const texts = await sqlStatementCounter.record(() => run().catch(() => undefined));
      return options.sorted ? [...new Set(texts)].sort() : texts;
    },
  };
}

/** The statements of a transaction that is rolled back, so writes leave nothing behind. */
function inRollback(dataSource: DataSource, write: (tx: DataSource['manager']) => Promise<unknown>): () => Promise<unknown> {
  return () =>
    dataSource.transaction(async (tx) => {
      await write(tx);
      throw new RolledBack();
    });
}

class RolledBack extends Error {}

export function statementFiles(app: TestApp, organizationId: string): StatementFiles {
  const get = <T>(type: new (...args: never[]) => T): T => app.server.app.get(type, { strict: false });
  const [card, contacts, callers, tickets] = [get(CardStatement), get(ContactSearch), get(TicketCallersService), get(TicketPlaceReads)];
  const [clientReads, clientSearch, clientWriter] = [get(ClientReads), get(ClientSearch), get(ClientImportWriter)];
  const everything: TicketScope = { organizationId, categoryIds: null };
  const someCategories: TicketScope = { organizationId, categoryIds: [ID, OTHER_ID] };
  const key = { clientId: ID, phones: [PHONE] };
  const actor = { organizationId, employeeId: null, channel: AuditChannel.CRM, space: CrmSpace.OPERATION };
  const page = Object.assign(new PageArgs(), { first: 20 });
  const manager = app.dataSource.manager;
  const pageAfter = (keys: Parameters<typeof keysetCodec>[0], values: (string | number)[], direction?: 'DESC') =>
    Object.assign(new PageArgs(), { first: 20, after: keysetCodec(keys, direction).encode(values) });
  const loaders = get(RequestLoadersFactory).create(organizationId, CrmSpace.OPERATION, []);
  return {
    'contact-card': [
      composed('the card opened by id', () => card.compose(organizationId, { id: ID }).statement),
      composed('by id, with homes and the first tickets at each place', () => card.compose(organizationId, { id: ID }, { homes: true, pages: { scope: everything, perPlace: 5 } }).statement),
      composed('by id, with the first tickets an employee with specializations sees', () => card.compose(organizationId, { id: ID }, { pages: { scope: someCategories, perPlace: 5 } }).statement),
      composed('by phone, with homes and the first tickets at each place', () => card.compose(organizationId, { phone: PHONE }, { homes: true, pages: { scope: everything, perPlace: 5 } }).statement),
    ],
    'phone-typeahead': [
      recorded('three digits (cards, then callers and staff)', () => contacts.search(organizationId, '916', 10), { sorted: true }),
      recorded('a selective run of digits', () => contacts.search(organizationId, '4405555', 10), { sorted: true }),
      recorded('a number typed with the trunk 8', () => contacts.search(organizationId, '8 916 440', 10), { sorted: true }),
      recorded('callers containing three digits', () => callers.search(organizationId, { contains: '916', startsWith: null }, 10, (o, p) => clientSearch.phoneOnCardSql(o, p))),
    ],
    'client-search': [
      recorded('by phone digits', () => clientSearch.list(actor, { phone: '4405555' }, page, true)),
      recorded('by surname, status, tag and external id', () => clientSearch.list(actor, { surnamePrefix: 'Ив', tagIds: [ID], externalId: 'A-1' }, page, false)),
      recorded('by premises and account number', () => {
        const filter = { premisesId: ID, accountNumber: '12-34' };
        return clientSearch.list(actor, filter, page, false, loaders.clientFilters(filter));
      }),
      recorded('premises by address words or account number', () => get(PremisesSearch).list(organizationId, { search: 'Ленина 5 кв 12' }, page, false, loaders.premisesSearchAlternatives)),
    ],
    tickets: [
      recorded('places of one contact', () => tickets.placesOf(everything, [key])),
      recorded('places of several contacts, for an employee with specializations', () => tickets.placesOf(someCategories, [key, { clientId: null, phones: [PHONE] }])),
      recorded('places with their first pages', () => tickets.placesWithFirstPages(everything, [key], 5)),
      recorded('further pages at places', () => tickets.placePages(someCategories, [{ contact: key, placeId: ID, first: 5, before: 100 }])),
      recorded('counts at places', () => tickets.placeCounts(everything, [{ contact: key, placeId: ID }])),
      recorded('the list filtered by contact', () => get(TicketSearch).list(someCategories, { contactId: ID }, page, true, key)),
    ],
    lists: [
      recorded('buildings by address words and city, with the total', () => get(BuildingsService).list(organizationId, { search: 'Ленина 5', city: 'Москва' }, page, true)),
      recorded('accounts by premises, owner, number and status', () => get(AccountSearch).list(organizationId, { premisesId: ID, ownerClientId: OTHER_ID, number: '12-34', status: AccountStatus.ACTIVE }, page, false)),
      recorded('a building\'s premises, the page after a cursor', () => get(PremisesSearch).list(organizationId, { buildingId: ID }, pageAfter([{ sql: 'p.number_sort', kind: 'text' }, { sql: 'p.type', kind: 'text' }, { sql: 'p.id', kind: 'uuid' }], ['12', 'FLAT', ID]), false)),
      recorded('employees, the page after a cursor, with the total', () => get(EmployeesService).list(organizationId, pageAfter([{ sql: 'e.full_name', kind: 'text' }, { sql: 'e.id', kind: 'uuid' }], ['Иванов', ID]), true)),
      recorded('a record\'s audit log', () => get(AuditService).list(organizationId, CrmSpace.OPERATION, AuditEntityType.CLIENT, ID, page, false)),
      recorded('import jobs, newest first', () => get(ImportJobsService).list(organizationId, page, false)),
      recorded('an import\'s row problems', () => get(ImportJobsService).errors(organizationId, ID, page, false)),
      recorded('registration requests by status', () => get(RegistrationQueries).list(organizationId, RegistrationStatus.PENDING, page, false)),
      recorded('tickets by building, entrance, status and category, the page after a cursor', () => get(TicketSearch).list(everything, { buildingId: ID, entrance: 2, status: TicketStatus.NEW, categoryId: OTHER_ID }, pageAfter([{ sql: 't.number', kind: 'int32' }], [100], 'DESC'), false)),
    ],
    'composed-reads': [
      recorded('the staff session check (its session, the employee\'s access)', () => get(AuthService).authenticateStaff({ realm: 'staff', sid: ID, sub: ID, org: organizationId } as unknown as TokenClaims)),
      recorded('the integration change feed of cards, with the total', () => get(ChangesService).list(organizationId, ExternalEntityType.CLIENT, new Date(0), page, true), { sorted: true }),
    ],
    'import-reads': [
      recorded('identity candidates of a row', () => clientReads.identityCandidates(manager, organizationId, [PHONE], ['иванов|иван|'])),
      recorded('cards by login phones, locked', () => clientWriter.findByLoginPhones(manager, organizationId, [PHONE], true)),
      recorded('cards by names and contact phones', () => clientWriter.findByNamesAndContactPhones(manager, organizationId, ['иванов|иван|'], [PHONE])),
      recorded('cards by ids, locked', () => clientWriter.findByIdsIn(manager, organizationId, [ID], true)),
      recorded('attachments of premises', () => get(OccupancyService).ofPremisesIn(manager, organizationId, [ID])),
      recorded('accounts by number keys', () => get(AccountImportWriter).findByNumberKeys(manager, organizationId, ['1234'])),
      recorded('external ids', () => get(ExternalIdsService).resolveMany(manager, organizationId, ExternalEntityType.CLIENT, [{ space: CrmSpace.OPERATION, system: 'erp', value: 'A-1' }])),
    ],
    'import-writes': [
      recorded('new cards', inRollback(app.dataSource, (tx) => clientWriter.insertMany(tx, [clientWriter.newCard(organizationId)]))),
      recorded('changed cards', inRollback(app.dataSource, (tx) => clientWriter.updateMany(tx, [clientWriter.newCard(organizationId)]))),
    ],
  };
}

/** Waits for what the paths read once per organization in the background, so recordings hold only their own statements. */
export async function settle(app: TestApp, organizationId: string): Promise<void> {
  await app.server.app.get(PhoneDigitsDensity, { strict: false }).ready(organizationId);
}

export function snapshotText(file: string, cases: readonly { name: string; texts: string[] }[]): string {
  const header = `-- Generated by \`npm run statements:print\` from test/statements/catalog.ts (${file}). Do not edit by hand.\n`;
  return header + cases.map((c) => `\n-- ${c.name}\n${c.texts.map((t) => `${t.trim()};\n`).join('\n')}`).join('');
}
