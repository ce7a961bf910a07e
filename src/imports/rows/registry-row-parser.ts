import { decimalText } from '../../common/text/decimal-text';
import { PremisesType } from '../../premises/premises-type';
import { client } from './client-cells';
import { Cell, ParsedRegistryRow, RawRegistryRow, RegistryRow } from './registry-row';
import { choice, hasText, HEADERS, integer, optionalText, requiredText, RowCells, yesNo } from './row-cells';

export type { RowProblemCode } from './row-cells';

const ENTRANCES = { min: 1, max: 100 };
const FLOORS = { min: -10, max: 200 };
const PREMISES_NUMBER_CONTENT = /[0-9A-Za-zА-Яа-яЁё]/;
const ACCOUNT_NUMBER_CHARS = /^[0-9A-Za-zА-Яа-яЁё\-/ ]+$/;

/** m² as numeric(12,2) holds it ("54.30"), read with the Decimal scalar's rule; a bad one is dropped. */
function area(cells: RowCells): Cell<string> {
  const text = cells.text('area');
  if (!hasText(text)) return text;
  const decimal = decimalText(text);
  if (decimal !== null && Number(decimal) > 0) {
    const [whole, fraction = ''] = decimal.split('.');
    return `${whole.replace(/^0+(?=\d)/, '')}.${fraction.padEnd(2, '0')}`;
  }
  return cells.drop('area', 'INVALID_NUMBER', text, {
    ru: 'нужно число больше нуля, до двух знаков после запятой, например 54,30',
    en: 'must be a number above zero with up to 2 decimals, e.g. 54,30',
  });
}

function premisesNumber(cells: RowCells): string {
  const number = requiredText(cells, 'premisesNumber');
  if (number && !PREMISES_NUMBER_CONTENT.test(number)) {
    cells.refuse('premisesNumber', 'INVALID_PREMISES_NUMBER', number, {
      ru: 'номер должен содержать цифру или букву',
      en: 'number must contain a digit or a letter',
    });
  }
  return number;
}

/** Null without a number; account flags without a number are a mistake the clerk must see, not silently ignored. */
function account(cells: RowCells): RegistryRow['account'] {
  const number = optionalText(cells, 'accountNumber');
  const hiddenFromResident = yesNo(cells, 'hiddenFromResident');
  const paymentsEnabled = yesNo(cells, 'paymentsEnabled');
  if (!number) {
    const flags = (['hiddenFromResident', 'paymentsEnabled'] as const)
      .filter((key) => cells.filled(key))
      .map((key) => `«${HEADERS.get(key)}»`);
    if (flags.length) {
      cells.refuse('accountNumber', 'ACCOUNT_NUMBER_REQUIRED', null, {
        ru: `пусто, а заполнено ${flags.join(' и ')}: укажите номер счёта или очистите эти ячейки`,
        en: `empty, but ${flags.join(' and ')} is filled: give the account number or clear those cells`,
      });
    }
    return null;
  }
  if (!ACCOUNT_NUMBER_CHARS.test(number)) {
    cells.refuse('accountNumber', 'INVALID_ACCOUNT_NUMBER', number, {
      ru: 'номер счёта: цифры, буквы, дефис, косая черта',
      en: 'account number: digits, letters, dash, slash',
    });
  }
  return { number, hiddenFromResident, paymentsEnabled };
}

/**
 * One registry row → the values the import writes, with every problem found (it never stops at the
 * first). A problem in an identity or enumerated cell (address, premises number, account number,
 * names, types, roles, flags, external ID) makes the row unusable: `row` is null. A malformed optional
 * value (entrance, floor, area, phone, e-mail, birth date, INN, SNILS, passport, tag) is reported and
 * dropped as undefined, i.e. that field is left as it is, so the rest of the row still imports.
 */
export function parseRegistryRow(raw: RawRegistryRow, today: Date = new Date()): ParsedRegistryRow {
  const cells = new RowCells(raw.cells);
  const row: RegistryRow = {
    rowNumber: raw.rowNumber,
    building: {
      city: requiredText(cells, 'city'),
      street: requiredText(cells, 'street'),
      house: requiredText(cells, 'house'),
      block: optionalText(cells, 'block'),
    },
    premises: {
      type: choice<PremisesType>(cells, 'premisesType') ?? PremisesType.FLAT,
      number: premisesNumber(cells),
      entrance: integer(cells, 'entrance', ENTRANCES),
      floor: integer(cells, 'floor', FLOORS),
      area: area(cells),
    },
    account: account(cells),
    client: client(cells, today),
  };
  return cells.result(row);
}
