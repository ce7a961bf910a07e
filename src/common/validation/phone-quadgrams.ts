import { sql, Sql } from '../sql/sql';

/**
 * Partial-phone matching by 4-digit runs (migration PhoneQuadgramIndexes): a GIN index on
 * phone_quadgrams(phone_digits) answers "contains these digits" for parts of four digits and more with
 * candidates that are nearly all real matches, where the trigram index's were mostly not.
 */

/** The index serves parts at least this long; shorter ones go to the trigram index or a walk. */
export const QUADGRAM_MIN_DIGITS = 4;

/** The distinct 4-digit runs of `digits`, as SQL phone_quadgrams() computes them. */
export function phoneQuadgrams(digits: string): string[] {
  const runs = new Set<string>();
  for (let i = 0; i + QUADGRAM_MIN_DIGITS <= digits.length; i++) runs.add(digits.slice(i, i + QUADGRAM_MIN_DIGITS));
  return [...runs];
}

/**
 * SQL true when `column` (digits) contains `digits`: the index is asked for the part's quadgrams, and
 * LIKE keeps the candidates where the runs are adjacent. The concatenation keeps the trigram index out
 * of the plan: the quadgram index alone finds the candidates.
 */
export function containsPhonePartSql(column: Sql, digits: string): Sql {
  return sql`phone_quadgrams(${column}) @> ${phoneQuadgrams(digits)}::text[] AND (${column} || '') LIKE ${`%${digits}%`}`;
}
