import { REGISTRY_COLUMNS, RegistryKey } from './registry-columns';
import { ImportFileError } from './registry-file-error';

/**
 * How staff actually write a header: any case, stray spaces (non-breaking ones too, from copy-paste),
 * "е" for "ё", "м2" for "м²", and a "*" that some templates put after required columns.
 */
export function normalizeHeader(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*\*+$/, '')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/²/g, '2');
}

const KEY_BY_HEADER = new Map(REGISTRY_COLUMNS.map((c) => [normalizeHeader(c.header), c.key]));
/** The error report's own columns: a corrected report can be uploaded as it is, they are read past. */
export const REPORT_COLUMN_HEADERS = ['Ошибки', 'Строка исходного файла'];
const SKIPPED = new Set(REPORT_COLUMN_HEADERS.map(normalizeHeader));

export interface RegistryHeader {
  /** The header cells as written, trailing empty cells dropped. */
  header: string[];
  /** Per header cell, its registry column; null for the report's own columns, which are not data. */
  columns: (RegistryKey | null)[];
}

const quotedRu = (names: string[]): string => names.map((n) => `«${n}»`).join(', ');
const quotedEn = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');

/** Maps the header row to registry columns, or refuses the file naming every mismatch at once. */
export function matchHeader(cells: string[]): RegistryHeader {
  const header = cells.map((c) => c.trim());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();

  const columns: (RegistryKey | null)[] = [];
  const unknown: string[] = [];
  const duplicated: string[] = [];
  const unnamed: number[] = [];
  header.forEach((text, index) => {
    if (text === '') {
      unnamed.push(index + 1);
      return;
    }
    if (SKIPPED.has(normalizeHeader(text))) {
      columns.push(null);
      return;
    }
    const key = KEY_BY_HEADER.get(normalizeHeader(text));
    if (!key) unknown.push(text);
    else if (columns.includes(key)) duplicated.push(text);
    else columns.push(key);
  });
  const missing = REGISTRY_COLUMNS.filter((c) => c.required && !columns.includes(c.key)).map((c) => c.header);

  if (missing.length + unknown.length + duplicated.length + unnamed.length > 0) {
    const ru: string[] = [];
    const en: string[] = [];
    if (missing.length) {
      ru.push(`нет столбцов ${quotedRu(missing)}`);
      en.push(`missing columns ${quotedEn(missing)}`);
    }
    if (unknown.length) {
      ru.push(`неизвестные столбцы ${quotedRu(unknown)}`);
      en.push(`unknown columns ${quotedEn(unknown)}`);
    }
    if (duplicated.length) {
      ru.push(`повторяются столбцы ${quotedRu(duplicated)}`);
      en.push(`repeated columns ${quotedEn(duplicated)}`);
    }
    if (unnamed.length) {
      ru.push(`без заголовка столбцы № ${unnamed.join(', ')}`);
      en.push(`columns no. ${unnamed.join(', ')} have no header`);
    }
    throw new ImportFileError('BAD_HEADER',
      `Заголовок не совпадает с шаблоном: ${ru.join('; ')}.`,
      `The header does not match the template: ${en.join('; ')}.`);
  }
  return { header, columns };
}
