import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { BuildingEntity } from '../buildings/building.entity';
import { ClientReads } from '../clients/client-reads';
import { BadInputException, DomainException, NotFoundException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { OccupancyEntity } from '../occupancy/occupancy.entity';
import { EmployeesService } from '../organizations/employees.service';
import { PremisesEntity } from '../premises/premises.entity';
import { TicketCallersService } from '../tickets/ticket-callers.service';
import { TicketScope } from '../tickets/ticket-visibility';
import { ContactPlaceWithPage } from '../tickets/ticket-place-statements';
import { CardStatement, HeadRead } from './card-statement';
import { Contact, fromCaller, fromClient, fromEmployee } from './contact';
import { PhoneContactRef, wholeNumber } from './phone-resolver';
import { AppStatus } from './resident-app-status.service';

export const CONTACT = { ru: 'Контакт', en: 'Contact' };

/** What the card opened by id shows first (ContactReads.cardHead). */
export interface CardHead {
  contact: Contact;
  /** The client's attachments, in OccupancyService.ofClients' order; empty for other contacts. */
  occupancies: OccupancyEntity[];
  /** The resident app status of a client card's main phone; null for other contacts and cards without a phone. */
  appStatus: AppStatus | null;
  /** With `homes`: the premises the client is attached to, their buildings and their accounts (ofPremises' order). */
  homes?: { premises: PremisesEntity[]; buildings: BuildingEntity[]; accounts: AccountEntity[] };
  /** With `pages`, for a client or a caller: TicketPlaceReads.placesWithFirstPages of the contact's key. */
  places?: ContactPlaceWithPage[];
}

export interface CardHeadOptions {
  /** Where a bad id is reported (the argument's path). */
  path?: string;
  homes?: boolean;
  /** The contact's ticket places with the first `perPlace` tickets at each that `scope` lets the employee see. */
  pages?: { scope: TicketScope; perPlace: number };
}

/**
 * Reading contacts of the dispatcher's card: a contact by id (a client, else a caller who filed tickets
 * without a card, else a staff member) and the card's head, by id or by phone, in one statement
 * (card-statement.ts). Everything is read within the caller's organization only, so a person served by
 * two organizations shows each of them its own part.
 */
@Injectable()
export class ContactReads {
  constructor(
    private readonly clients: ClientReads,
    private readonly callers: TicketCallersService,
    private readonly employees: EmployeesService,
    private readonly card: CardStatement,
  ) {}

  /** A client, else a caller, else an employee with this id. */
  async byId(organizationId: string, id: string, path?: string): Promise<Contact> {
    requireOrganization(organizationId);
    if (!isUuid(id)) throw new NotFoundException(CONTACT, id, path);
    // Outside a transaction, the card's own read: client and caller are looked for in one statement.
    return (await this.cardHead(organizationId, id, { path })).contact;
  }

  /** byId, in the caller's transaction. */
  async byIdIn(manager: EntityManager, organizationId: string, id: string, path?: string): Promise<Contact> {
    requireOrganization(organizationId);
    if (!isUuid(id)) throw new NotFoundException(CONTACT, id, path);
    const client = await this.clients.get(manager, organizationId, id).catch(() => null);
    if (client) return fromClient(client);
    const caller = (await this.callers.getMany(organizationId, [id])).get(id);
    if (caller) return fromCaller(caller);
    return this.employeeOrNotFound(organizationId, id, path);
  }

  private async employeeOrNotFound(organizationId: string, id: string, path?: string): Promise<Contact> {
    const employee = (await this.employees.getMany(organizationId, [id])).get(id);
    if (employee) return fromEmployee(employee);
    throw new NotFoundException(CONTACT, id, path);
  }

  /**
   * The contact with this id (as byId) together with what the card shows of them first: a client's
   * attachments and the app status of their main phone and, with `homes`, the premises they are attached
   * to with their buildings and accounts: one statement (card-statement.ts).
   */
  async cardHead(organizationId: string, id: string, options: CardHeadOptions = {}): Promise<CardHead> {
    requireOrganization(organizationId);
    if (!isUuid(id)) throw new NotFoundException(CONTACT, id, options.path);
    return this.headOf(organizationId, id, options.path, await this.card.read(organizationId, { id }, options));
  }

  /**
   * cardHead of the one contact the phone means (phone-resolver.ts): a card carrying it as login or
   * contact phone, else the caller who filed tickets from it, else a staff member — in the same one
   * statement, the contact found inside it. A phone several contacts share opens none of them: the
   * CONFLICT lists them (extensions.contacts) for the dispatcher to choose by contactId.
   */
  async cardHeadByPhone(
    organizationId: string,
    raw: string,
    options: Omit<CardHeadOptions, 'path'> = {},
  ): Promise<CardHead> {
    requireOrganization(organizationId);
    const phone = wholeNumber(raw);
    if (!phone)
      throw BadInputException.field(
        'phone',
        'телефон не распознан: укажите его как +7 916 123-45-67',
        'phone not recognized: write it as +7 916 123-45-67',
      );
    const read = await this.card.read(organizationId, { phone }, options);
    const matches = read.matches ?? [];
    if (!matches.length)
      throw new NotFoundException({ ru: `Контакт с телефоном ${phone}`, en: `Contact with phone ${phone}` });
    if (matches.length > 1) throw await this.ambiguousPhone(organizationId, phone, matches);
    return this.headOf(organizationId, matches[0].id, undefined, read);
  }

  private async ambiguousPhone(
    organizationId: string,
    phone: string,
    matches: PhoneContactRef[],
  ): Promise<DomainException> {
    const contacts = await Promise.all(matches.map((m) => this.byId(organizationId, m.id)));
    const names = contacts.map((c) => c.fullName).join(', ');
    return new DomainException(
      ErrorCode.CONFLICT,
      {
        ru: `Телефон ${phone} указан у нескольких контактов (${names}): выберите нужного`,
        en: `Phone ${phone} belongs to several contacts: choose one by contactId`,
      },
      [
        {
          path: 'phone',
          message: 'телефон указан у нескольких контактов',
          messageEn: 'several contacts have this phone',
        },
      ],
      { contacts: contacts.map((c) => ({ id: c.id, kind: c.kind, fullName: c.fullName })) },
    );
  }

  private async headOf(
    organizationId: string,
    id: string,
    path: string | undefined,
    read: HeadRead,
  ): Promise<CardHead> {
    const { client, caller } = read;
    if (client)
      return {
        contact: fromClient(client),
        occupancies: read.occupancies,
        appStatus: client.phone ? read.appStatus : null,
        homes: read.homes,
        places: read.places,
      };
    if (caller) return { contact: fromCaller(caller), occupancies: [], appStatus: null, places: read.places };
    return { contact: await this.employeeOrNotFound(organizationId, id, path), occupancies: [], appStatus: null };
  }
}
