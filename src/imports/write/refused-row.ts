import { PremisesType } from '../../premises/premises-type';
import type { RawRegistryRow } from '../rows/registry-row';
import { choiceValue } from '../rows/registry-choices';

/** Where a refused row's premises is, read from its raw cells when they allow it. */
export interface PremisesLocator {
  building: { city: string; street: string; house: string; block: string | null };
  premises: { type: PremisesType; number: string };
}

export function locateRefusedRow(raw: RawRegistryRow): PremisesLocator | null {
  const [city, street, house, number] = [
    raw.cells.city,
    raw.cells.street,
    raw.cells.house,
    raw.cells.premisesNumber,
  ].map((cell) => cell?.trim() ?? '');
  const typeText = raw.cells.premisesType?.trim() ?? '';
  const type = typeText ? (choiceValue('premisesType', typeText) as PremisesType | undefined) : PremisesType.FLAT;
  if (!city || !street || !house || !number || !type) return null;
  return { building: { city, street, house, block: raw.cells.block?.trim() || null }, premises: { type, number } };
}
