import type { AccountImportWriter } from '../../accounts/account-import-writer';
import type { BuildingsService } from '../../buildings/buildings.service';
import type { ClientImportWriter } from '../../clients/client-import-writer';
import type { OccupancyService } from '../../occupancy/occupancy.service';
import type { PremisesImportWriter } from '../../premises/premises-import.writer';
import type { RecordFactory } from '../plan/batch-state';

/** The services whose new records and card rules the plan uses; none of these methods reads the database. */
export interface RecordMakers {
  buildings: Pick<BuildingsService, 'newAtAddress'>;
  premises: Pick<PremisesImportWriter, 'newInBuilding' | 'misfits'>;
  accounts: Pick<AccountImportWriter, 'newForPremises'>;
  clients: Pick<ClientImportWriter, 'newCard' | 'importValues' | 'importChanges' | 'snapshotOf'>;
  occupancy: Pick<OccupancyService, 'newImported'>;
}

/** New records of one organization, and the card's rules, as each record's module makes them. */
export function registryRecordFactory(makers: RecordMakers, organizationId: string): RecordFactory {
  const { buildings, premises, accounts, clients, occupancy } = makers;
  return {
    building: (address) => buildings.newAtAddress(organizationId, { ...address, block: address.block ?? null }),
    premises: (buildingId, row) => premises.newInBuilding(organizationId, buildingId, row.type, row.number),
    account: (premisesId, number) => accounts.newForPremises(organizationId, premisesId, number),
    client: () => clients.newCard(organizationId),
    occupancy: (premisesId, clientId, role, keepOnSync) =>
      occupancy.newImported(organizationId, premisesId, clientId, role, keepOnSync),
    clientValues: (card, values) => clients.importValues(card, values),
    clientValuesChange: (card, values) => clients.importChanges(card, values),
    clientSnapshot: (card) => clients.snapshotOf(card),
    premisesMisfits: (building, p) => premises.misfits(building, p.entrance, p.floor, p.area),
  };
}
