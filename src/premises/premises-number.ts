/** Latin letters that look like Cyrillic ones; a clerk typing "12A" in the wrong layout means "12А". */
const LATIN_TO_CYRILLIC: Record<string, string> = { A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У' };
const PREFIX_WORDS = /^(КВАРТИРА|КВ|ПОМЕЩЕНИЕ|ПОМ|№)\.?\s*/;

/** The key premises numbers are unique by: upper case, Cyrillic look-alikes, no spaces, dashes or "кв." prefix. */
export function premisesNumberKey(number: string): string {
  return number
    .trim()
    .toUpperCase()
    .replace(/Ё/g, 'Е')
    .replace(PREFIX_WORDS, '')
    .replace(/[A-Z]/g, (c) => LATIN_TO_CYRILLIC[c] ?? c)
    .replace(/[\s\-–—_.,/\\]/g, '');
}

/** Natural-order key: each run of digits left-padded, so "2" < "10" < "10А" < "П-3". */
export function premisesNumberSort(number: string): string {
  return premisesNumberKey(number).replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(10, '0'));
}
