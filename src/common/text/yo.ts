/**
 * «ё» and «е» are one letter wherever the application compares words: Russian print writes «е» for
 * «ё» as a rule, so «Королев» and «Королёв», «Семеновская» and «Семёновская» name the same person or
 * street. Every comparison that must not tell them apart (identity keys, addresses, premises numbers,
 * headers, the import's "unchanged") folds through here; the spelling a record stores is its own.
 */

/** The text with every «ё» read as «е» (and «Ё» as «Е»); nothing else changes. */
export function foldYo(text: string): string {
  // Most text has no «ё»: two scans answer it without building new strings (foldYo runs on every
  // name, address and header cell of an import).
  if (text.indexOf('ё') === -1 && text.indexOf('Ё') === -1) return text;
  return text.replace(/ё/g, 'е').replace(/Ё/g, 'Е');
}

/** Whether two texts differ at most in «ё» against «е» (case and everything else still count). */
export function sameUpToYo(a: string, b: string): boolean {
  return a === b || (a.length === b.length && foldYo(a) === foldYo(b));
}

/**
 * What to store when a new value meets a stored one: the stored spelling when the two differ only in
 * ё/е (a file typed without «ё» does not take it away, nor add it), otherwise the new value.
 */
export function keepStoredSpelling<T>(stored: T, incoming: T): T {
  return typeof stored === 'string' && typeof incoming === 'string' && sameUpToYo(stored, incoming) ? stored : incoming;
}
