import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** ISO 8601: a date, or a date and time with an optional fraction and a zone (Z or ±hh:mm); no zone means UTC. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The instant a client wrote, or null when the text is not a real date and time. `Date.parse` alone
 * would take "2024-02-30" as March 1st and turn "2024-13-45" into an Invalid Date that fails in SQL.
 */
export function parseIsoDateTime(text: string): Date | null {
  const match = ISO.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const zone = match[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const [hours, minutes] = [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
    if (hours > 14 || minutes > 59) return null;
  }
  const iso = `${match[1]}-${match[2]}-${match[3]}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}${match[7] ? `.${match[7].slice(0, 3)}` : ''}${zone ? (zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone) : 'Z'}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function parse(value: unknown): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value; // already coerced (a re-check of executed variables)
  const date = typeof value === 'string' && value.length <= 64 ? parseIsoDateTime(value) : null;
  if (!date) {
    throw new GraphQLError(
      `DateTime: нет такой даты или времени, ожидается ISO 8601, например "2024-05-01T09:30:00Z" / not a real date and time, expected ISO 8601 such as "2024-05-01T09:30:00Z", got ${JSON.stringify(value)?.slice(0, 80)}`,
    );
  }
  return date;
}

/** Instants: ISO 8601 in, UTC ISO 8601 out. Impossible dates are the client's error, named by the field that carried them. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  parseValue: parse,
  serialize: (value) => (value instanceof Date ? value.toISOString() : (null as unknown as string)),
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING) return parse(ast.value);
    throw new GraphQLError('DateTime: ожидается строка ISO 8601 / expected an ISO 8601 string');
  },
});
