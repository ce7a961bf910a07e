import { fileErrors } from './registry-file-error';
import { SaxesParser } from 'saxes';
import { cellText, dateText, numberText } from './registry-cell-text';

/** What a sheet's cells refer to, read from the rest of the workbook (exceljs reads those parts). */
export interface SheetContext {
  /** The shared strings table: texts, or exceljs's rich-text values. */
  sharedStrings: readonly unknown[] | undefined;
  /** Whether the cell style of this index shows numbers as dates. */
  isDateStyle(styleIndex: number): boolean;
  /** The number format of the cell style of this index (e.g. "000000"), if it has one. */
  numberFormat?(styleIndex: number): string | undefined;
  /** The workbook counts days from 1904 (old Mac Excel). */
  date1904: boolean;
}

export interface SheetXmlRow {
  rowNumber: number;
  /** Cell texts from column A to the last cell holding a value; cells without one are ''. */
  cells: string[];
}

interface CellState {
  column: number;
  type: string;
  style: number;
  hasFormula: boolean;
  /** The <v> text, or the inline string's runs; null while the cell holds no value. */
  value: string | null;
}

/** Excel's day number to a UTC midnight, as exceljs turns date-styled numbers into dates. */
function excelDay(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** Bytes of text without a tag that no real cell reaches (32,767 characters, escaped, in UTF-8). */
const MAX_UNTAGGED_TEXT = 1024 * 1024;

/** The digits a format of zeros shows («000000» → 6, «"ЛС "000000» is not one); 0 for any other format. */
export function zeroPadWidth(format: string | undefined): number {
  return format && /^0+$/.test(format) ? format.length : 0;
}

/** "AB12" → 28. */
function columnOf(reference: string): number {
  let column = 0;
  for (let i = 0; i < reference.length; i++) {
    const code = reference.charCodeAt(i);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column;
}

/** A tag's name without its namespace prefix (some writers spell "x:row"). */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * The rows of a worksheet part (xl/worksheets/sheetN.xml) as the texts the import reads, parsed with
 * saxes directly. exceljs's worksheet reader built a Row and a Cell model with its style for every
 * cell only for the import to turn each back into text: that was ~2.5 s of the 4.5 s the import's
 * thread spent reading a 100,000-row, 30-column sheet. The texts are cellText's of the values exceljs
 * gave, so both readers agree cell for cell (registry-file.spec.ts); unlike exceljs, an inline string
 * keeps all of its rich-text runs, cells and rows without an `r` attribute follow their predecessor,
 * and a `t="d"` cell keeps its ISO date.
 */
export async function* sheetXmlRows(
  chunks: AsyncIterable<Buffer | string>,
  context: SheetContext,
): AsyncGenerator<SheetXmlRow> {
  const parser = new SaxesParser();
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= error;
  });

  const ready: SheetXmlRow[] = [];
  let inSheetData = false;
  let row: SheetXmlRow | null = null;
  let lastRowNumber = 0;
  let lastColumn = 0;
  let cell: CellState | null = null;
  let capturing = false;
  let inInlineString = false;
  let inPhonetic = false;
  const dateStyles = new Map<number, boolean>();
  const isDate = (style: number): boolean => {
    let known = dateStyles.get(style);
    if (known === undefined) dateStyles.set(style, (known = context.isDateStyle(style)));
    return known;
  };

  // A number shown through a format of zeros («000000») is read as the clerk saw it: 124 as «000124».
  const zeroPads = new Map<number, number>();
  const zeroPadOf = (style: number): number => {
    let width = zeroPads.get(style);
    if (width === undefined) zeroPads.set(style, (width = zeroPadWidth(context.numberFormat?.(style))));
    return width;
  };

  const textOf = (state: CellState): string => {
    const value = state.value!;
    if (state.hasFormula) return state.type === 'str' ? value.trim() : numberText(parseFloat(value));
    switch (state.type) {
      case 's':
        return cellText(context.sharedStrings?.[parseInt(value, 10)]);
      case 'inlineStr':
      case 'str':
        return value.trim();
      case 'e':
        return '';
      case 'b':
        return String(parseInt(value, 10) !== 0);
      case 'd':
        return /^\d{4}-\d{2}-\d{2}/.exec(value.trim())?.[0] ?? '';
      default: {
        const number = parseFloat(value);
        if (isDate(state.style) && Number.isFinite(number)) return dateText(excelDay(number, context.date1904));
        const width = zeroPadOf(state.style);
        return width && Number.isInteger(number) && number >= 0
          ? numberText(number).padStart(width, '0')
          : numberText(number);
      }
    }
  };

  // Excel keeps at most 32,767 characters in a cell: a far longer run of text between two tags is no
  // sheet a spreadsheet wrote, and the parser would hold it whole. Counted per chunk, reset by any tag.
  let tagSeen = false;
  let untagged = 0;
  parser.on('opentag', (tag) => {
    tagSeen = true;
    switch (localName(tag.name)) {
      case 'sheetData':
        inSheetData = true;
        break;
      case 'row':
        if (inSheetData) {
          const number = parseInt(String(tag.attributes.r ?? ''), 10);
          row = { rowNumber: Number.isFinite(number) ? number : lastRowNumber + 1, cells: [] };
          lastColumn = 0;
        }
        break;
      case 'c':
        if (row) {
          const reference = tag.attributes.r === undefined ? '' : String(tag.attributes.r);
          const column = (reference && columnOf(reference)) || lastColumn + 1;
          lastColumn = column;
          cell = {
            column,
            type: String(tag.attributes.t ?? 'n'),
            style: parseInt(String(tag.attributes.s ?? '0'), 10) || 0,
            hasFormula: false,
            value: null,
          };
        }
        break;
      case 'f':
        if (cell) cell.hasFormula = true;
        break;
      case 'v':
        if (cell) {
          cell.value = '';
          capturing = true;
        }
        break;
      case 'is':
        if (cell) {
          cell.value = '';
          inInlineString = true;
        }
        break;
      case 't':
        if (cell && inInlineString && !inPhonetic) capturing = true;
        break;
      case 'rPh':
        inPhonetic = true;
        break;
      default:
        break;
    }
  });
  const onText = (text: string) => {
    if (capturing && cell) cell.value += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    tagSeen = true;
    switch (localName(tag.name)) {
      case 'v':
      case 't':
        capturing = false;
        break;
      case 'rPh':
        inPhonetic = false;
        break;
      case 'is':
        inInlineString = false;
        break;
      case 'c':
        if (row && cell && cell.value !== null) {
          const text = textOf(cell);
          const cells = row.cells;
          while (cells.length < cell.column - 1) cells.push('');
          cells[cell.column - 1] = text;
        }
        cell = null;
        break;
      case 'row':
        if (row) {
          ready.push(row);
          lastRowNumber = row.rowNumber;
          row = null;
        }
        break;
      case 'sheetData':
        inSheetData = false;
        break;
      default:
        break;
    }
  });

  // One decoder in streaming mode: a character split between two inflated chunks is joined.
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    tagSeen = false;
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (failure) throw failure;
    untagged = tagSeen ? 0 : untagged + chunk.length;
    if (untagged > MAX_UNTAGGED_TEXT) throw fileErrors.cellTooLong();
    yield* ready.splice(0);
  }
  parser.write(decoder.decode());
  parser.close();
  if (failure) throw failure;
  yield* ready.splice(0);
}
