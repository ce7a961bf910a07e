import type { ImportFileProblem } from '../file/registry-file';
import type { RegistryHeader, RowBatch } from './row-batches';

/** A failure as it crosses from the reading thread: the file's refusal (ImportFileError) kept whole, anything else as text. */
export type ThreadFailure = { fileError: { problem: ImportFileProblem; ru: string; en: string } } | { message: string };

/** What the job tells the reading thread. */
export type ToReadingThread =
  { type: 'start'; after: number; size: number } | { type: 'take'; batches: number } | { type: 'close' };

/** What the reading thread tells the job. */
export type FromReadingThread =
  | { type: 'opened'; header: RegistryHeader }
  | { type: 'batch'; batch: RowBatch }
  | { type: 'end' }
  | { type: 'failed'; failure: ThreadFailure };
