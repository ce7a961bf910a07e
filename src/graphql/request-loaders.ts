import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { premisesWithBuildings } from './premises-with-buildings';
import { BuildingEntity } from '../buildings/building.entity';
import { BuildingsService, BUILDING } from '../buildings/buildings.service';
import { NotFoundException } from '../common/errors/domain.exception';
import { EmployeeEntity } from '../organizations/employee.entity';
import { EmployeesService } from '../organizations/employees.service';
import { OrganizationEntity } from '../organizations/organization.entity';
import { OrganizationsService } from '../organizations/organizations.service';
import { TicketCategoryEntity } from '../tickets/ticket-category.entity';
import { AccountEntity } from '../accounts/account.entity';
import { AccountReads } from '../accounts/account-reads';
import { AccountSearch } from '../accounts/account-search';
import { ClientEntity } from '../clients/client.entity';
import { ClientReads } from '../clients/client-reads';
import { CLIENT } from '../clients/client-fields';
import { TagEntity } from '../clients/tag.entity';
import { TagsService } from '../clients/tags.service';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { CrmSpace } from '../kernel/crm-space';
import { ExternalIdEntity } from '../external-ids/external-id.entity';
import { ExternalIdsService } from '../external-ids/external-ids.service';
import { OccupancyEntity } from '../occupancy/occupancy.entity';
import { OccupancyService } from '../occupancy/occupancy.service';
import { PremisesEntity } from '../premises/premises.entity';
import { PremisesReads } from '../premises/premises-reads.service';
import { PremisesSearchAlternative } from '../premises/premises-search.service';
import { PREMISES } from '../premises/premises.service';
import { ClientSearchExtension } from '../clients/client-extensions';
import { ClientFilter } from '../clients/dto/client.input';
import { RegistrationEventEntity } from '../registration/registration-event.entity';
import { RegistrationQueries } from '../registration/registration-queries.service';
import { AppStatus, ResidentAppStatusService } from '../contact-card/resident-app-status.service';
import { ContactReads } from '../contact-card/contact-reads';
import { ContactKey, contactKeyString } from '../tickets/ticket-scope';
import { TicketScope } from '../tickets/ticket-visibility';
import { ContactPlace, ContactPlaceWithPage, PlacePageRequest } from '../tickets/ticket-place-statements';
import { TicketPlaceReads } from '../tickets/ticket-place-reads.service';
import { TicketsService } from '../tickets/tickets.service';
import { TicketCategoriesService, CATEGORY } from '../tickets/ticket-categories.service';
import { TicketEntity } from '../tickets/ticket.entity';

/** Keyed batch → one SQL statement per batch, results in key order (a missing row is NOT_FOUND for that key only). */
function byId<T>(
  fetch: (ids: readonly string[]) => Promise<Map<string, T>>,
  missing: (id: string) => Error,
): DataLoader<string, T> {
  return new DataLoader<string, T>(async (ids) => {
    const rows = await fetch(ids);
    return ids.map((id) => rows.get(id) ?? missing(id));
  });
}

/** Keyed batch of lists: a key with no rows gets an empty list. */
function listsBy<T>(fetch: (ids: readonly string[]) => Promise<Map<string, T[]>>): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (ids) => {
    const rows = await fetch(ids);
    return ids.map((id) => rows.get(id) ?? []);
  });
}

/** Tickets read per place with the card's places: a page of the default size (20) and one more to know there is a next page. */
export const FIRST_PAGE_PREFETCH = 21;

export type RequestLoaders = ReturnType<RequestLoadersFactory['create']>;

/**
 * A singleton that builds fresh DataLoaders for each GraphQL request, all scoped to the caller's
 * organization. Modules expose batch reads on their services; this is the only place they meet.
 */
@Injectable()
export class RequestLoadersFactory {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly buildings: BuildingsService,
    private readonly employees: EmployeesService,
    private readonly organizations: OrganizationsService,
    private readonly premises: PremisesReads,
    private readonly clients: ClientReads,
    private readonly tags: TagsService,
    private readonly externalIds: ExternalIdsService,
    private readonly occupancy: OccupancyService,
    private readonly accounts: AccountReads,
    private readonly accountSearch: AccountSearch,
    private readonly registration: RegistrationQueries,
    private readonly tickets: TicketsService,
    private readonly ticketPlaces: TicketPlaceReads,
    private readonly ticketCategories: TicketCategoriesService,
    private readonly appStatus: ResidentAppStatusService,
    private readonly contacts: ContactReads,
  ) {}

  /**
   * The specializations decide which tickets they see. `_space` (the caller's CRM space) no longer limits
   * what is read: every space's external identifiers are shown, marked `editable` for one's own.
   */
  create(organizationId: string, _space: CrmSpace, specializationIds: readonly string[]) {
    return this.build(organizationId, () => Promise.resolve(specializationIds));
  }

  /** For a request that signed the employee in just now: their specializations are read if a ticket asks. */
  forEmployee(organizationId: string, _space: CrmSpace, employeeId: string) {
    return this.build(
      organizationId,
      async () => (await this.employees.specializationIdsOf(organizationId, [employeeId])).get(employeeId) ?? [],
    );
  }

  private build(organizationId: string, specializationIds: () => Promise<readonly string[]>) {
    let scope: Promise<TicketScope> | undefined;
    // Read once per request, on first use (or early, by a resolver that knows it will need them): what the
    // employee's specializations let them see.
    const ticketScope = (): Promise<TicketScope> =>
      (scope ??= specializationIds().then((ids) => this.tickets.scopeFor(organizationId, ids)));
    return {
      ...this.searchCompositions(organizationId),
      ...this.ticketLoaders(organizationId, ticketScope),
      ...this.registryLoaders(organizationId),
      ...this.staffLoaders(organizationId),
    };
  }

  /** The lists' conditions over other modules' tables, each module's own: explicit composition of the searches. */
  private searchCompositions(organizationId: string) {
    return {
      /** The client list's filter fields over tables other modules own, each module's condition. */
      clientFilters: (filter: ClientFilter | undefined): ClientSearchExtension[] => [
        ...(filter?.premisesId !== undefined
          ? [(card: string) => this.occupancy.attachedToPremisesSql(card, filter.premisesId!)]
          : []),
        ...(filter?.accountNumber?.trim()
          ? [
              (card: string) =>
                this.accountSearch.holdsAccountSql(card, filter.accountNumber!, (organization, client, premises) =>
                  this.occupancy.attachedSql(organization, client, premises),
                ),
            ]
          : []),
      ],
      /** What else a premises search text may match: the beginning of one of the premises' account numbers. */
      premisesSearchAlternatives: [
        (premises: string, search: string) => this.accountSearch.numberBeginsSql(premises, search),
      ] as PremisesSearchAlternative[],
      /** Whose tickets a contact id of the API means (a ticket filter's contactId): the contact card's rule, ContactReads.byId. */
      contactKey: async (contactId: string, path: string): Promise<ContactKey> =>
        (await this.contacts.byId(organizationId, contactId, path)).key,
    };
  }

  private ticketLoaders(organizationId: string, ticketScope: () => Promise<TicketScope>) {
    let categories: Promise<Map<string, TicketCategoryEntity>> | undefined;
    // The classifier: a few dozen rows, read whole once per request, on first use.
    const ticketCategories = () =>
      (categories ??= this.ticketCategories.list(organizationId).then((rows) => new Map(rows.map((c) => [c.id, c]))));
    return {
      ticketScope,
      ticketCategories,
      ticketCategoryById: byId(
        (ids) =>
          ticketCategories().then((all) => new Map(ids.flatMap((id) => (all.has(id) ? [[id, all.get(id)!]] : [])))),
        (id) => new NotFoundException(CATEGORY, id),
      ),
      ticketPlacesByContact: new DataLoader<ContactKey, ContactPlace[], string>(
        async (keys) => this.ticketPlaces.placesOf(await ticketScope(), keys),
        { cacheKeyFn: contactKeyString },
      ),
      /** The card's places with their first page of tickets (up to FIRST_PAGE_PREFETCH), in one statement. */
      ticketPlacesWithPagesByContact: new DataLoader<ContactKey, ContactPlaceWithPage[], string>(
        async (keys) => this.ticketPlaces.placesWithFirstPages(await ticketScope(), keys, FIRST_PAGE_PREFETCH),
        { cacheKeyFn: contactKeyString },
      ),
      ticketPagesByPlace: new DataLoader<PlacePageRequest, TicketEntity[], string>(
        async (requests) => this.ticketPlaces.placePages(await ticketScope(), requests),
        { cacheKeyFn: (r) => `${contactKeyString(r.contact)}|${r.placeId}|${r.first}|${r.before ?? ''}` },
      ),
      ticketCountsByPlace: new DataLoader<{ contact: ContactKey; placeId: string }, number, string>(
        async (requests) => this.ticketPlaces.placeCounts(await ticketScope(), requests),
        { cacheKeyFn: (r) => `${contactKeyString(r.contact)}|${r.placeId}` },
      ),
    };
  }

  /** The registry and the cards: buildings, premises, clients, accounts, attachments, identifiers, app status. */
  private registryLoaders(organizationId: string) {
    const buildingById = byId<BuildingEntity>(
      (ids) => this.buildings.getMany(organizationId, ids),
      (id) => new NotFoundException(BUILDING, id),
    );
    // Each premises comes with its building, which is what a field of the premises asks for next.
    const premisesById = byId<PremisesEntity>(
      async (ids) => {
        const rows = await premisesWithBuildings(this.dataSource, organizationId, ids);
        for (const { building } of rows.values()) buildingById.prime(building.id, building);
        return new Map([...rows].map(([id, { premises }]) => [id, premises]));
      },
      (id) => new NotFoundException(PREMISES, id),
    );
    const externalIdsOf = (type: ExternalEntityType) =>
      listsBy<ExternalIdEntity>((ids) => this.externalIds.forEntities(organizationId, type, ids));
    return {
      /**
       * The building of something that has premises in it (a ticket, a card's address): read with the
       * premises, in the same statement, whichever of the two fields asks first; on its own only for
       * things about the house itself.
       */
      buildingOfPlace: async (buildingId: string, premisesId: string | null) => {
        // Should the premises be gone, the building is still read on its own.
        if (premisesId) await premisesById.load(premisesId).catch(() => undefined);
        return buildingById.load(buildingId);
      },
      buildingById,
      premisesById,
      /** Keyed by a client card's main phone: the resident app's login. */
      appStatusByPhone: new DataLoader<string, AppStatus>(async (phones) => {
        const rows = await this.appStatus.appStatusByPhones(phones);
        return phones.map((phone) => rows.get(phone) ?? { usesApp: false, lastSeenAt: null });
      }),
      clientById: byId<ClientEntity>(
        (ids) => this.clients.getMany(organizationId, ids),
        (id) => new NotFoundException(CLIENT, id),
      ),
      tagsByClientId: listsBy<TagEntity>((ids) => this.tags.ofClients(organizationId, ids)),
      // Every space's identifiers are visible on the merged card (the article); editing stays in one's own space.
      externalIdsByClientId: externalIdsOf(ExternalEntityType.CLIENT),
      externalIdsByPremisesId: externalIdsOf(ExternalEntityType.PREMISES),
      externalIdsByBuildingId: externalIdsOf(ExternalEntityType.BUILDING),
      externalIdsByAccountId: externalIdsOf(ExternalEntityType.ACCOUNT),
      occupanciesByClientId: listsBy<OccupancyEntity>((ids) => this.occupancy.ofClients(organizationId, ids)),
      occupanciesByPremisesId: listsBy<OccupancyEntity>((ids) => this.occupancy.ofPremises(organizationId, ids)),
      accountById: byId<AccountEntity>(
        (ids) => this.accounts.getMany(organizationId, ids),
        (id) => new NotFoundException({ ru: 'Лицевой счёт', en: 'Account' }, id),
      ),
      accountsByPremisesId: listsBy<AccountEntity>((ids) => this.accounts.ofPremises(organizationId, ids)),
    };
  }

  /** The organization, its staff and what they chose; the resident app's registration requests. */
  private staffLoaders(organizationId: string) {
    return {
      employeeById: byId<EmployeeEntity>(
        (ids) => this.employees.getMany(organizationId, ids),
        (id) => new NotFoundException({ ru: 'Сотрудник', en: 'Employee' }, id),
      ),
      organizationById: byId<OrganizationEntity>(
        (ids) => this.organizations.getMany(ids.filter((id) => id === organizationId)),
        (id) => new NotFoundException({ ru: 'Организация', en: 'Organization' }, id),
      ),
      registrationEventsByRequestId: listsBy<RegistrationEventEntity>((ids) =>
        this.registration.eventsOf(organizationId, ids),
      ),
      specializationsByEmployeeId: new DataLoader<string, TicketCategoryEntity[]>(async (ids) => {
        // The classifier (cached, by name) in its order, keeping each employee's categories.
        const [chosen, classifier] = await Promise.all([
          this.employees.specializationIdsOf(organizationId, ids),
          this.ticketCategories.list(organizationId),
        ]);
        return ids.map((id) => {
          const categoryIds = new Set(chosen.get(id) ?? []);
          return classifier.filter((category) => categoryIds.has(category.id));
        });
      }),
    };
  }
}
