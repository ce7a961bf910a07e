import type { ClientType } from '../clients/client-enums';
import type { CrmSpace } from '../kernel/crm-space';
import type { OccupancyRole } from '../occupancy/occupancy-enums';
import type { PremisesType } from '../premises/premises-type';
import type { RegistryKey } from './registry-columns';

/**
 * One data row as the file holds it: the cell text of every column the header names, keyed by
 * column. A key that is absent means the file has no such column (the import leaves that field
 * alone); an empty string means the cell is empty (MERGE keeps the field, REPLACE clears it).
 * Numbers arrive as their plain decimal text, date-typed cells as "YYYY-MM-DD", booleans as "true"/"false".
 */
export interface RawRegistryRow {
  /** The row's number in the sheet (1 = the header), as staff see it in Excel. */
  rowNumber: number;
  cells: Partial<Record<RegistryKey, string>>;
  /** Every cell of the row as text, in the file's column order: what the error report writes back. */
  original: string[];
}

/**
 * A field of a parsed row: `undefined` — the column is not in the file; `null` — the cell is empty;
 * a value — what the cell says, normalized.
 */
export type Cell<T> = T | null | undefined;

export interface RegistryRow {
  rowNumber: number;
  building: { city: string; street: string; house: string; block: Cell<string> };
  premises: { type: PremisesType; number: string; entrance: Cell<number>; floor: Cell<number>; area: Cell<string> };
  /** Null when the row names no account. */
  account: { number: string; hiddenFromResident: Cell<boolean>; paymentsEnabled: Cell<boolean> } | null;
  /** Null when the row has no client cells at all (a premises or account without residents). */
  client: RegistryClient | null;
}

export interface RegistryClient {
  type: ClientType;
  lastName: Cell<string>;
  firstName: Cell<string>;
  middleName: Cell<string>;
  organizationName: Cell<string>;
  /** E.164, the first is the app's login phone; bad ones are dropped and reported as row problems. */
  phones: Cell<string[]>;
  email: Cell<string>;
  /** YYYY-MM-DD. */
  birthDate: Cell<string>;
  inn: Cell<string>;
  /** 11 digits. */
  snils: Cell<string>;
  /** 4 digits. */
  passportSeries: Cell<string>;
  passportNumber: Cell<string>;
  role: Cell<OccupancyRole>;
  keepOnSync: Cell<boolean>;
  externalId: { space: CrmSpace | null; system: string; value: string } | null;
  tags: Cell<string[]>;
}

/** What is wrong with one cell (or the row, when `column` is null). */
export interface RowProblem {
  column: RegistryKey | null;
  /** Stable machine code, e.g. INVALID_PHONE, REQUIRED, UNKNOWN_CHOICE. */
  code: string;
  ru: string;
  en: string;
}

export interface ParsedRegistryRow {
  /** Null when a problem makes the row unusable (it counts as failed); otherwise it imports, problems noted. */
  row: RegistryRow | null;
  problems: RowProblem[];
}
