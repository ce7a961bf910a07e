import { openRegistryFile, RegistryFileLimits, RegistrySheetReader } from '../file/registry-file';
import { parseRegistryRow } from './registry-row-parser';
import type { ParsedRegistryRow, RawRegistryRow } from './registry-row';

/** One row as the file holds it and as the parser read it: what a batch plans on. */
export interface BatchItem {
  raw: RawRegistryRow;
  parsed: ParsedRegistryRow;
}

/** A batch of parsed rows and how much of the file was read once it was complete (0..1). */
export interface RowBatch {
  items: BatchItem[];
  progress: number;
}

/** What the job needs to know of the file before its rows: the header as read. */
export type RegistryHeader = Pick<
  RegistrySheetReader,
  'format' | 'header' | 'columns' | 'ignoredColumns' | 'headerRow'
>;

/**
 * A registry file's data rows, parsed, in batches: the file-reading and row-parsing stages as one
 * source for the job. Read once; `close` ends the reading (also early, and after a failure).
 */
export interface RowBatches extends RegistryHeader {
  /** Rows numbered after `after`, parsed, `size` at a time (the last batch may be smaller). */
  batches(after: number, size: number): AsyncIterable<RowBatch>;
  close(): Promise<void>;
}

export interface RowBatchesOptions {
  limits?: Partial<RegistryFileLimits>;
  fileName?: string;
}

/** The header's facts of a reader (what crosses to the job from a reading thread). */
export function headerOf(reader: RegistryHeader): RegistryHeader {
  const { format, header, columns, ignoredColumns, headerRow } = reader;
  return { format, header, columns, ignoredColumns, headerRow };
}

/** Reads and parses in this thread (the reading thread runs this; see row-batches-thread.ts for the job's). */
export async function openRowBatchesHere(path: string, options: RowBatchesOptions = {}): Promise<RowBatches> {
  const reader = await openRegistryFile(path, options.limits, options.fileName);
  return {
    ...headerOf(reader),
    async *batches(after: number, size: number): AsyncIterable<RowBatch> {
      let items: BatchItem[] = [];
      for await (const raw of reader.rows()) {
        if (raw.rowNumber <= after) continue;
        items.push({ raw, parsed: parseRegistryRow(raw) });
        if (items.length >= size) {
          yield { items, progress: reader.progress() };
          items = [];
        }
      }
      if (items.length) yield { items, progress: reader.progress() };
    },
    close: () => reader.close(),
  };
}
