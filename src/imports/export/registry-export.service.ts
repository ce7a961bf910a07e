import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AccountReads } from '../../accounts/account-reads';
import { BuildingsService } from '../../buildings/buildings.service';
import { ClientEntity } from '../../clients/client.entity';
import { ClientReads } from '../../clients/client-reads';
import { hasPersonalData, maskPersonalFields } from '../../clients/personal-data';
import { PERSONAL_DATA_VIEWED } from '../../clients/personal-data-reads.plugin';
import { crmActor, StaffPrincipal } from '../../access/principal';
import { AuditEntityType } from '../../audit/audit-enums';
import { AuditService } from '../../audit/audit.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TagsService } from '../../clients/tags.service';
import { ExternalEntityType } from '../../external-ids/external-id-enums';
import { ExternalIdsService } from '../../external-ids/external-ids.service';
import { OccupancyService } from '../../occupancy/occupancy.service';
import { PremisesSearch } from '../../premises/premises-search.service';
import { guardFormula } from './formula-guard';
import { addReferenceSheets, startRegistryWorkbook } from './registry-template';
import {
  choiceText,
  CLIENT_TYPE_CHOICES,
  PREMISES_TYPE_CHOICES,
  RegistryKey,
  ROLE_CHOICES,
  SPACE_CHOICES,
  YES_NO,
} from '../registry-columns';

const PAGE = 500;

/** ISO date → how staff write it (ДД.ММ.ГГГГ). */
function russianDate(iso: string | null): string {
  if (!iso) return '';
  const [year, month, day] = iso.split('-');
  return `${day}.${month}.${year}`;
}

/**
 * The organization's registry in the template's format, streamed: premises page by page (each page
 * a handful of batched reads), a row per premises × (account, client) pair, so a premises with two
 * clients is two rows. Memory stays flat whatever the size.
 */
@Injectable()
export class RegistryExportService {
  constructor(
    private readonly premises: PremisesSearch,
    private readonly buildings: BuildingsService,
    private readonly occupancy: OccupancyService,
    private readonly accounts: AccountReads,
    private readonly clients: ClientReads,
    private readonly tags: TagsService,
    private readonly externalIds: ExternalIdsService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The registry as `reader` may see it: without VIEW_PERSONAL_DATA, passport, INN, SNILS and birth
   * date go out masked (clients/personal-data.ts), which a re-import refuses cell by cell rather than
   * storing; with it, every card whose personal data goes out is recorded as read (one statement a page).
   */
  async write(reader: StaffPrincipal, output: Writable): Promise<number> {
    const { organizationId, crmSpace: space, viewsPersonalData } = reader;
    const { workbook, registry } = startRegistryWorkbook(output);
    let rows = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.premises.list(organizationId, undefined, { first: PAGE, after }, false);
      const places = page.edges.map((e) => e.node);
      const premisesIds = places.map((p) => p.id);
      const [buildings, occupancies, accounts] = await Promise.all([
        this.buildings.getMany(organizationId, [...new Set(places.map((p) => p.buildingId))]),
        this.occupancy.ofPremises(organizationId, premisesIds),
        this.accounts.ofPremises(organizationId, premisesIds),
      ]);
      const clientIds = [...new Set([...occupancies.values()].flat().map((o) => o.clientId))];
      const [clients, tags, identifiers] = await Promise.all([
        this.clients.getMany(organizationId, clientIds),
        this.tags.ofClients(organizationId, clientIds),
        this.externalIds.forEntities(organizationId, ExternalEntityType.CLIENT, clientIds, space),
      ]);
      if (viewsPersonalData) await this.recordReadings(reader, [...clients.values()]);
      for (const place of places) {
        const building = buildings.get(place.buildingId)!;
        const placeAccounts = [...(accounts.get(place.id) ?? [])].sort((a, b) => a.number.localeCompare(b.number));
        const placeClients = occupancies.get(place.id) ?? [];
        for (let i = 0; i < Math.max(placeAccounts.length, placeClients.length, 1); i++) {
          const account = placeAccounts[i];
          const occupancy = placeClients[i];
          const client: ClientEntity | undefined = occupancy && clients.get(occupancy.clientId);
          const identifier = client && identifiers.get(client.id)?.[0];
          const cells: Record<RegistryKey, string | number> = {
            city: building.city,
            street: building.street,
            house: building.house,
            block: building.block ?? '',
            premisesType: choiceText(PREMISES_TYPE_CHOICES, place.type),
            premisesNumber: place.number,
            entrance: place.entrance ?? '',
            floor: place.floor ?? '',
            area: place.area ?? '',
            accountNumber: account?.number ?? '',
            hiddenFromResident: account ? choiceText(YES_NO, account.hiddenFromResident) : '',
            paymentsEnabled: account ? choiceText(YES_NO, account.paymentsEnabled) : '',
            clientType: client ? choiceText(CLIENT_TYPE_CHOICES, client.type) : '',
            lastName: client?.lastName ?? '',
            firstName: client?.firstName ?? '',
            middleName: client?.middleName ?? '',
            organizationName: client?.organizationName ?? '',
            phones: client ? [client.phone, ...client.extraPhones].filter(Boolean).join('; ') : '',
            email: client?.email ?? '',
            birthDate: russianDate(client?.birthDate ?? null),
            inn: client?.inn ?? '',
            snils: client?.snils ?? '',
            passportSeries: client?.passportSeries ?? '',
            passportNumber: client?.passportNumber ?? '',
            role: occupancy ? choiceText(ROLE_CHOICES, occupancy.role) : '',
            keepOnSync: occupancy ? choiceText(YES_NO, occupancy.keepOnSync) : '',
            externalSpace: identifier ? choiceText(SPACE_CHOICES, identifier.space) : '',
            externalSystem: identifier?.system ?? '',
            externalId: identifier?.value ?? '',
            tags: client ? (tags.get(client.id) ?? []).map((t) => t.name).join('; ') : '',
          };
          const shown = viewsPersonalData ? cells : maskPersonalFields(cells);
          for (const key of Object.keys(shown) as RegistryKey[])
            if (typeof shown[key] === 'string') shown[key] = guardFormula(shown[key] as string);
          registry.addRow(shown).commit();
          rows++;
        }
      }
      // A slow download must not pile the file up in memory: wait for the client between pages.
      if (output.writableNeedDrain) await once(output, 'drain');
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? undefined;
    }
    registry.commit();
    addReferenceSheets(workbook);
    await workbook.commit();
    return rows;
  }

  private async recordReadings(reader: StaffPrincipal, clients: ClientEntity[]): Promise<void> {
    const read = clients.filter((client) => hasPersonalData(client as unknown as Record<string, unknown>));
    await this.audit.record(
      this.dataSource.manager,
      crmActor(reader),
      read.map((client) => ({
        entityType: AuditEntityType.CLIENT,
        entityId: client.id,
        action: PERSONAL_DATA_VIEWED,
        after: { via: 'registry export' },
      })),
    );
  }
}
