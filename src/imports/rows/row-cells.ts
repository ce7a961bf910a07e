import { unpackMessage } from '../../common/validation/messages';
import { REGISTRY_COLUMNS, RegistryKey } from '../registry-columns';
import { readChoice } from './registry-choices';
import { Cell, ParsedRegistryRow, RawRegistryRow, RegistryRow, RowProblem } from './registry-row';

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

export interface Reason {
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
// Clerks copy "−10" from the instruction sheet or type an en dash: both mean minus.
const MINUS_SIGNS = /^[−–]/;
const INTEGER = /^-?\d+$/;

export const HEADERS = new Map(REGISTRY_COLUMNS.map((column) => [column.key, column.header]));

/** Narrows a cell to its text; an empty cell or an absent column passes through as null or undefined. */
export function hasText(text: Cell<string>): text is string {
  return text !== null && text !== undefined;
}

/** Long cells are cut in messages so a report line stays readable. */
function shown(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

/** Reads the row's cells and collects what is wrong with them. */
export class RowCells {
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

export function requiredText(cells: RowCells, key: RegistryKey): string {
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

export function optionalText(cells: RowCells, key: RegistryKey): Cell<string> {
  const text = cells.text(key);
  if (hasText(text)) checkLength(cells, key, text);
  return text;
}

/**
 * The value of an enumerated cell. Unknown text stops the row: a wrong premises type, role or flag
 * written into the CRM is worse than a row the clerk fixes and imports again.
 */
export function choice<T extends string>(cells: RowCells, key: RegistryKey): Cell<T> {
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

export function yesNo(cells: RowCells, key: RegistryKey): Cell<boolean> {
  const value = choice(cells, key);
  return value === null || value === undefined ? value : value === 'true';
}

/** A whole number within the premises input's limits; a bad one is dropped (the field stays as it is). */
export function integer(cells: RowCells, key: RegistryKey, range: { min: number; max: number }): Cell<number> {
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

/**
 * A text cell checked by a card validator: `normalize` gives the stored form or null. A bad value
 * is dropped and the field left as it is, so one typo does not hold back the premises and account.
 */
export function validated(
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
