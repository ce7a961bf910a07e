import { fileErrors } from './registry-file-error';
import { cellText, dateText, numberText } from './registry-cell-text';
import { XmlScanner } from './xml-scanner';

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

/** Cell texts by style, as the sheet's cells are read: which styles show dates, which pad with zeros. */
class CellTexts {
  private readonly dateStyles = new Map<number, boolean>();
  // A number shown through a format of zeros («000000») is read as the clerk saw it: 124 as «000124».
  private readonly zeroPads = new Map<number, number>();

  constructor(private readonly context: SheetContext) {}

  private isDate(style: number): boolean {
    let known = this.dateStyles.get(style);
    if (known === undefined) this.dateStyles.set(style, (known = this.context.isDateStyle(style)));
    return known;
  }

  private zeroPadOf(style: number): number {
    let width = this.zeroPads.get(style);
    if (width === undefined) this.zeroPads.set(style, (width = zeroPadWidth(this.context.numberFormat?.(style))));
    return width;
  }

  textOf(state: CellState): string {
    const value = state.value!;
    if (state.hasFormula) return state.type === 'str' ? value.trim() : numberText(parseFloat(value));
    switch (state.type) {
      case 's':
        return cellText(this.context.sharedStrings?.[parseInt(value, 10)]);
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
        if (this.isDate(state.style) && Number.isFinite(number))
          return dateText(excelDay(number, this.context.date1904));
        const width = this.zeroPadOf(state.style);
        return width && Number.isInteger(number) && number >= 0
          ? numberText(number).padStart(width, '0')
          : numberText(number);
      }
    }
  }
}

/** The parser's events turned into rows: where in the sheet it is, the row and cell being read, the rows ready. */
class SheetXmlRowBuilder {
  readonly ready: SheetXmlRow[] = [];
  /** Whether a tag opened or closed since the last chunk began (see MAX_UNTAGGED_TEXT). */
  tagSeen = false;
  private inSheetData = false;
  private row: SheetXmlRow | null = null;
  private lastRowNumber = 0;
  private lastColumn = 0;
  private cell: CellState | null = null;
  private capturing = false;
  private inInlineString = false;
  private inPhonetic = false;
  private readonly texts: CellTexts;

  constructor(context: SheetContext) {
    this.texts = new CellTexts(context);
  }

  open(name: string, attributes: Readonly<Record<string, string>>): void {
    this.tagSeen = true;
    switch (localName(name)) {
      case 'sheetData':
        this.inSheetData = true;
        break;
      case 'row':
        if (this.inSheetData) {
          const number = parseInt(attributes.r ?? '', 10);
          this.row = { rowNumber: Number.isFinite(number) ? number : this.lastRowNumber + 1, cells: [] };
          this.lastColumn = 0;
        }
        break;
      case 'c':
        if (this.row) this.openCell(attributes);
        break;
      case 'f':
        if (this.cell) this.cell.hasFormula = true;
        break;
      case 'v':
        if (this.cell) {
          this.cell.value = '';
          this.capturing = true;
        }
        break;
      case 'is':
        if (this.cell) {
          this.cell.value = '';
          this.inInlineString = true;
        }
        break;
      case 't':
        if (this.cell && this.inInlineString && !this.inPhonetic) this.capturing = true;
        break;
      case 'rPh':
        this.inPhonetic = true;
        break;
      default:
        break;
    }
  }

  private openCell(attributes: Readonly<Record<string, string>>): void {
    const reference = attributes.r ?? '';
    const column = (reference && columnOf(reference)) || this.lastColumn + 1;
    this.lastColumn = column;
    this.cell = {
      column,
      type: attributes.t ?? 'n',
      style: parseInt(attributes.s ?? '0', 10) || 0,
      hasFormula: false,
      value: null,
    };
  }

  text(text: string): void {
    if (this.capturing && this.cell) this.cell.value += text;
  }

  close(name: string): void {
    this.tagSeen = true;
    switch (localName(name)) {
      case 'v':
      case 't':
        this.capturing = false;
        break;
      case 'rPh':
        this.inPhonetic = false;
        break;
      case 'is':
        this.inInlineString = false;
        break;
      case 'c':
        if (this.row && this.cell && this.cell.value !== null) {
          const text = this.texts.textOf(this.cell);
          const cells = this.row.cells;
          while (cells.length < this.cell.column - 1) cells.push('');
          cells[this.cell.column - 1] = text;
        }
        this.cell = null;
        break;
      case 'row':
        if (this.row) {
          this.ready.push(this.row);
          this.lastRowNumber = this.row.rowNumber;
          this.row = null;
        }
        break;
      case 'sheetData':
        this.inSheetData = false;
        break;
      default:
        break;
    }
  }
}

/**
 * The rows of a worksheet part (xl/worksheets/sheetN.xml) as the texts the import reads, parsed with
 * XmlScanner directly. exceljs's worksheet reader built a Row and a Cell model with its style for every
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
  const rows = new SheetXmlRowBuilder(context);
  const parser = new XmlScanner(rows);
  // Excel keeps at most 32,767 characters in a cell: a far longer run of text between two tags is no
  // sheet a spreadsheet wrote, and the parser would hold it whole. Counted per chunk, reset by any tag.
  let untagged = 0;
  // One decoder in streaming mode: a character split between two inflated chunks is joined.
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    rows.tagSeen = false;
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    untagged = rows.tagSeen ? 0 : untagged + chunk.length;
    if (untagged > MAX_UNTAGGED_TEXT) throw fileErrors.cellTooLong();
    yield* rows.ready.splice(0);
  }
  parser.write(decoder.decode());
  parser.close();
  yield* rows.ready.splice(0);
}
