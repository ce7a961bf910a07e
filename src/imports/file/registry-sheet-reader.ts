import type { RegistryKey } from '../registry-columns';
import { fileErrors, ImportFileError } from './registry-file-error';
import { matchHeader, recognizedColumns, RegistryHeader } from './registry-header';
import type { RawRegistryRow } from '../rows/registry-row';
import { unguardFormula } from '../export/formula-guard';

export interface RegistrySheetReader {
  format: 'xlsx' | 'csv';
  /** The header row's cell texts as written, in file order (the error report repeats it). */
  header: string[];
  /** The registry keys the header names, in file order; null for a column that is not loaded. */
  columns: (RegistryKey | null)[];
  /** Headers of the columns the template does not have: left out, reported to the clerk as a warning. */
  ignoredColumns: string[];
  /** The header's row number (a title may stand above it). */
  headerRow: number;
  /**
   * Data rows after the header; fully empty rows are skipped but keep numbering. Throws ImportFileError
   * (e.g. TOO_MANY_ROWS) mid-way if needed. The file is read once: iterate once; the end, a break or
   * a failure closes the reader.
   */
  rows(): AsyncIterable<RawRegistryRow>;
  /** 0..1: how much of the file has been consumed (bytes of the input read / file size) — used for percent. */
  progress(): number;
  /** Removes every temp file and closes streams; safe to call twice, also after a failure or an early break. */
  close(): Promise<void>;
}

/** A sheet's rows as text, whatever the file format: what the xlsx and CSV readers hand over. */
export interface SheetRowSource {
  format: 'xlsx' | 'csv';
  /** Rows in file order, each cell as text, `rowNumber` 1-based as the spreadsheet shows it. */
  next(): Promise<{ rowNumber: number; cells: string[] } | null>;
  progress(): number;
  close(): Promise<void>;
  /** Moves to the workbook's next sheet (an xlsx with the registry not first); false when there is none. */
  nextSheet?(): Promise<boolean>;
}

/** A title, a date line or a blank row may stand above the header: it is looked for this far down. */
export const HEADER_SEARCH_ROWS = 10;

type SheetRow = NonNullable<Awaited<ReturnType<SheetRowSource['next']>>>;

/**
 * Checks the header and that at least one data row follows (a header-only file is refused before the
 * import starts), then serves the rows. Closes the source when refusing.
 */
export async function openSheet(source: SheetRowSource, maxRows: number): Promise<RegistrySheetReader> {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= source.close());
  const nextDataRow = async (): Promise<SheetRow | null> => {
    for (let row = await source.next(); row; row = await source.next()) {
      if (row.cells.some((c) => c !== '')) return row;
    }
    return null;
  };

  let header: string[];
  let columns: (RegistryKey | null)[];
  let ignored: string[];
  let headerRow: number;
  let first: SheetRow | null;
  try {
    ({ header, columns, ignored, row: headerRow } = await findHeader(source));
    first = await nextDataRow();
    if (!first) throw fileErrors.noDataRows();
  } catch (error) {
    await close();
    throw error;
  }

  const toRaw = ({ rowNumber, cells }: SheetRow): RawRegistryRow => {
    const original =
      cells.length < header.length ? [...cells, ...Array<string>(header.length - cells.length).fill('')] : cells;
    const raw: RawRegistryRow['cells'] = {};
    columns.forEach((key, index) => {
      if (key) raw[key] = unguardFormula(original[index]);
    });
    return { rowNumber, cells: raw, original };
  };

  let started = false;
  let finished = false;
  return {
    format: source.format,
    header,
    columns,
    ignoredColumns: ignored,
    headerRow,
    progress: () => (finished ? 1 : source.progress()),
    close,
    async *rows() {
      if (started) throw new Error('The registry file is read once: rows() was already iterated');
      started = true;
      try {
        let count = 0;
        for (let row: SheetRow | null = first; row; row = await nextDataRow()) {
          if (++count > maxRows) throw fileErrors.tooManyRows(maxRows);
          yield toRaw(row);
        }
        finished = true;
      } finally {
        await close();
      }
    },
  };
}

/**
 * The header: the first row, within HEADER_SEARCH_ROWS of a sheet's top, that names every required
 * column; sheet after sheet, so a registry placed after «Инструкция» or «Примечания» is found. When
 * none does, the row that came closest explains what is missing.
 */
async function findHeader(source: SheetRowSource): Promise<RegistryHeader & { row: number }> {
  let closest: { error: ImportFileError; recognized: number } | undefined;
  let sawRows = false;
  do {
    for (let read = 0; read < HEADER_SEARCH_ROWS; read++) {
      const row = await source.next();
      if (!row) break;
      const recognized = recognizedColumns(row.cells);
      sawRows ||= row.cells.some((cell) => cell !== '');
      if (recognized === 0) continue;
      try {
        return { ...matchHeader(row.cells), row: row.rowNumber };
      } catch (error) {
        if (!(error instanceof ImportFileError)) throw error;
        if (!closest || recognized > closest.recognized) closest = { error, recognized };
      }
    }
  } while (await source.nextSheet?.());
  if (closest) throw closest.error;
  throw sawRows ? fileErrors.noHeader(HEADER_SEARCH_ROWS) : fileErrors.noDataRows();
}
