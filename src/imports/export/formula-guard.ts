/**
 * A cell text that a spreadsheet would take for a formula once the export is re-saved as CSV and
 * opened elsewhere (`=cmd|' /C calc'!A0`, `@SUM(A1)`, `+HYPERLINK(…)`) leaves the export behind an
 * apostrophe, and the import takes the apostrophe off again, so an export imported back changes
 * nothing. Numbers and phones written with a sign ("+7 916 123-45-67", "-5") are no formula and stay
 * as they are: a clerk reads them every day.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[\d\s().,;+-]*\d[\d\s().,;+-]*$/;

export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** The text the guard protected, or the text as it is. */
export function unguardFormula(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) && !PLAIN_NUMBER.test(text.slice(1))
    ? text.slice(1)
    : text;
}
