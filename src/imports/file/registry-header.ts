import { foldYo } from '../../common/text/yo';
import { REGISTRY_COLUMNS, RegistryKey } from '../registry-columns';
import { ImportFileError } from './registry-file-error';

/** Units written after a header («Площадь, м²», «Площадь (кв. м)»): not part of the column's name. */
const UNIT_SUFFIX = /(?:\s(?:кв\s)?м2?|\sкв\sм2?|\sруб)+$/;

/**
 * How staff actually write a header, reduced to what names the column: any case, «е» for «ё», spaces
 * of any kind, punctuation and signs («№», «*», «/»), and characters a re-encoding lost («?», «�»)
 * are ignored; «²» and a unit after the name go. «Площадь, м?» (a cp1251 CSV re-saved by
 * LibreOffice), «площадь м2» and «Площадь» are then one header.
 */
export function normalizeHeader(text: string): string {
  return foldYo(text.toLowerCase())
    .replace(/[^\p{L}\p{Nd}]+/gu, ' ')
    .trim()
    .replace(UNIT_SUFFIX, '')
    .trim();
}

/** Other names clerks' files give the template's columns (1C exports, older templates, hand-made sheets). */
const SYNONYMS: Partial<Record<RegistryKey, string[]>> = {
  city: ['Населённый пункт', 'Нас. пункт'],
  street: ['Наименование улицы'],
  house: ['№ дома', 'Номер дома'],
  block: ['Корп.', 'Строение', 'Корпус/строение'],
  premisesType: ['Вид помещения'],
  premisesNumber: ['№ помещения', 'Квартира', 'Номер квартиры', '№ кв.', 'Кв.'],
  entrance: ['№ подъезда'],
  area: ['Общая площадь'],
  accountNumber: ['Лицевой счёт №', 'Номер ЛС', 'Номер лицевого счёта', '№ ЛС', 'ЛС', 'Л/с', 'Л/сч'],
  organizationName: ['Наименование', 'Организация'],
  phones: ['Телефон', 'Тел.', 'Контактный телефон', 'Моб. телефон', 'Мобильный телефон'],
  email: ['Email', 'E-mail адрес', 'Эл. почта', 'Электронная почта'],
  tags: ['Метки'],
};

const KEY_BY_HEADER = new Map<string, RegistryKey>();
for (const column of REGISTRY_COLUMNS) {
  for (const name of [column.header, ...(SYNONYMS[column.key] ?? [])])
    KEY_BY_HEADER.set(normalizeHeader(name), column.key);
}

/** The error report's own columns: a corrected report can be uploaded as it is, they are read past. */
export const REPORT_COLUMN_HEADERS = ['Ошибки', 'Строка исходного файла'];
const SKIPPED = new Set(REPORT_COLUMN_HEADERS.map(normalizeHeader));

export interface RegistryHeader {
  /** The header cells as written, trailing empty cells dropped. */
  header: string[];
  /** Per header cell, its registry column; null for a column that is not loaded (unknown, or the report's own). */
  columns: (RegistryKey | null)[];
  /** Headers of columns not in the template, as written (an empty one as «№ N»): left out, reported as a warning. */
  ignored: string[];
}

const quotedRu = (names: string[]): string => names.map((n) => `«${n}»`).join(', ');
const quotedEn = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');

/** How many template columns a row names: the header row is the first that names every required one. */
export function recognizedColumns(cells: string[]): number {
  return new Set(cells.map((cell) => KEY_BY_HEADER.get(normalizeHeader(cell))).filter(Boolean)).size;
}

/**
 * Maps the header row to registry columns. Columns the template does not have are left out (and
 * listed in `ignored`); only a missing required column, or one named twice, refuses the file.
 */
export function matchHeader(cells: string[]): RegistryHeader {
  const header = cells.map((c) => c.trim());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();

  const columns: (RegistryKey | null)[] = [];
  const ignored: string[] = [];
  const duplicated: string[] = [];
  header.forEach((text, index) => {
    const normalized = normalizeHeader(text);
    const key = KEY_BY_HEADER.get(normalized);
    if (!key || SKIPPED.has(normalized)) {
      if (!SKIPPED.has(normalized)) ignored.push(text === '' ? `№ ${index + 1}` : text);
      columns.push(null);
    } else if (columns.includes(key)) {
      duplicated.push(text);
      columns.push(null);
    } else columns.push(key);
  });
  const missing = REGISTRY_COLUMNS.filter((c) => c.required && !columns.includes(c.key)).map((c) => c.header);

  if (missing.length + duplicated.length > 0) {
    const ru: string[] = [];
    const en: string[] = [];
    if (missing.length) {
      ru.push(`нет столбцов ${quotedRu(missing)}`);
      en.push(`missing columns ${quotedEn(missing)}`);
    }
    if (duplicated.length) {
      ru.push(`повторяются столбцы ${quotedRu(duplicated)}`);
      en.push(`repeated columns ${quotedEn(duplicated)}`);
    }
    throw new ImportFileError(
      'BAD_HEADER',
      `Заголовок не совпадает с шаблоном: ${ru.join('; ')}.`,
      `The header does not match the template: ${en.join('; ')}.`,
    );
  }
  return { header, columns, ignored };
}
