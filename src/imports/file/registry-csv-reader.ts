import type { FileHandle } from 'node:fs/promises';
import { pipeline, Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { fileErrors } from './registry-file-error';
import type { SheetRowSource } from './registry-sheet-reader';

export type TextEncoding = 'utf-8' | 'windows-1251';

const DELIMITERS = [';', ',', '\t'];

/** The delimiter the header line uses most, outside quotes; Russian Excel writes ";", so it wins ties. */
export function detectDelimiter(text: string): string {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\n') break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  return DELIMITERS.reduce((best, d) => (counts.get(d)! > counts.get(best)! ? d : best));
}

/**
 * Records of a CSV file as text cells. The file handle is the source's: closing it (or the end of the
 * file) closes the handle.
 */
export function openCsvSource(
  handle: FileHandle,
  size: number,
  encoding: TextEncoding,
  delimiter: string,
): SheetRowSource {
  let consumed = 0;
  // TextDecoder drops the BOM and, unlike Node's Buffer, knows cp1251.
  const decoder = new TextDecoder(encoding);
  const decode = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      consumed += chunk.length;
      callback(null, decoder.decode(chunk, { stream: true }));
    },
    flush(callback) {
      callback(null, decoder.decode());
    },
  });
  const input = handle.createReadStream();
  // Hand-made files quote inside unquoted cells (ООО "Ромашка"): take such quotes as text.
  const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  // pipeline destroys every stage when one fails; the failure reaches the reader through the parser.
  pipeline(input, decode, parser, () => undefined);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;

  let rowNumber = 0;
  return {
    format: 'csv',
    progress: () => Math.min(1, consumed / size),
    async close() {
      parser.destroy();
      await handle.close();
    },
    async next() {
      let record: IteratorResult<string[]>;
      try {
        record = await records.next();
      } catch (error) {
        if (error instanceof CsvError) throw fileErrors.badCsv(Number(error.lines) || rowNumber + 1);
        throw error;
      }
      if (record.done) return null;
      return { rowNumber: ++rowNumber, cells: record.value.map((cell) => cell.trim()) };
    },
  };
}
