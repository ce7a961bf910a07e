import type { AccountEntity } from '../../accounts/account.entity';
import type { AuditChange } from '../../audit/audit.service';
import type { BuildingEntity } from '../../buildings/building.entity';
import type { ClientEntity } from '../../clients/client.entity';
import type { FieldError } from '../../common/errors/error-code';
import type { CrmSpace } from '../../kernel/crm-space';
import type { OccupancyRole } from '../../occupancy/occupancy-enums';
import type { OccupancyEntity } from '../../occupancy/occupancy.entity';
import { premisesNumberKey } from '../../premises/premises-number';
import type { PremisesEntity } from '../../premises/premises.entity';
import type { ImportMode } from '../job/import-enums';
import type { RegistryRow, RowProblem } from '../rows/registry-row';

/** What a batch found in the database before applying its rows; the plan keeps it current as rows commit. */
export interface BatchState {
  buildings: Map<string, BuildingEntity>;
  premises: Map<string, PremisesEntity>;
  accounts: Map<string, AccountEntity>;
  clients: Map<string, ClientEntity>;
  clientByExternalId: Map<string, string>;
  /** Login phone → the card signing in with it. */
  clientByPhone: Map<string, string>;
  /** Any phone (login or contact) → the cards carrying it. */
  clientsByAnyPhone: Map<string, Set<string>>;
  occupancies: Map<string, OccupancyEntity>;
  /** premises id → ids of the clients attached to it. */
  occupants: Map<string, Set<string>>;
  /** client id → tag name key → the tag's id (undefined for a tag this batch links first). */
  tagsOfClient: Map<string, Map<string, string | undefined>>;
  /** premises id → its name, for the premises that accounts the rows list elsewhere are on now. */
  accountHomes: Map<string, string>;
  /** Ids of such accounts that this import job itself put there (an earlier batch of the same file). */
  accountsPlacedByJob: Set<string>;
}

/** How a job plans its rows. */
export interface PlanOptions {
  mode: ImportMode;
  space: CrmSpace;
  sync: boolean;
  /** An account listed under other premises moves there (a row warning) instead of refusing the row. */
  allowAccountMoves: boolean;
}

/** The factories of new records, owned by their modules. */
export interface RecordFactory {
  building(address: RegistryRow['building']): BuildingEntity;
  premises(buildingId: string, row: RegistryRow['premises']): PremisesEntity;
  account(premisesId: string, number: string): AccountEntity;
  client(): ClientEntity;
  occupancy(premisesId: string, clientId: string, role: OccupancyRole, keepOnSync: boolean): OccupancyEntity;
  /** Sets the values, recomputes keys; returns what breaks the card's rules. */
  clientValues(card: ClientEntity, values: Record<string, unknown>): FieldError[];
  /** Whether clientValues would change the card. */
  clientValuesChange(card: ClientEntity, values: Record<string, unknown>): boolean;
  clientSnapshot(card: ClientEntity): Record<string, unknown>;
  premisesMisfits(building: BuildingEntity, premises: PremisesEntity): FieldError[];
}

export interface RowOutcome {
  rowNumber: number;
  /** created / updated / unchanged; failed rows have `problems` with a row-stopping one. */
  result: 'created' | 'updated' | 'unchanged' | 'failed';
  problems: RowProblem[];
}

export interface BatchWrites {
  buildings: BuildingEntity[];
  premises: { inserted: PremisesEntity[]; updated: PremisesEntity[] };
  accounts: { inserted: AccountEntity[]; updated: AccountEntity[] };
  clients: { inserted: ClientEntity[]; updated: ClientEntity[] };
  occupancies: { inserted: OccupancyEntity[]; updated: OccupancyEntity[] };
  externalIds: { entityId: string; space: CrmSpace; system: string; value: string }[];
  /** Tag names to create on first use, then link; and links to remove. */
  tagLinks: { clientId: string; name: string }[];
  tagUnlinks: { clientId: string; tagId: string; name: string }[];
  /** What the rows list, for sync; `keepAll` marks premises of failed rows, whose residents sync leaves alone. */
  listed: { premisesId: string; clientId: string | null; keepAll: boolean }[];
  audit: AuditChange[];
}

export const premisesKeyOf = (buildingId: string, type: string, number: string) =>
  `${buildingId}|${type}|${premisesNumberKey(number)}`;
export const occupancyKeyOf = (premisesId: string, clientId: string) => `${premisesId}|${clientId}`;
export const externalKeyOf = (space: CrmSpace, system: string, value: string) => `${space}|${system}|${value}`;

/** Any phone (login or contact) → the cards carrying it. */
export function cardsByAnyPhone(cards: Iterable<ClientEntity>): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const card of cards)
    for (const phone of [card.phone, ...card.extraPhones])
      if (phone) map.set(phone, (map.get(phone) ?? new Set()).add(card.id));
  return map;
}
