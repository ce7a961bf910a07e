import { Context, ID, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { AccountStatus } from '../accounts/account-status';
import { AccountEntity } from '../accounts/account.entity';
import { CurrentEmployee, RequirePermission } from '../access/auth.decorators';
import { crmActor, StaffPrincipal } from '../access/principal';
import { premisesName } from '../premises/premises-name';
import { displayAddress } from '../buildings/address';
import { BuildingType, ReferenceSheetType } from '../buildings/dto/building.type';
import { ClientObjectType } from '../clients/dto/client.type';
import { BadInputException } from '../common/errors/domain.exception';
import { connectionComplexity, ConnectionShape, PageArgs } from '../common/pagination/connection';
import { keysetCodec, selectsTotalCount } from '../common/pagination/keyset';
import { selectsAnyField } from '../common/graphql/selection';
import type { GraphqlContext } from '../graphql/graphql-context';
import { FIRST_PAGE_PREFETCH } from '../graphql/request-loaders';
import { ContactPlaceWithPage } from '../tickets/ticket-place-statements';
import { Permission } from '../kernel/role';
import { PremisesObjectType } from '../premises/dto/premises.type';
import { TicketConnection } from '../tickets/dto/ticket.type';
import { TicketEntity } from '../tickets/ticket.entity';
import { Contact, ContactKind } from './contact';
import { ContactsService } from './contacts.service';
import { CardHead, ContactReads } from './contact-reads';
import { ContactSearch } from './contact-search';
import { AddContactAddressInput, CreateTicketFromCardInput, UpdateContactInput } from './dto/contact.input';
import {
  AddContactAddressPayload,
  AppStatusType,
  ContactAddress,
  ContactAddressType,
  ContactCardType,
  ContactMatchType,
  ContactType,
  CreateTicketFromCardPayload,
  PaymentAccessType,
  UpdateContactPayload,
} from './dto/contact.type';

/** The contact's ticket places and attached premises, read together (one wave of statements). */
async function placesAndOccupancies(contact: Contact, context: GraphqlContext, withPages: boolean) {
  return Promise.all([
    withPages
      ? context.loaders.ticketPlacesWithPagesByContact.load(contact.key)
      : context.loaders.ticketPlacesByContact.load(contact.key),
    contact.clientId ? context.loaders.occupanciesByClientId.load(contact.clientId) : Promise.resolve([]),
  ]);
}

/** What the card's head read (ContactReads.cardHead) answers for the loaders its fields would otherwise call. */
function primeFromHead(context: GraphqlContext, { contact, occupancies, appStatus, homes, places }: CardHead): void {
  if (places) context.loaders.ticketPlacesWithPagesByContact.prime(contact.key, places);
  if (!contact.clientId) return;
  context.loaders.occupanciesByClientId.prime(contact.clientId, occupancies);
  if (contact.phone && appStatus) context.loaders.appStatusByPhone.prime(contact.phone, appStatus);
  if (!homes) return;
  for (const building of homes.buildings) context.loaders.buildingById.prime(building.id, building);
  for (const premises of homes.premises) {
    context.loaders.premisesById.prime(premises.id, premises);
    context.loaders.accountsByPremisesId.prime(
      premises.id,
      homes.accounts.filter((a) => a.premisesId === premises.id),
    );
  }
}

/**
 * Where the contact lives (attached premises, with role) and where they filed tickets, most recent
 * activity first. `withPages` reads each place's first page of tickets in the same statement (the card).
 */
async function addressesOf(contact: Contact, context: GraphqlContext, withPages: boolean): Promise<ContactAddress[]> {
  const [places, occupancies] = await placesAndOccupancies(contact, context, withPages);
  const roles = new Map(occupancies.map((o) => [o.premisesId, o.role]));
  const fromTickets: ContactAddress[] = places.map((p) => ({
    contact,
    placeId: p.placeId,
    buildingId: p.buildingId,
    premisesId: p.premisesId,
    role: (p.premisesId && roles.get(p.premisesId)) || null,
    firstPage: 'firstPage' in p ? (p as ContactPlaceWithPage).firstPage : undefined,
  }));
  const seen = new Set(places.map((p) => p.placeId));
  const lived = await Promise.all(
    occupancies
      .filter((o) => !seen.has(o.premisesId))
      .map(async (o) => {
        const premises = await context.loaders.premisesById.load(o.premisesId);
        // No ticket of theirs there at all: the first page is known to be empty.
        return {
          contact,
          placeId: premises.id,
          buildingId: premises.buildingId,
          premisesId: premises.id,
          role: o.role,
          firstPage: withPages ? [] : undefined,
        };
      }),
  );
  return [...fromTickets, ...lived];
}

/** A card address's tickets: newest number first, as the ticket list orders them. */
const CARD_TICKETS_CURSOR = keysetCodec([{ sql: 't.number', kind: 'int32' }], 'DESC');

@Resolver(() => ContactCardType)
export class ContactCardResolver {
  constructor(
    private readonly contacts: ContactsService,
    private readonly contactReads: ContactReads,
    private readonly contactSearch: ContactSearch,
  ) {}

  @Query(() => [ContactMatchType], {
    description:
      'Phone typeahead: any part of the digits in any writing ("916 12", "8916", "+7 (916) 1"); under 3 digits answers nothing',
  })
  async contactsByPhone(
    @CurrentEmployee() me: StaffPrincipal,
    @Args('query') query: string,
    @Args('first', { type: () => Int, defaultValue: 10 }) first: number,
  ) {
    if (first < 1 || first > 50) throw BadInputException.field('first', 'от 1 до 50', 'from 1 to 50');
    return (await this.contactSearch.search(me.organizationId, query, first)).map((contact) => ({ contact }));
  }

  @Query(() => ContactCardType, { description: 'Карточка контакта, by phone (as the call comes in) or by contact id' })
  async contactCard(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Info() info: GraphQLResolveInfo,
    @Args('phone', { nullable: true }) phone?: string,
    @Args('contactId', { type: () => ID, nullable: true }) contactId?: string,
  ) {
    if (!phone === !contactId)
      throw BadInputException.field(
        'contactId',
        'укажите телефон или контакт',
        'give either the phone or the contact id',
      );
    // The card's tickets show their category: the classifier is read (if not yet in memory) alongside the head.
    void context.loaders.ticketCategories().catch(() => undefined);
    // A card's addresses and payment access start from the client's homes and the places of the contact's
    // tickets with the first page at each: read them with the contact, so a client's card at home is one
    // statement. The scope is the employee's, kept in memory once their session is.
    const places = selectsAnyField(info, ['addresses', 'paymentAccess']);
    const pages = places ? { scope: await context.loaders.ticketScope(), perPlace: FIRST_PAGE_PREFETCH } : undefined;
    const head = contactId
      ? await this.contactReads.cardHead(me.organizationId, contactId, { path: 'contactId', homes: places, pages })
      : await this.contactReads.cardHeadByPhone(me.organizationId, phone!, { homes: places, pages });
    primeFromHead(context, head);
    return { contact: head.contact };
  }

  @Mutation(() => CreateTicketFromCardPayload, {
    description: 'A ticket pre-filled from the card: address, premises, full name and phone',
  })
  @RequirePermission(Permission.EDIT_TICKETS)
  async createTicketFromCard(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Args('input') input: CreateTicketFromCardInput,
  ) {
    return { ticket: await this.contacts.createTicket(crmActor(me), await context.loaders.ticketScope(), input) };
  }

  @Mutation(() => UpdateContactPayload, {
    description: 'Edits the contact and rewrites the name on every earlier ticket of theirs, in one transaction',
  })
  @RequirePermission(Permission.EDIT_TICKETS)
  async updateContact(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Args('input') input: UpdateContactInput,
  ) {
    return this.contacts.update(crmActor(me), await context.loaders.ticketScope(), input);
  }

  @Mutation(() => AddContactAddressPayload, {
    description: '"Добавить жителя": attaches the contact (or another resident) to premises of a building you serve',
  })
  @RequirePermission(Permission.EDIT_CLIENTS)
  async addContactAddress(
    @CurrentEmployee() me: StaffPrincipal,
    @Context() context: GraphqlContext,
    @Args('input') input: AddContactAddressInput,
  ) {
    return this.contacts.addAddress(crmActor(me), await context.loaders.ticketScope(), input);
  }

  @ResolveField(() => [ContactAddressType])
  addresses(@Parent() card: { contact: Contact }, @Context() context: GraphqlContext) {
    return addressesOf(card.contact, context, true);
  }

  @ResolveField(() => AppStatusType)
  appStatus(@Parent() card: { contact: Contact }, @Context() context: GraphqlContext) {
    // Only a client card's main phone signs in to the resident app.
    return card.contact.clientId && card.contact.phone
      ? context.loaders.appStatusByPhone.load(card.contact.phone)
      : { usesApp: false, lastSeenAt: null };
  }

  @ResolveField(() => PaymentAccessType, {
    description:
      'The payable accounts of the premises the client is attached to; a caller without a card or a staff member has none',
  })
  async paymentAccess(
    @Parent() card: { contact: Contact },
    @Context() context: GraphqlContext,
  ): Promise<{ enabled: boolean; accounts: AccountEntity[] }> {
    // Only the contact's own attachments count: a flat they phoned about is not theirs to pay for. The
    // attachments and their accounts come with the card's head (primed), not in a statement of their own.
    const occupancies = card.contact.clientId
      ? await context.loaders.occupanciesByClientId.load(card.contact.clientId)
      : [];
    const premisesIds = [...new Set(occupancies.map((o) => o.premisesId))];
    const accounts = (await context.loaders.accountsByPremisesId.loadMany(premisesIds)).flatMap((list) =>
      Array.isArray(list) ? list : [],
    );
    const payable = accounts.filter(
      (a) => !a.hiddenFromResident && a.paymentsEnabled && a.status === AccountStatus.ACTIVE,
    );
    return { enabled: payable.length > 0, accounts: payable };
  }
}

@Resolver(() => ContactMatchType)
export class ContactMatchResolver {
  @ResolveField(() => [ContactAddressType], { description: 'Preview of the contact’s addresses' })
  addresses(@Parent() match: { contact: Contact }, @Context() context: GraphqlContext) {
    return addressesOf(match.contact, context, false);
  }
}

@Resolver(() => ContactType)
export class ContactResolver {
  @ResolveField(() => String, {
    nullable: true,
    description:
      'The one phone that signs in to the resident app: a client card’s login (changeClientPhone changes it); null for callers and staff. Other phones are contact phones only',
  })
  loginPhone(@Parent() contact: Contact): string | null {
    return contact.kind === ContactKind.CLIENT ? contact.phone : null;
  }

  @ResolveField(() => ClientObjectType, { nullable: true, description: 'The client card, for kind CLIENT' })
  client(@Parent() contact: Contact, @Context() context: GraphqlContext) {
    if (contact.kind !== ContactKind.CLIENT || !contact.clientId) return null;
    return contact.card ?? context.loaders.clientById.load(contact.clientId);
  }
}

function buildingOf(address: ContactAddress, context: GraphqlContext) {
  return context.loaders.buildingOfPlace(address.buildingId, address.premisesId);
}

@Resolver(() => ContactAddressType)
export class ContactAddressResolver {
  @ResolveField(() => BuildingType)
  building(@Parent() address: ContactAddress, @Context() context: GraphqlContext) {
    return buildingOf(address, context);
  }

  @ResolveField(() => PremisesObjectType, { nullable: true, description: 'Null for tickets about the house itself' })
  premises(@Parent() address: ContactAddress, @Context() context: GraphqlContext) {
    return address.premisesId ? context.loaders.premisesById.load(address.premisesId) : null;
  }

  @ResolveField(() => String, { description: '"Москва, ул. Ленина, д. 5, кв. 12"' })
  async address(@Parent() address: ContactAddress, @Context() context: GraphqlContext): Promise<string> {
    const [building, premises] = await Promise.all([
      buildingOf(address, context),
      address.premisesId ? context.loaders.premisesById.load(address.premisesId) : null,
    ]);
    return premises ? premisesName(building, premises) : displayAddress(building);
  }

  @ResolveField(() => ReferenceSheetType, { description: 'Справка по объекту of the building' })
  async referenceSheet(
    @Parent() address: ContactAddress,
    @Context() context: GraphqlContext,
  ): Promise<ReferenceSheetType> {
    const building = await buildingOf(address, context);
    return {
      html: building.referenceSheetHtml,
      updatedAt: building.referenceSheetUpdatedAt,
      updatedById: building.referenceSheetUpdatedBy,
      organizationId: building.organizationId,
    };
  }

  @ResolveField(() => TicketConnection, {
    complexity: connectionComplexity,
    description: 'The contact’s tickets at this address, newest first; only your specializations’ categories',
  })
  async tickets(
    @Parent() address: ContactAddress,
    @Context() context: GraphqlContext,
    @Args() page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<TicketEntity>> {
    const before = page.after ? Number(CARD_TICKETS_CURSOR.decode(page.after)[0]) : null;
    const request = { contact: address.contact.key, placeId: address.placeId };
    const prefetched = before === null && address.firstPage && page.first + 1 <= FIRST_PAGE_PREFETCH;
    const [rows, totalCount] = await Promise.all([
      prefetched
        ? address.firstPage!.slice(0, page.first + 1)
        : context.loaders.ticketPagesByPlace.load({ ...request, first: page.first + 1, before }),
      selectsTotalCount(info) ? context.loaders.ticketCountsByPlace.load(request) : Promise.resolve(undefined),
    ]);
    const edges = rows
      .slice(0, page.first)
      .map((node) => ({ node, cursor: CARD_TICKETS_CURSOR.encode([node.number]) }));
    return {
      edges,
      totalCount,
      pageInfo: {
        hasNextPage: rows.length > page.first,
        hasPreviousPage: before !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}
