import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { displayAddress } from '../buildings/address';
import { BuildingsService } from '../buildings/buildings.service';
import { ClientType, isOrganizationType } from '../clients/client-enums';
import { fullName } from '../clients/client-names';
import { ClientEntity } from '../clients/client.entity';
import { ClientReads } from '../clients/client-reads';
import { ClientsService } from '../clients/clients.service';
import { BadInputException } from '../common/errors/domain.exception';
import { normalizePhone } from '../common/validation/phone';
import { OccupancySource } from '../occupancy/occupancy-enums';
import { OccupancyEntity } from '../occupancy/occupancy.entity';
import { OccupancyService } from '../occupancy/occupancy.service';
import { PremisesEntity } from '../premises/premises.entity';
import { PremisesService } from '../premises/premises.service';
import { TicketClientLinkService } from '../tickets/ticket-client-link.service';
import { TicketScope } from '../tickets/ticket-visibility';
import { TicketEntity } from '../tickets/ticket.entity';
import { TicketPlaceReads } from '../tickets/ticket-place-reads.service';
import { TicketsService } from '../tickets/tickets.service';
import { Contact, ContactKind, fromClient, splitFullName, tidyName } from './contact';
import { ContactReads } from './contact-reads';
import { AddContactAddressInput, CreateTicketFromCardInput, UpdateContactInput } from './dto/contact.input';

/**
 * Editing contacts from the dispatcher's card: the contact and every earlier ticket of theirs, a new
 * address (a resident attached to premises), a ticket with the card's details. Reading contacts is
 * contact-reads.ts, the typeahead contact-search.ts.
 */
@Injectable()
export class ContactsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientsService,
    private readonly clientReads: ClientReads,
    private readonly contacts: ContactReads,
    private readonly tickets: TicketsService,
    private readonly ticketPlaces: TicketPlaceReads,
    private readonly buildings: BuildingsService,
    private readonly premises: PremisesService,
    private readonly occupancy: OccupancyService,
    private readonly ticketLinks: TicketClientLinkService,
  ) {}

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
      const contact = await this.contacts.byIdIn(tx, actor.organizationId, input.contactId, 'input.contactId');
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
        const client = await this.clientReads.get(tx, actor.organizationId, clientId);
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
          ? fromClient(await this.clientReads.get(tx, actor.organizationId, clientId))
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
      const contact = await this.contacts.byIdIn(tx, actor.organizationId, input.contactId, 'input.contactId');
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
    const contact = await this.contacts.byId(actor.organizationId, input.contactId, 'input.contactId');
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
      const client = await this.clientReads.get(tx, actor.organizationId, contact.clientId);
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
    return fullName(await this.clientReads.get(tx, organizationId, clientId));
  }
}
