import { foldYo } from '../common/text/yo';

/** Latin letters that look like Cyrillic ones; a clerk typing "12A" in the wrong layout means "12А". */
const LATIN_TO_CYRILLIC: Record<string, string> = {
  A: 'А',
  B: 'В',
  C: 'С',
  E: 'Е',
  H: 'Н',
  K: 'К',
  M: 'М',
  O: 'О',
  P: 'Р',
  T: 'Т',
  X: 'Х',
  Y: 'У',
};
const PREFIX_WORDS = /^(КВАРТИРА|КВ|ПОМЕЩЕНИЕ|ПОМ|№)\.?\s*/;

/** The key premises numbers are unique by: upper case, Cyrillic look-alikes, no spaces, dashes or "кв." prefix. */
export function premisesNumberKey(number: string): string {
  return premisesNumberWriting(number).replace(/[-–—_.,/\\]/g, '');
}

/** The number as written, less what never tells two premises apart: case, ё, look-alikes, the "кв." prefix, spaces. */
function premisesNumberWriting(number: string): string {
  return foldYo(number.trim().toUpperCase())
    .replace(PREFIX_WORDS, '')
    .replace(/[A-Z]/g, (c) => LATIN_TO_CYRILLIC[c] ?? c)
    .replace(/\s/g, '');
}

/**
 * Whether two numbers are one premises only because the key drops their separators: «1/2» and «12»,
 * «12-А» and «12А», «3.1» and «31». They may be one premises written two ways, or two premises the key
 * cannot tell apart; whoever joins them says so. «кв. 12а» and «12А» do not collide: they are one number.
 */
export function premisesNumbersCollide(a: string, b: string): boolean {
  return (
    a !== b && premisesNumberKey(a) === premisesNumberKey(b) && premisesNumberWriting(a) !== premisesNumberWriting(b)
  );
}

/** Natural-order key: each run of digits left-padded, so "2" < "10" < "10А" < "П-3". */
export function premisesNumberSort(number: string): string {
  return premisesNumberKey(number).replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(10, '0'));
}
