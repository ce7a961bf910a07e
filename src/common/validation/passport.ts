import { IsISO8601, ValidateBy, ValidationOptions } from 'class-validator';
import { msg } from './messages';

// The series is printed as two pairs ("45 08"); the pairs are region and year, so nothing else goes between.
const PASSPORT_SERIES = /^\d{2} ?\d{2}$/;
const PASSPORT_NUMBER = /^\d{6}$/;
const POSTAL_INDEX = /^\d{6}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// The server clock runs in UTC while clerks work across Russia up to UTC+12: "today" is taken in
// the easternmost zone so a date that is already today for any clerk is never refused.
const EASTERNMOST_OFFSET_MS = 12 * 60 * 60 * 1000;

export const PASSPORT_SERIES_MESSAGE = msg(
  'серия паспорта — 4 цифры, например 45 08',
  'passport series is 4 digits, e.g. 45 08',
);
export const PASSPORT_NUMBER_MESSAGE = msg(
  'номер паспорта — 6 цифр, например 123456',
  'passport number is 6 digits, e.g. 123456',
);
export const POSTAL_INDEX_MESSAGE = msg(
  'почтовый индекс — 6 цифр, например 101000',
  'postal code is 6 digits, e.g. 101000',
);
export const NOT_IN_FUTURE_MESSAGE = msg(
  'дата не может быть позже сегодняшнего дня; укажите её как ГГГГ-ММ-ДД, например 2015-06-30',
  'date cannot be later than today; write it as YYYY-MM-DD, e.g. 2015-06-30',
);

/** "4508" from "4508" or "45 08"; null for anything else. */
export function normalizePassportSeries(value: string): string | null {
  return PASSPORT_SERIES.test(value) ? value.replace(' ', '') : null;
}

export function isPassportSeries(value: string): boolean {
  return normalizePassportSeries(value) !== null;
}

export function isPassportNumber(value: string): boolean {
  return PASSPORT_NUMBER.test(value);
}

export function isPostalIndex(value: string): boolean {
  return POSTAL_INDEX.test(value);
}

/** "YYYY-MM-DD" of a real calendar day, or null ("2023-02-30" is not one). */
export function calendarDay(value: string): string | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const [, year, month, day] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? value : null;
}

/**
 * Whether an ISO date (or a Date, read as its UTC day) is not after today. Unparseable input and
 * impossible days answer false, so the rule also guards the format.
 */
export function isNotInFuture(date: string | Date, today: Date = new Date()): boolean {
  const day =
    typeof date === 'string'
      ? calendarDay(date)
      : Number.isNaN(date.getTime())
        ? null
        : date.toISOString().slice(0, 10);
  if (day === null) return false;
  const latestToday = new Date(today.getTime() + EASTERNMOST_OFFSET_MS).toISOString().slice(0, 10);
  // Equal-length "YYYY-MM-DD" strings compare the same way as the days they name.
  return day <= latestToday;
}

function stringRule(
  name: string,
  test: (value: string) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' && test(value),
        defaultMessage: (): string => message,
      },
    },
    options,
  );
}

export function IsPassportSeries(options?: ValidationOptions): PropertyDecorator {
  return stringRule('isPassportSeries', isPassportSeries, PASSPORT_SERIES_MESSAGE, options);
}

export function IsPassportNumber(options?: ValidationOptions): PropertyDecorator {
  return stringRule('isPassportNumber', isPassportNumber, PASSPORT_NUMBER_MESSAGE, options);
}

export function IsPostalIndex(options?: ValidationOptions): PropertyDecorator {
  return stringRule('isPostalIndex', isPostalIndex, POSTAL_INDEX_MESSAGE, options);
}

/** A calendar date written as YYYY-MM-DD (how every date input of the API is written). */
export function IsIsoDate(): PropertyDecorator {
  return IsISO8601({ strict: true }, { message: msg('дата в формате ГГГГ-ММ-ДД', 'a date as YYYY-MM-DD') });
}

export function NotInFuture(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notInFuture',
      validator: {
        // "today" is read per validation, not once at start-up: the service runs for days.
        validate: (value: unknown): boolean =>
          (typeof value === 'string' || value instanceof Date) && isNotInFuture(value),
        defaultMessage: (): string => NOT_IN_FUTURE_MESSAGE,
      },
    },
    options,
  );
}
