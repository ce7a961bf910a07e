/** What the row parser specs (src/imports/rows/registry-row-*.spec.ts) parse cells with. */

import { REGISTRY_COLUMNS, RegistryKey } from '../../src/imports/registry-columns';
import { ParsedRegistryRow, RegistryClient, RegistryRow } from '../../src/imports/rows/registry-row';
import { parseRegistryRow } from '../../src/imports/rows/registry-row-parser';

// 12:00 in Moscow, 21:00 in Kamchatka: the easternmost "today" is already 2024-05-10 everywhere, not yet 05-11.
export const TODAY = new Date('2024-05-10T09:00:00Z');
export const ADDRESS = { city: 'Москва', street: 'ул. Ленина', house: '5А', premisesNumber: '12' };
export const PERSON = { lastName: 'Иванов', firstName: 'Иван' };

export type Cells = Partial<Record<RegistryKey, string>>;

export function parse(cells: Cells): ParsedRegistryRow {
  return parseRegistryRow({ rowNumber: 7, cells, original: Object.values(cells) }, TODAY);
}

/** The row of a result that must have imported. */
export function row(cells: Cells): RegistryRow {
  const result = parse(cells);
  expect(result.row).not.toBeNull();
  return result.row!;
}

export function client(cells: Cells): RegistryClient {
  const parsed = row({ ...ADDRESS, ...PERSON, ...cells }).client;
  expect(parsed).not.toBeNull();
  return parsed!;
}

export function codes(result: ParsedRegistryRow): [RegistryKey | null, string][] {
  return result.problems.map((p) => [p.column, p.code]);
}

export const header = (key: RegistryKey) => REGISTRY_COLUMNS.find((c) => c.key === key)!.header;
