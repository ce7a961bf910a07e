import { ClientType } from '../../clients/client-enums';
import { NameParts, tagKey, tidyTagName } from '../../clients/client-names';
import { innTypeMismatch, missingNames } from '../../clients/client-rules';
import { decimalText } from '../../common/graphql/decimal.scalar';
import { EMAIL_MESSAGE, isValidEmail } from '../../common/validation/email';
import { INN_MESSAGE, isValidInn } from '../../common/validation/inn';
import { unpackMessage } from '../../common/validation/messages';
import {
  calendarDay,
  isNotInFuture,
  isPassportNumber,
  normalizePassportSeries,
  PASSPORT_NUMBER_MESSAGE,
  PASSPORT_SERIES_MESSAGE,
} from '../../common/validation/passport';
import { normalizePhone, PHONE_MESSAGE, splitPhones } from '../../common/validation/phone';
import { isValidSnils, normalizeSnils, SNILS_MESSAGE } from '../../common/validation/snils';
import { CrmSpace } from '../../kernel/crm-space';
import { OccupancyRole } from '../../occupancy/occupancy-enums';
import { PremisesType } from '../../premises/premises-type';
import { REGISTRY_COLUMNS, RegistryKey } from '../registry-columns';
import { readChoice } from './registry-choices';
import { DATE_FORMAT, isoDate, LOOKS_LIKE_YEAR } from './registry-dates';
import { Cell, ParsedRegistryRow, RawRegistryRow, RegistryClient, RegistryRow, RowProblem } from './registry-row';

/** The stable codes of `RowProblem.code`; the import report and its UI key on them. */
export type RowProblemCode =
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'UNKNOWN_CHOICE'
  | 'INVALID_NUMBER'
  | 'INVALID_PREMISES_NUMBER'
  | 'INVALID_ACCOUNT_NUMBER'
  | 'ACCOUNT_NUMBER_REQUIRED'
  | 'INVALID_PHONE'
  | 'TOO_MANY_PHONES'
  | 'INVALID_EMAIL'
  | 'INVALID_DATE'
  | 'DATE_IN_FUTURE'
  | 'INVALID_INN'
  | 'INVALID_SNILS'
  | 'INVALID_PASSPORT_SERIES'
  | 'INVALID_PASSPORT_NUMBER'
  | 'EXTERNAL_ID_INCOMPLETE'
  | 'ROW_REJECTED';

interface Reason {
  ru: string;
  en: string;
}

// The limits of the inputs the row ends up in: CreateBuildingInput, CreatePremisesInput,
// CreateAccountInput, the client card (ClientFieldsInput, NewExternalIdInput, AddClientTagInput).
const MAX_LENGTH: Partial<Record<RegistryKey, number>> = {
  city: 200,
  street: 200,
  house: 20,
  block: 50,
  premisesNumber: 20,
  accountNumber: 30,
  lastName: 100,
  firstName: 100,
  middleName: 100,
  organizationName: 300,
  externalSystem: 100,
  externalId: 200,
};
const TAG_MAX_LENGTH = 50;
const ENTRANCES = { min: 1, max: 100 };
const FLOORS = { min: -10, max: 200 };
// The card keeps the login phone plus at most 10 extra ones.
const MAX_PHONES = 11;
const PREMISES_NUMBER_CONTENT = /[0-9A-Za-zА-Яа-яЁё]/;
const ACCOUNT_NUMBER_CHARS = /^[0-9A-Za-zА-Яа-яЁё\-/ ]+$/;
const TAG_SEPARATORS = /[;\r\n]+/;
// Clerks copy "−10" from the instruction sheet or type an en dash: both mean minus.
const MINUS_SIGNS = /^[−–]/;
const INTEGER = /^-?\d+$/;

const CLIENT_KEYS: readonly RegistryKey[] = [
  'clientType',
  'lastName',
  'firstName',
  'middleName',
  'organizationName',
  'phones',
  'email',
  'birthDate',
  'inn',
  'snils',
  'passportSeries',
  'passportNumber',
  'role',
  'keepOnSync',
  'externalSpace',
  'externalSystem',
  'externalId',
  'tags',
];

const HEADERS = new Map(REGISTRY_COLUMNS.map((column) => [column.key, column.header]));

/** Narrows a cell to its text; an empty cell or an absent column passes through as null or undefined. */
function hasText(text: Cell<string>): text is string {
  return text !== null && text !== undefined;
}

/** Long cells are cut in messages so a report line stays readable. */
function shown(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

/** Reads the row's cells and collects what is wrong with them. */
class RowCells {
  private readonly found: { problem: RowProblem; blocking: boolean }[] = [];

  constructor(private readonly cells: RawRegistryRow['cells']) {}

  /** Trimmed text; null for an empty cell (spaces only count as empty), undefined when the file has no such column. */
  text(key: RegistryKey): Cell<string> {
    const value = this.cells[key];
    if (value === undefined) return undefined;
    return value.trim() || null;
  }

  filled(key: RegistryKey): boolean {
    return hasText(this.text(key));
  }

  /** A problem that only drops this cell's value (undefined: the field is left as it is); the row still imports. */
  drop(key: RegistryKey, code: RowProblemCode, value: string | null, reason: Reason): undefined {
    this.found.push({ problem: problem(key, code, value, reason), blocking: false });
    return undefined;
  }

  /** A problem that makes the whole row unusable: a refused value never leaves the parser. */
  refuse(key: RegistryKey, code: RowProblemCode, value: string | null, reason: Reason): void {
    this.found.push({ problem: problem(key, code, value, reason), blocking: true });
  }

  /** Every problem; when the row cannot be imported, a row-level verdict first naming every column to fix. */
  result(row: RegistryRow): ParsedRegistryRow {
    const problems = this.found.map((f) => f.problem);
    const blocking = [...new Set(this.found.filter((f) => f.blocking).map((f) => HEADERS.get(f.problem.column!)!))];
    if (!blocking.length) return { row, problems };
    const verdict: RowProblem = {
      column: null,
      code: 'ROW_REJECTED',
      ru: `Строка не загружена — исправьте колонки: ${blocking.join(', ')}`,
      en: `Row not imported — fix the columns: ${blocking.join(', ')}`,
    };
    return { row: null, problems: [verdict, ...problems] };
  }
}

function problem(column: RegistryKey, code: RowProblemCode, value: string | null, reason: Reason): RowProblem {
  const header = HEADERS.get(column)!;
  if (value === null) return { column, code, ru: `${header}: ${reason.ru}`, en: `${header}: ${reason.en}` };
  return {
    column,
    code,
    ru: `${header}: «${shown(value)}» — ${reason.ru}`,
    en: `${header}: "${shown(value)}" — ${reason.en}`,
  };
}

/** A cell longer than its field allows: cutting a name or an identifier would store a different one, so the row stops. */
function checkLength(cells: RowCells, key: RegistryKey, text: string): void {
  const max = MAX_LENGTH[key];
  if (max !== undefined && text.length > max) {
    cells.refuse(key, 'TOO_LONG', text, {
      ru: `не длиннее ${max} символов, а здесь ${text.length}`,
      en: `at most ${max} characters, this one has ${text.length}`,
    });
  }
}

function requiredText(cells: RowCells, key: RegistryKey): string {
  const text = cells.text(key);
  if (text === undefined) {
    cells.refuse(key, 'REQUIRED', null, {
      ru: 'колонки нет в файле — добавьте её',
      en: 'the file has no such column — add it',
    });
  } else if (text === null) {
    cells.refuse(key, 'REQUIRED', null, {
      ru: 'обязательная колонка, а ячейка пуста',
      en: 'required, but the cell is empty',
    });
  } else {
    checkLength(cells, key, text);
  }
  return text ?? '';
}

function optionalText(cells: RowCells, key: RegistryKey): Cell<string> {
  const text = cells.text(key);
  if (hasText(text)) checkLength(cells, key, text);
  return text;
}

/**
 * The value of an enumerated cell. Unknown text stops the row: a wrong premises type, role or flag
 * written into the CRM is worse than a row the clerk fixes and imports again.
 */
function choice<T extends string>(cells: RowCells, key: RegistryKey): Cell<T> {
  const text = cells.text(key);
  if (!hasText(text)) return text;
  const { value, allowed } = readChoice(key, text);
  if (value === undefined)
    cells.refuse(key, 'UNKNOWN_CHOICE', text, {
      ru: `нет в списке; допустимо: ${allowed}`,
      en: `not in the list; allowed: ${allowed}`,
    });
  return value as T | undefined;
}

function yesNo(cells: RowCells, key: RegistryKey): Cell<boolean> {
  const value = choice(cells, key);
  return value === null || value === undefined ? value : value === 'true';
}

/** A whole number within the premises input's limits; a bad one is dropped (the field stays as it is). */
function integer(cells: RowCells, key: RegistryKey, range: { min: number; max: number }): Cell<number> {
  const text = cells.text(key);
  if (!hasText(text)) return text;
  const normalized = text.replace(MINUS_SIGNS, '-');
  const value = INTEGER.test(normalized) ? Number(normalized) : NaN;
  if (value >= range.min && value <= range.max) return value;
  return cells.drop(key, 'INVALID_NUMBER', text, {
    ru: `нужно целое число от ${range.min} до ${range.max}`,
    en: `must be a whole number from ${range.min} to ${range.max}`,
  });
}

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

/**
 * A text cell checked by a card validator: `normalize` gives the stored form or null. A bad value
 * is dropped and the field left as it is, so one typo does not hold back the premises and account.
 */
function validated(
  cells: RowCells,
  key: RegistryKey,
  code: RowProblemCode,
  message: string,
  normalize: (text: string) => string | null,
): Cell<string> {
  const text = cells.text(key);
  if (!hasText(text)) return text;
  return normalize(text) ?? cells.drop(key, code, text, unpackMessage(message));
}

/** Good numbers in the cell's order without repeats; bad ones reported and skipped. No good one at all leaves the field as it is. */
function phones(cells: RowCells): Cell<string[]> {
  const text = cells.text('phones');
  if (!hasText(text)) return text;
  const parts = splitPhones(text);
  if (!parts.length) return null;
  const numbers: string[] = [];
  for (const part of parts) {
    const phone = normalizePhone(part);
    if (phone === null) cells.drop('phones', 'INVALID_PHONE', part, unpackMessage(PHONE_MESSAGE));
    else if (!numbers.includes(phone)) numbers.push(phone);
  }
  if (numbers.length > MAX_PHONES) {
    cells.drop('phones', 'TOO_MANY_PHONES', numbers.slice(MAX_PHONES).join('; '), {
      ru: `у клиента не больше ${MAX_PHONES} телефонов; эти не загружены`,
      en: `a client has at most ${MAX_PHONES} phones; these were not imported`,
    });
  }
  return numbers.length ? numbers.slice(0, MAX_PHONES) : undefined;
}

/** ДД.ММ.ГГГГ, the reader's YYYY-MM-DD or an Excel day number → a real day not after today; a bad one is dropped. */
function birthDate(cells: RowCells, today: Date): Cell<string> {
  const text = cells.text('birthDate');
  if (!hasText(text)) return text;
  if (LOOKS_LIKE_YEAR.test(text)) {
    return cells.drop('birthDate', 'INVALID_DATE', text, {
      ru: `похоже на год, а нужна полная дата: ${DATE_FORMAT.ru}`,
      en: `looks like a year; write the full date: ${DATE_FORMAT.en}`,
    });
  }
  const iso = isoDate(text);
  if (iso === null) {
    return cells.drop('birthDate', 'INVALID_DATE', text, {
      ru: `дата не распознана: укажите её как ${DATE_FORMAT.ru}`,
      en: `date not recognized: write it as ${DATE_FORMAT.en}`,
    });
  }
  if (calendarDay(iso) === null) {
    return cells.drop('birthDate', 'INVALID_DATE', text, {
      ru: 'такого дня нет в календаре',
      en: 'there is no such day in the calendar',
    });
  }
  if (!isNotInFuture(iso, today)) {
    return cells.drop('birthDate', 'DATE_IN_FUTURE', text, {
      ru: 'дата рождения не может быть позже сегодняшнего дня',
      en: 'a birth date cannot be later than today',
    });
  }
  return iso;
}

/** A checksum-valid INN that also fits the client's type, as the card requires; otherwise dropped. */
function inn(cells: RowCells, type: ClientType | undefined): Cell<string> {
  const value = validated(cells, 'inn', 'INVALID_INN', INN_MESSAGE, (text) => (isValidInn(text) ? text : null));
  if (!hasText(value) || type === undefined) return value;
  const mismatch = innTypeMismatch(type, value);
  return mismatch ? cells.drop('inn', 'INVALID_INN', value, mismatch) : value;
}

/** Tag names as the tags service tidies them, one per spelling (case, ё, quotes and spaces aside); too long ones dropped. */
function tags(cells: RowCells): Cell<string[]> {
  const text = cells.text('tags');
  if (!hasText(text)) return text;
  const names = new Map<string, string>();
  let dropped = false;
  for (const name of text.split(TAG_SEPARATORS).map(tidyTagName).filter(Boolean)) {
    if (name.length > TAG_MAX_LENGTH) {
      dropped = true;
      cells.drop('tags', 'TOO_LONG', name, {
        ru: `метка не длиннее ${TAG_MAX_LENGTH} символов`,
        en: `a tag has at most ${TAG_MAX_LENGTH} characters`,
      });
    } else if (!names.has(tagKey(name))) {
      names.set(tagKey(name), name);
    }
  }
  // Like phones: when every tag was refused the client's tags stay as they are; separators alone are an empty cell.
  if (names.size) return [...names.values()];
  return dropped ? undefined : null;
}

/** The identifier comes as a pair: half of one cannot find or label the client, so the row stops. */
function externalId(cells: RowCells): RegistryClient['externalId'] {
  const space = choice<CrmSpace>(cells, 'externalSpace') ?? null;
  const system = optionalText(cells, 'externalSystem');
  const value = optionalText(cells, 'externalId');
  if (!system && !value && !space) return null;
  const pair = `${HEADERS.get('externalSystem')} + ${HEADERS.get('externalId')}`;
  for (const key of ['externalSystem', 'externalId'] as const) {
    if (!cells.filled(key)) {
      cells.refuse(key, 'EXTERNAL_ID_INCOMPLETE', null, {
        ru: `пусто, а внешний ID загружается только парой «${pair}»`,
        en: `empty, but an external ID is imported only as the pair "${pair}"`,
      });
    }
  }
  return system && value ? { space, system, value } : null;
}

/** The card's rule: a person needs a last and first name, an organization its name. */
function checkNames(cells: RowCells, parts: NameParts): void {
  for (const rule of missingNames(parts)) cells.refuse(rule.field, 'REQUIRED', null, rule);
}

function client(cells: RowCells, today: Date): RegistryClient | null {
  if (!CLIENT_KEYS.some((key) => cells.filled(key))) return null;
  const chosen = choice<ClientType>(cells, 'clientType');
  // Undefined when the type is unknown (already reported): which names and INN it needs cannot be told.
  const type = chosen === undefined && cells.filled('clientType') ? undefined : (chosen ?? ClientType.INDIVIDUAL);
  const names = {
    lastName: optionalText(cells, 'lastName'),
    firstName: optionalText(cells, 'firstName'),
    middleName: optionalText(cells, 'middleName'),
    organizationName: optionalText(cells, 'organizationName'),
  };
  if (type !== undefined) checkNames(cells, { type, ...names });
  return {
    type: type ?? ClientType.INDIVIDUAL,
    ...names,
    phones: phones(cells),
    email: validated(cells, 'email', 'INVALID_EMAIL', EMAIL_MESSAGE, (text) =>
      isValidEmail(text) ? text.toLowerCase() : null,
    ),
    birthDate: birthDate(cells, today),
    inn: inn(cells, type),
    snils: validated(cells, 'snils', 'INVALID_SNILS', SNILS_MESSAGE, (text) =>
      isValidSnils(text) ? normalizeSnils(text) : null,
    ),
    passportSeries: validated(
      cells,
      'passportSeries',
      'INVALID_PASSPORT_SERIES',
      PASSPORT_SERIES_MESSAGE,
      normalizePassportSeries,
    ),
    passportNumber: validated(cells, 'passportNumber', 'INVALID_PASSPORT_NUMBER', PASSPORT_NUMBER_MESSAGE, (text) =>
      isPassportNumber(text) ? text : null,
    ),
    role: choice<OccupancyRole>(cells, 'role'),
    keepOnSync: yesNo(cells, 'keepOnSync'),
    externalId: externalId(cells),
    tags: tags(cells),
  };
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
