import type { RegistryKey } from './registry-columns';
import { fileErrors } from './registry-file-error';
import { matchHeader } from './registry-header';
import type { RawRegistryRow } from './registry-row';

export interface RegistrySheetReader {
  format: 'xlsx' | 'csv';
  /** The header row's cell texts as written, in file order (the error report repeats it). */
  header: string[];
  /** The registry keys the header names, in file order (unknown headers are a BAD_HEADER error). */
  columns: (RegistryKey | null)[];
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
}

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
  let first: SheetRow | null;
  try {
    const headerRow = await source.next();
    if (!headerRow) throw fileErrors.noDataRows();
    ({ header, columns } = matchHeader(headerRow.rowNumber === 1 ? headerRow.cells : []));
    first = await nextDataRow();
    if (!first) throw fileErrors.noDataRows();
  } catch (error) {
    await close();
    throw error;
  }

  const toRaw = ({ rowNumber, cells }: SheetRow): RawRegistryRow => {
    const original = cells.length < header.length ? [...cells, ...Array<string>(header.length - cells.length).fill('')] : cells;
    const raw: RawRegistryRow['cells'] = {};
    columns.forEach((key, index) => {
      if (key) raw[key] = original[index];
    });
    return { rowNumber, cells: raw, original };
  };

  let started = false;
  let finished = false;
  return {
    format: source.format,
    header,
    columns,
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
