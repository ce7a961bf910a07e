import { ClientType } from '../../clients/client-enums';
import { NameParts, tagKey, tidyTagName } from '../../clients/client-names';
import { innTypeMismatch, missingNames } from '../../clients/client-rules';
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
import { RegistryKey } from '../registry-columns';
import { DATE_FORMAT, isoDate, LOOKS_LIKE_YEAR } from './registry-dates';
import { Cell, RegistryClient } from './registry-row';
import { choice, hasText, HEADERS, optionalText, RowCells, validated, yesNo } from './row-cells';

const TAG_MAX_LENGTH = 50;
// The card keeps the login phone plus at most 10 extra ones.
const MAX_PHONES = 11;
const TAG_SEPARATORS = /[;\r\n]+/;

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

/** The row's client cells (none filled: no client), each read by the card's rules. */
export function client(cells: RowCells, today: Date): RegistryClient | null {
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
