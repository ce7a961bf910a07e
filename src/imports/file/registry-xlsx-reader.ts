import type { FileHandle } from 'node:fs/promises';
import { stream as excelStream } from 'exceljs';
import { isDateFormat } from './registry-cell-text';
import { fileErrors, ImportFileError } from './registry-file-error';
import type { SheetRowSource } from './registry-sheet-reader';
import { SheetContext, sheetXmlRows } from './registry-sheet-xml';
import { CHOICES_SHEET, INSTRUCTION_SHEET } from '../export/registry-template';
import type { ZipEntry } from './registry-zip';
import { ZipPart, ZipPartsStream } from './registry-zip-stream';

const REFERENCE_SHEETS = [INSTRUCTION_SHEET, CHOICES_SHEET];
const SHEET_PATH = /^xl\/worksheets\/sheet(\d+)\.xml$/;
const EMPTY_SHARED_STRINGS = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
);

type WorksheetReader = excelStream.xlsx.WorksheetReader & { name?: string; iterator: AsyncIterable<Buffer> };
/** What exceljs's workbook reader has read of the parts a sheet refers to. */
interface WorkbookParts {
  sharedStrings?: unknown[];
  styles?: { getStyleModel(index: number): { numFmt?: string } | null };
  properties?: { model?: { date1904?: boolean } };
}

/** The workbook's parts in the order exceljs reads best: everything a sheet refers to, then the sheets by number (Excel numbers them in tab order). */
function partsInReadingOrder(entries: ZipEntry[]): ZipPart[] | null {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  const workbook = byName.get('xl/workbook.xml');
  if (!rels || !workbook) return null;
  const styles = byName.get('xl/styles.xml');
  // Without shared strings exceljs would spool every sheet to a temp file; an empty table stops that.
  const sharedStrings = byName.get('xl/sharedStrings.xml') ?? {
    name: 'xl/sharedStrings.xml',
    content: EMPTY_SHARED_STRINGS,
  };
  const sheets = entries
    .filter((e) => SHEET_PATH.test(e.name))
    .sort((a, b) => Number(SHEET_PATH.exec(a.name)![1]) - Number(SHEET_PATH.exec(b.name)![1]));
  return [rels, workbook, ...(styles ? [styles] : []), sharedStrings, ...sheets];
}

/**
 * Each step of reading raced against the input's failure (a broken byte stream or unzipping fails the
 * row loop instead of leaving it waiting forever); any other error than a file problem, unless the
 * source was closed, means the file is damaged.
 */
function stepsFailingWith(input: ZipPartsStream, isClosed: () => boolean): <T>(promise: Promise<T>) => Promise<T> {
  /**
   * A promise that rejects when the input fails, made per step: racing every row against one
   * long-lived pending promise would keep each row alive in its reactions (≈250 MB at 20,000 rows).
   */
  const inputFailure = (): { failed: Promise<never>; dispose: () => void } => {
    let dispose: () => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      dispose = input.onFailure(reject);
    });
    return { failed, dispose };
  };

  return async <T>(promise: Promise<T>): Promise<T> => {
    const { failed, dispose } = inputFailure();
    try {
      return await Promise.race([promise, failed]);
    } catch (error) {
      if (error instanceof ImportFileError || isClosed()) throw error;
      throw fileErrors.damaged();
    } finally {
      dispose();
    }
  };
}

/** What the sheet parser needs of the parts exceljs has read: shared strings, date styles and formats, the 1904 flag. */
function sheetContextOf(parts: WorkbookParts): SheetContext {
  return {
    sharedStrings: parts.sharedStrings,
    isDateStyle: (index) => isDateFormat(parts.styles?.getStyleModel(index)?.numFmt),
    numberFormat: (index) => parts.styles?.getStyleModel(index)?.numFmt,
    date1904: parts.properties?.model?.date1904 === true,
  };
}

/** Null when the zip is not an xlsx workbook. */
export async function openXlsxSource(handle: FileHandle, entries: ZipEntry[]): Promise<SheetRowSource | null> {
  const parts = partsInReadingOrder(entries);
  if (!parts) return null;
  const input = new ZipPartsStream(handle, parts);
  // Whatever breaks the byte stream or its unzipping must fail the row loop instead of leaving it waiting forever.
  input.on('error', () => undefined); // reported through onFailure
  const workbook = new excelStream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Cached styles are what tell a date cell from a number.
    styles: 'cache',
    worksheets: 'emit',
  });
  let closed = false;
  const close = async (): Promise<void> => {
    closed = true;
    input.destroy();
    await handle.close();
  };
  const step = stepsFailingWith(input, () => closed);

  try {
    if (!entries.some((e) => SHEET_PATH.test(e.name))) throw fileErrors.noDataSheet(REFERENCE_SHEETS);
    const sheets = workbook[Symbol.asyncIterator]();
    /** The next sheet that is not one of the template's reference sheets, or undefined after the last. */
    const nextCandidate = async (): Promise<WorksheetReader | undefined> => {
      for (let next = await step(sheets.next()); !next.done; next = await step(sheets.next())) {
        const candidate = next.value as WorksheetReader;
        if (!REFERENCE_SHEETS.includes(candidate.name ?? '')) return candidate;
        for await (const _ of candidate.iterator) void _; // the sheets come one after another in the zip
      }
      return undefined;
    };
    const first = await nextCandidate();
    if (!first) throw fileErrors.noDataSheet(REFERENCE_SHEETS);
    // exceljs has read the shared strings, styles and workbook properties by now; each sheet is parsed here.
    const context = sheetContextOf(workbook as unknown as WorkbookParts);
    let rows = sheetXmlRows(first.iterator, context);
    return {
      format: 'xlsx',
      progress: () => input.progress(),
      close,
      async next() {
        const next = await step(rows.next());
        return next.done ? null : next.value;
      },
      // The registry need not be the first sheet: the header is looked for on the next one, the rest of this one skipped.
      async nextSheet() {
        for (let next = await step(rows.next()); !next.done; next = await step(rows.next()));
        const sheet = await nextCandidate();
        if (!sheet) return false;
        rows = sheetXmlRows(sheet.iterator, context);
        return true;
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
