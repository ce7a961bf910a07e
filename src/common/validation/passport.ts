import { IsISO8601, ValidateBy, ValidationOptions } from 'class-validator';
import { msg } from './messages';

// The series is printed as two pairs ("45 08"); the pairs are region and year, so nothing else goes between.
const PASSPORT_SERIES = /^\d{2} ?\d{2}$/;
const PASSPORT_NUMBER = /^\d{6}$/;
const POSTAL_INDEX = /^\d{6}$/;
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

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The day number (days since 1970-01-01) of "YYYY-MM-DD" naming a real calendar day, or null. Read
 * digit by digit: it runs on every date cell of an import (a regular expression's match and a Date
 * per cell cost ~1 s of a 100,000-row import's thread). Years before 100 are refused, as before
 * (Date.UTC reads them as 19xx, so they never named their own day).
 */
function dayNumber(value: string): number | null {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** The number written by value[from, to), or -1 when any of those characters is not a digit. */
function digits(value: string, from: number, to: number): number {
  let number = 0;
  for (let i = from; i < to; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** "YYYY-MM-DD" of a real calendar day, or null ("2023-02-30" is not one). */
export function calendarDay(value: string): string | null {
  return dayNumber(value) === null ? null : value;
}

/**
 * Whether an ISO date (or a Date, read as its UTC day) is not after today. Unparseable input and
 * impossible days answer false, so the rule also guards the format.
 */
export function isNotInFuture(date: string | Date, today: Date = new Date()): boolean {
  const day = typeof date === 'string' ? dayNumber(date) : Math.floor(date.getTime() / DAY_MS);
  // An invalid Date's day is NaN: refused, like an impossible day.
  if (day === null || Number.isNaN(day)) return false;
  return day <= Math.floor((today.getTime() + EASTERNMOST_OFFSET_MS) / DAY_MS);
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
