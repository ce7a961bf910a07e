import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { displayAddress } from '../buildings/address';
import { BuildingsService } from '../buildings/buildings.service';
import { ClientType, isOrganizationType } from '../clients/client-enums';
import { fullName } from '../clients/client-names';
import { ClientEntity } from '../clients/client.entity';
import { ClientsService } from '../clients/clients.service';
import { BadInputException, DomainException, NotFoundException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { OccupancySource } from '../occupancy/occupancy-enums';
import { AccountEntity } from '../accounts/account.entity';
import { BuildingEntity } from '../buildings/building.entity';
import { OccupancyEntity } from '../occupancy/occupancy.entity';
import { OccupancyService } from '../occupancy/occupancy.service';
import { EmployeeEntity } from '../organizations/employee.entity';
import { EmployeesService } from '../organizations/employees.service';
import { PremisesEntity } from '../premises/premises.entity';
import { PremisesService } from '../premises/premises.service';
import { TicketCallerEntity } from '../tickets/ticket-caller.entity';
import { TicketCallersService } from '../tickets/ticket-callers.service';
import { TicketClientLinkService } from '../tickets/ticket-client-link.service';
import { TicketScope } from '../tickets/ticket-visibility';
import { TicketEntity } from '../tickets/ticket.entity';
import { TicketPlaceReads } from '../tickets/ticket-place-reads.service';
import { ContactPlaceWithPage } from '../tickets/ticket-place-statements';
import { TicketsService } from '../tickets/tickets.service';
import { Contact, ContactKind, splitFullName, tidyName } from './contact';
import { normalizePhone } from '../common/validation/phone';
import { PhoneContactRef, phonePart, wholeNumber } from './phone-resolver';
import { CardStatement, HeadRead } from './card-statement';
import { AppStatus } from './resident-app-status.service';
import { AddContactAddressInput, CreateTicketFromCardInput, UpdateContactInput } from './dto/contact.input';

export const CONTACT = { ru: 'Контакт', en: 'Contact' };

/** What the card opened by id shows first (ContactsService.cardHead). */
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

function fromClient(client: ClientEntity): Contact {
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

function fromCaller(caller: TicketCallerEntity): Contact {
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

function fromEmployee(employee: EmployeeEntity): Contact {
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

/**
 * Contacts of the dispatcher's card: clients, callers who filed tickets without a client card, and
 * staff. Everything is read within the caller's organization only, so a person served by two
 * organizations shows each of them its own part.
 */
@Injectable()
export class ContactsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientsService,
    private readonly callers: TicketCallersService,
    private readonly employees: EmployeesService,
    private readonly tickets: TicketsService,
    private readonly ticketPlaces: TicketPlaceReads,
    private readonly buildings: BuildingsService,
    private readonly premises: PremisesService,
    private readonly occupancy: OccupancyService,
    private readonly ticketLinks: TicketClientLinkService,
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

  /**
   * Typeahead: clients first (surname order), then callers without a card, then staff. Callers and
   * staff are looked for only when the clients leave room on the page: they would not be shown.
   */
  async search(organizationId: string, query: string, first: number): Promise<Contact[]> {
    const part = phonePart(query);
    if (!part) return [];
    const others = (limit: number) =>
      Promise.all([
        // A caller whose phone now belongs to a client card is that client.
        // (the phone resolver's rule: a phone on a card, login or contact phone, is that card's)
        this.callers.search(
          organizationId,
          part,
          limit,
          (org, phone) => this.clients.phoneOnCardSql(org, phone),
          (org, phone) => this.clients.onContactPhoneSql(org, phone),
        ),
        this.employees.findByPhonePart(organizationId, part, limit),
      ]);
    // Callers and staff come after the cards, so they are read only when the cards leave room; when few
    // cards even contain the digits (most runs of six and more), they are read alongside the cards.
    const early = this.clients.fewCardsContain(organizationId, part.contains, first) ? others(first) : null;
    early?.catch(() => undefined);
    const clients = (await this.clients.findByPhonePart(organizationId, part, first)).map(fromClient);
    const room = first - clients.length;
    if (room <= 0) return clients;
    const [callers, employees] = await (early ?? others(room));
    return [...clients, ...callers.map(fromCaller), ...employees.map(fromEmployee)].slice(0, first);
  }

  /**
   * Edits the contact and, in the same transaction, every earlier ticket of theirs: one name form
   * for all the variants given over the phone. An e-mail or a role for a caller creates their card.
   */
  async update(
    actor: Actor,
    scope: TicketScope,
    input: UpdateContactInput,
  ): Promise<{ contact: Contact; ticketsUpdated: number }> {
    return this.dataSource.transaction(async (tx) => {
      const contact = await this.byIdIn(tx, actor.organizationId, input.contactId, 'input.contactId');
      if (contact.kind === ContactKind.EMPLOYEE) {
        throw BadInputException.field(
          'input.contactId',
          'данные сотрудника меняются в разделе «Сотрудники»',
          'an employee is edited in the staff section',
        );
      }
      const name = tidyName(input.fullName);
      let clientId = contact.clientId;
      if (clientId) {
        const client = await this.clients.get(tx, actor.organizationId, clientId);
        const names = isOrganizationType(client.type) ? { organizationName: name } : splitFullName(name);
        await this.clients.applyFields(tx, actor, client, {
          ...names,
          ...(input.email !== undefined ? { email: input.email } : {}),
        });
      } else if (input.email || input.role) {
        clientId = (
          await this.clients.createIn(tx, actor, {
            type: ClientType.INDIVIDUAL,
            ...splitFullName(name),
            phone: contact.phone,
            email: input.email ?? null,
          })
        ).client.id;
      }
      if (input.role) await this.applyRole(tx, actor, scope, contact, clientId!, input.role, input.premisesId ?? null);
      const rewritten = await this.tickets.rewriteContact(
        tx,
        actor,
        scope,
        contact.key,
        clientId ? await this.nameOf(tx, actor.organizationId, clientId) : name,
        clientId,
      );
      // A caller who became a client: every ticket of theirs now carries the card (linked as the card took their phone).
      const ticketsUpdated =
        clientId && !contact.clientId
          ? await this.ticketLinks.countLinked(tx, scope, clientId, contact.phones)
          : rewritten;
      return {
        contact: clientId
          ? fromClient(await this.clients.get(tx, actor.organizationId, clientId))
          : { ...contact, fullName: name },
        ticketsUpdated,
      };
    });
  }

  /** "Add resident": the building must be one the organization serves; the premises is found or created. */
  async addAddress(
    actor: Actor,
    scope: TicketScope,
    input: AddContactAddressInput,
  ): Promise<{ contact: Contact; premises: PremisesEntity; occupancy: OccupancyEntity }> {
    return this.dataSource.transaction(async (tx) => {
      const contact = await this.byIdIn(tx, actor.organizationId, input.contactId, 'input.contactId');
      const found = await this.buildings.findByStreetAndHouse(tx, input, actor.organizationId);
      const asked = `${input.street.trim()}, ${input.house.trim()}${input.block?.trim() ? ` ${input.block.trim()}` : ''}`;
      if (!found.length) {
        throw BadInputException.field(
          'input.house',
          `дом «${asked}» не обслуживается вашей организацией`,
          `your organization does not serve the building "${asked}"`,
        );
      }
      if (found.length > 1) {
        const list = found.map((b) => displayAddress(b)).join('; ');
        throw BadInputException.field(
          'input.street',
          `по адресу «${asked}» несколько домов (${list}): уточните улицу или город`,
          `several buildings match "${asked}" (${list}): give the street type or the city`,
        );
      }
      const building = found[0];
      const premises =
        (await this.premises.findByNumber(
          tx,
          actor.organizationId,
          building.id,
          input.premisesType,
          input.premisesNumber,
        )) ??
        (await this.premises.createIn(tx, actor.organizationId, {
          buildingId: building.id,
          type: input.premisesType,
          number: input.premisesNumber,
        }));
      const client = await this.residentFor(tx, actor, contact, input);
      if (contact.kind === ContactKind.CALLER && client.phone === contact.phone) {
        await this.tickets.rewriteContact(tx, actor, scope, contact.key, fullName(client), client.id);
      }
      const occupancy = await this.occupancy.attachIn(
        tx,
        actor,
        { clientId: client.id, premisesId: premises.id, role: input.role },
        OccupancySource.MANUAL,
      );
      return { contact: fromClient(client), premises, occupancy };
    });
  }

  /** A ticket with the card's address, premises, full name and phone already filled in. */
  async createTicket(actor: Actor, scope: TicketScope, input: CreateTicketFromCardInput): Promise<TicketEntity> {
    const contact = await this.byId(actor.organizationId, input.contactId, 'input.contactId');
    const { contactId: _contactId, premisesId, buildingId, ...fields } = input;
    let place = { premisesId: premisesId ?? null, buildingId: buildingId ?? undefined };
    if (!place.premisesId && !place.buildingId) {
      const [latest] = (await this.ticketPlaces.placesOf(scope, [contact.key]))[0];
      const home = contact.clientId
        ? (await this.occupancy.ofClients(actor.organizationId, [contact.clientId])).get(contact.clientId)?.[0]
        : undefined;
      place = latest
        ? { premisesId: latest.premisesId, buildingId: latest.buildingId }
        : { premisesId: home?.premisesId ?? null, buildingId: undefined };
      if (!place.premisesId && !place.buildingId)
        throw BadInputException.field(
          'input.premisesId',
          'у контакта нет адреса: укажите помещение или дом',
          'the contact has no address: give the premises or the building',
        );
    }
    return this.tickets.create(actor, scope, {
      ...fields,
      ...place,
      clientId: contact.clientId,
      contactName: contact.fullName,
      contactPhone: contact.phone,
    });
  }

  private async residentFor(
    tx: EntityManager,
    actor: Actor,
    contact: Contact,
    input: AddContactAddressInput,
  ): Promise<ClientEntity> {
    const phone = input.phone ? normalizePhone(input.phone) : contact.phone;
    if (contact.clientId && (!phone || contact.phones.includes(phone))) {
      const client = await this.clients.get(tx, actor.organizationId, contact.clientId);
      if (input.email && !client.email) await this.clients.applyFields(tx, actor, client, { email: input.email });
      return client;
    }
    const name = splitFullName(input.fullName ?? contact.fullName);
    return (
      await this.clients.createIn(tx, actor, {
        type: ClientType.INDIVIDUAL,
        ...name,
        phone,
        email: input.email ?? null,
      })
    ).client;
  }

  /** The role goes to the premises given, else to every premises of the card and of the tickets the employee sees. */
  private async applyRole(
    tx: EntityManager,
    actor: Actor,
    scope: TicketScope,
    contact: Contact,
    clientId: string,
    role: NonNullable<UpdateContactInput['role']>,
    premisesId: string | null,
  ): Promise<void> {
    const attached = (await this.occupancy.ofClients(actor.organizationId, [clientId])).get(clientId) ?? [];
    const ticketPremises = (await this.ticketPlaces.placesOf(scope, [contact.key]))[0].map((p) => p.premisesId);
    const targets = premisesId
      ? [premisesId]
      : [...new Set([...attached.map((o) => o.premisesId), ...ticketPremises].filter((id): id is string => !!id))];
    if (!targets.length)
      throw BadInputException.field(
        'input.premisesId',
        'укажите помещение, к которому относится роль',
        'give the premises the role applies to',
      );
    for (const target of targets)
      await this.occupancy.attachIn(tx, actor, { clientId, premisesId: target, role }, OccupancySource.MANUAL);
  }

  private async nameOf(tx: EntityManager, organizationId: string, clientId: string): Promise<string> {
    return fullName(await this.clients.get(tx, organizationId, clientId));
  }
}
