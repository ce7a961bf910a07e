import { IsOptional, validate } from 'class-validator';
import {
  calendarDay,
  isNotInFuture,
  IsPassportNumber,
  isPassportNumber,
  IsPassportSeries,
  isPassportSeries,
  IsPostalIndex,
  isPostalIndex,
  normalizePassportSeries,
  NOT_IN_FUTURE_MESSAGE,
  NotInFuture,
  PASSPORT_NUMBER_MESSAGE,
  PASSPORT_SERIES_MESSAGE,
  POSTAL_INDEX_MESSAGE,
} from './passport';

describe('passport series', () => {
  it.each([
    ['4508', '4508'],
    ['45 08', '4508'],
    ['0000', '0000'],
  ])('reads %j as %s', (input, series) => {
    expect(normalizePassportSeries(input)).toBe(series);
    expect(isPassportSeries(input)).toBe(true);
  });

  it.each(['', '450', '45080', '4 508', '450 8', '45  08', '45-08', '45 0A', 'АБВГ', ' 4508'])(
    'refuses %j',
    (input) => {
      expect(normalizePassportSeries(input)).toBeNull();
      expect(isPassportSeries(input)).toBe(false);
    },
  );
});

describe('isPassportNumber', () => {
  it.each(['123456', '000001'])('accepts %j', (input) => {
    expect(isPassportNumber(input)).toBe(true);
  });

  it.each(['', '12345', '1234567', '123 456', '12345O', 'номер'])('refuses %j', (input) => {
    expect(isPassportNumber(input)).toBe(false);
  });
});

describe('isPostalIndex', () => {
  it.each(['101000', '690091'])('accepts %j', (input) => {
    expect(isPostalIndex(input)).toBe(true);
  });

  it.each(['', '10100', '1010000', '101 000', '10100А', 'SW1A 1AA'])('refuses %j', (input) => {
    expect(isPostalIndex(input)).toBe(false);
  });
});

describe('isNotInFuture', () => {
  const noonUtc = new Date('2024-05-10T09:00:00Z'); // 12:00 in Moscow, 21:00 in Kamchatka

  it.each(['2024-05-10', '2024-05-09', '2000-01-01', '2024-02-29'])('accepts %s on 2024-05-10', (date) => {
    expect(isNotInFuture(date, noonUtc)).toBe(true);
  });

  it.each(['2024-05-11', '2025-01-01', '2204-05-10'])('refuses %s on 2024-05-10', (date) => {
    expect(isNotInFuture(date, noonUtc)).toBe(false);
  });

  it.each(['', '10.05.2024', '2024-5-1', '2024-05-10T00:00:00Z', '2023-02-29', '2024-13-01', '2024-04-31', 'вчера'])(
    'refuses %j, which is not a YYYY-MM-DD day',
    (date) => {
      expect(isNotInFuture(date, noonUtc)).toBe(false);
    },
  );

  it('counts today as it already is in the easternmost Russian zone, UTC+12', () => {
    // 13:00 UTC on the 10th is the 11th in Kamchatka: a clerk there may write the 11th.
    expect(isNotInFuture('2024-05-11', new Date('2024-05-10T13:00:00Z'))).toBe(true);
    expect(isNotInFuture('2024-05-12', new Date('2024-05-10T13:00:00Z'))).toBe(false);
    expect(isNotInFuture('2024-05-11', new Date('2024-05-10T11:59:59Z'))).toBe(false);
  });

  it('reads a Date as its UTC day', () => {
    expect(isNotInFuture(new Date('2024-05-10'), noonUtc)).toBe(true);
    expect(isNotInFuture(new Date('2024-05-11'), noonUtc)).toBe(false);
    expect(isNotInFuture(new Date('nonsense'), noonUtc)).toBe(false);
    // Beyond year 9999 an ISO string is "+010000-…", which compared as text came before "2024-…".
    expect(isNotInFuture(new Date(Date.UTC(10000, 0, 1)), noonUtc)).toBe(false);
    expect(isNotInFuture(new Date(Date.UTC(-1, 0, 1)), noonUtc)).toBe(true);
  });

  it('defaults today to now', () => {
    expect(isNotInFuture(new Date().toISOString().slice(0, 10))).toBe(true);
    expect(isNotInFuture(`${new Date().getUTCFullYear() + 2}-01-01`)).toBe(false);
  });
});

class Passport {
  @IsPassportSeries()
  series: unknown = '45 08';

  @IsPassportNumber()
  number: unknown = '123456';

  @NotInFuture()
  issuedOn: unknown = '2010-06-30';

  @IsOptional()
  @IsPostalIndex()
  postalIndex?: unknown;

  @IsOptional()
  @IsPostalIndex({ message: 'custom' })
  otherIndex?: unknown;
}

async function failures(values: Record<string, unknown>): Promise<unknown[]> {
  const errors = await validate(Object.assign(new Passport(), values));
  return errors.map((error) => [error.property, error.constraints]);
}

describe('passport decorators', () => {
  it('pass good values', async () => {
    expect(await failures({})).toEqual([]);
    expect(await failures({ series: '4508', postalIndex: '101000', issuedOn: new Date('2010-06-30') })).toEqual([]);
  });

  it('fail bad values, each with its bilingual message', async () => {
    expect(await failures({ series: '450', number: '12345', issuedOn: '2999-01-01', postalIndex: '1010' })).toEqual([
      ['series', { isPassportSeries: PASSPORT_SERIES_MESSAGE }],
      ['number', { isPassportNumber: PASSPORT_NUMBER_MESSAGE }],
      ['issuedOn', { notInFuture: NOT_IN_FUTURE_MESSAGE }],
      ['postalIndex', { isPostalIndex: POSTAL_INDEX_MESSAGE }],
    ]);
    for (const text of [
      PASSPORT_SERIES_MESSAGE,
      PASSPORT_NUMBER_MESSAGE,
      NOT_IN_FUTURE_MESSAGE,
      POSTAL_INDEX_MESSAGE,
    ]) {
      expect(JSON.parse(text)).toEqual({ ru: expect.any(String), en: expect.any(String) });
    }
  });

  it('fail values that are not strings', async () => {
    expect(await failures({ series: 4508, number: 123456, issuedOn: 20100630 })).toHaveLength(3);
  });

  it('take a message from the options', async () => {
    expect(await failures({ otherIndex: '1' })).toEqual([['otherIndex', { isPostalIndex: 'custom' }]]);
  });
});

describe('calendarDay', () => {
  /** The Date-based reading it replaced: a day is real when Date.UTC gives back the same year, month and day. */
  function byDate(value: string): string | null {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) return null;
    const [, year, month, day] = match.map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    return real ? value : null;
  }

  const pad = (n: number, width: number) => String(n).padStart(width, '0');

  it('answers as the Date-based reading for every year, month 00-13 and day 00-32 of the years around its edges', () => {
    const years = [0, 1, 4, 99, 100, 101, 1582, 1899, 1900, 1904, 1999, 2000, 2001, 2023, 2024, 2100, 2400, 9999];
    let compared = 0;
    for (const year of years)
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++) {
          const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect([value, calendarDay(value)]).toEqual([value, byDate(value)]);
          compared++;
        }
    expect(compared).toBe(years.length * 14 * 33);
  });

  it.each(['2024-02-29', '2000-02-29', '1900-02-28', '2023-12-31', '0100-01-01'])('accepts %s', (value) => {
    expect(calendarDay(value)).toBe(value);
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-04-31',
    '2024-00-10',
    '2024-13-01',
    '0099-12-31',
    '2024-5-01',
    '2024-05-1',
    '2024/05/01',
    '2024-05-01 ',
    ' 2024-05-01',
    '2024-0a-01',
    '２０２４-05-01',
    '+02024-05-01',
    '',
  ])('refuses %j as the Date-based reading does', (value) => {
    expect(calendarDay(value)).toBeNull();
    expect(byDate(value)).toBeNull();
  });
});
