import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AccountReads } from '../accounts/account-reads';
import { BuildingEntity } from '../buildings/building.entity';
import { BuildingsService } from '../buildings/buildings.service';
import { ClientEntity } from '../clients/client.entity';
import { ClientReads } from '../clients/client-reads';
import { raw, sql, Sql } from '../common/sql/sql';
import { JsonPart, JsonParts, jsonPartsStatement, parseJsonParts } from '../database/json-reads';
import { preparedQuery } from '../database/prepared';
import { OccupancyEntity } from '../occupancy/occupancy.entity';
import { OccupancyService } from '../occupancy/occupancy.service';
import { EmployeesService } from '../organizations/employees.service';
import { PremisesEntity } from '../premises/premises.entity';
import { PremisesReads } from '../premises/premises-reads.service';
import { TicketCallerEntity } from '../tickets/ticket-caller.entity';
import { TicketCallersService } from '../tickets/ticket-callers.service';
import { TicketScope } from '../tickets/ticket-visibility';
import { TicketCardParts } from '../tickets/ticket-card-parts';
import { ContactPlaceWithPage } from '../tickets/ticket-place-statements';
import { AMBIGUOUS_LIST_LIMIT, onlyContactIdSql, phoneContactsSql, PhoneContactRef } from './phone-resolver';
import { AppStatus, ResidentAppStatusService } from './resident-app-status.service';

/** The contact a card is opened for: by id, or by a whole phone number (E.164) and whoever it means. */
export type CardOpening = { id: string } | { phone: string };

export interface CardStatementOptions {
  /** The premises the client is attached to, their buildings and their accounts. */
  homes?: boolean;
  /** The contact's ticket places with the first `perPlace` tickets at each that `scope` lets the employee see. */
  pages?: { scope: TicketScope; perPlace: number };
}

/** What the card statement read, before ContactReads makes a CardHead of it. */
export interface HeadRead {
  /** Opened by phone: every contact the phone means (phone-resolver.ts). */
  matches?: PhoneContactRef[];
  client?: ClientEntity;
  caller?: TicketCallerEntity;
  occupancies: OccupancyEntity[];
  appStatus: AppStatus;
  homes?: { premises: PremisesEntity[]; buildings: BuildingEntity[]; accounts: AccountEntity[] };
  places?: ContactPlaceWithPage[];
}

/** The contact's id inside the statement: the `contact` row of its WITH clause. */
const CONTACT_ID = raw('(SELECT id FROM contact)');

/**
 * The dispatcher's card head as ONE statement (`statements/contact-card-*.sql` show it whole):
 *
 *     WITH contact AS (the contact's id: the one given, or the one contact the phone means)
 *     SELECT client, caller, occupancies, "appStatus"            -- always
 *            [, premises, buildings, accounts]                   -- with homes
 *            [, places]                                          -- with pages: each place with its first tickets
 *            [, matches]                                         -- opened by phone: every contact it means
 *
 * Each column is a part that the module owning its tables writes (clients, callers, occupancy, resident
 * app status, premises, buildings, accounts, tickets), given the contact's id as `(SELECT id FROM
 * contact)`. Read apart these were six statements in two waves, each a round trip that another process
 * on the server's cores could delay. The text is fixed for a fixed set of options, so it runs prepared.
 */
@Injectable()
export class CardStatement {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientReads,
    private readonly callers: TicketCallersService,
    private readonly employees: EmployeesService,
    private readonly tickets: TicketCardParts,
    private readonly buildings: BuildingsService,
    private readonly premises: PremisesReads,
    private readonly occupancy: OccupancyService,
    private readonly appStatus: ResidentAppStatusService,
    private readonly accounts: AccountReads,
  ) {}

  async read(organizationId: string, opening: CardOpening, options: CardStatementOptions = {}): Promise<HeadRead> {
    const { statement, parse } = this.compose(organizationId, opening, options);
    const [row] = await preparedQuery<Record<string, string>>(this.dataSource, statement);
    return parse(row);
  }

  /** The statement, and how its one row becomes a HeadRead. */
  compose(
    organizationId: string,
    opening: CardOpening,
    options: CardStatementOptions = {},
  ): { statement: Sql; parse(row: Record<string, string>): HeadRead } {
    const parts = {
      ...this.headParts(organizationId),
      ...this.homeParts(organizationId, options),
      ...this.placeParts(organizationId, options),
      ...this.matchParts(opening),
    };
    return {
      statement: jsonPartsStatement(parts, this.contact(organizationId, opening)),
      parse: (row) => this.headRead(parseJsonParts<JsonParts>(parts, row), options),
    };
  }

  /** The WITH clause naming the contact (and, opened by phone, every contact the phone means). */
  private contact(organizationId: string, opening: CardOpening): Sql {
    if ('id' in opening) return sql`WITH contact AS (SELECT ${opening.id}::uuid AS id)\n`;
    const owners = {
      clients: this.clients.idsByAnyPhoneSql(organizationId, opening.phone),
      callers: this.callers.idsByPhoneSql(organizationId, opening.phone),
      employees: this.employees.idsByPhoneSql(organizationId, opening.phone),
    };
    return sql`WITH phone_contacts AS (${phoneContactsSql(owners)}),
     contact AS (SELECT ${onlyContactIdSql(sql`SELECT kind, id FROM phone_contacts`)} AS id)\n`;
  }

  private headParts(organizationId: string): JsonParts {
    return {
      client: this.clients.cardPart(organizationId, CONTACT_ID),
      caller: this.callers.callerPart(organizationId, CONTACT_ID),
      occupancies: this.occupancy.ofClientPart(organizationId, CONTACT_ID),
      appStatus: this.appStatus.statusPart(this.clients.mainPhoneSql(organizationId, CONTACT_ID)),
    };
  }

  private homeParts(organizationId: string, options: CardStatementOptions): JsonParts {
    if (!options.homes) return {};
    const homeIds = this.occupancy.premisesOfClientSql(organizationId, CONTACT_ID);
    return {
      premises: this.premises.premisesPart(organizationId, homeIds),
      buildings: this.buildings.buildingsPart(organizationId, this.premises.buildingIdsSql(organizationId, homeIds)),
      accounts: this.accounts.ofPremisesPart(organizationId, homeIds),
    };
  }

  private placeParts(organizationId: string, options: CardStatementOptions): JsonParts {
    const pages = options.pages;
    if (!pages) return {};
    if (pages.scope.organizationId !== organizationId)
      throw new Error('cardHead: the ticket scope is of another organization');
    // The contact's key as contact.ts's fromClient and fromCaller give it: a card's id and phones, else the caller's phone.
    const key = {
      clientId: this.clients.idSql(organizationId, CONTACT_ID),
      phones: sql`coalesce(${this.clients.phonesSql(organizationId, CONTACT_ID)}, ${this.callers.phonesSql(organizationId, CONTACT_ID)})`,
    };
    return { places: this.tickets.placesWithFirstPagesPart(pages.scope, key, pages.perPlace) };
  }

  private matchParts(opening: CardOpening): JsonParts {
    if ('id' in opening) return {};
    const matches: JsonPart<PhoneContactRef> = {
      sql: sql`(SELECT coalesce(json_agg(m), '[]')::text FROM (SELECT kind, id FROM phone_contacts LIMIT ${raw(String(AMBIGUOUS_LIST_LIMIT))}) m)`,
      parse: (text) => JSON.parse(text) as PhoneContactRef[],
    };
    return { matches };
  }

  private headRead(read: Record<string, unknown[]>, options: CardStatementOptions): HeadRead {
    const homes = options.homes
      ? {
          premises: read.premises as PremisesEntity[],
          buildings: read.buildings as BuildingEntity[],
          accounts: read.accounts as AccountEntity[],
        }
      : undefined;
    return {
      client: read.client[0] as ClientEntity | undefined,
      caller: read.caller[0] as TicketCallerEntity | undefined,
      occupancies: read.occupancies as OccupancyEntity[],
      appStatus: read.appStatus[0] as AppStatus,
      homes,
      places: read.places as ContactPlaceWithPage[] | undefined,
      matches: read.matches as PhoneContactRef[] | undefined,
    };
  }
}
