/*
 * The reading thread of an import (row-batches-thread.ts starts it): opens the uploaded file, and on
 * `start` reads and parses its rows into batches, posting each as soon as it is complete, at most
 * `ahead` batches before the job has taken them, so a slow database never lets parsed rows pile up.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportFileError } from '../file/registry-file';
import { headerOf, openRowBatchesHere, RowBatches, RowBatchesOptions } from './row-batches';
import type { FromReadingThread, ThreadFailure, ToReadingThread } from './row-batches-messages';

const port = parentPort!;
const { path, options } = workerData as { path: string; options: RowBatchesOptions };

let credit = 0;
let wake: (() => void) | null = null;
let closing = false;

function post(message: FromReadingThread): void {
  // After `close` the job listens no more: what the ending reader says is dropped.
  if (!closing) port.postMessage(message);
}

function failure(error: unknown): ThreadFailure {
  if (error instanceof ImportFileError) return { fileError: { problem: error.problem, ru: error.ru, en: error.en } };
  return { message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

async function taken(): Promise<void> {
  while (credit <= 0 && !closing) await new Promise<void>((resolve) => (wake = resolve));
}

async function read(source: RowBatches, after: number, size: number): Promise<void> {
  for await (const batch of source.batches(after, size)) {
    await taken();
    if (closing) return;
    credit--;
    post({ type: 'batch', batch });
  }
  post({ type: 'end' });
}

async function main(): Promise<void> {
  let source: RowBatches | undefined;
  port.on('message', (message: ToReadingThread) => {
    if (message.type === 'take') credit += message.batches;
    else if (message.type === 'start' && source)
      read(source, message.after, message.size).catch((error) => post({ type: 'failed', failure: failure(error) }));
    else if (message.type === 'close' && !closing) {
      closing = true;
      // Removes the reader's temporary files; the thread ends once its port is closed.
      void (source?.close() ?? Promise.resolve()).finally(() => port.close());
    }
    wake?.();
    wake = null;
  });
  try {
    source = await openRowBatchesHere(path, options);
    post({ type: 'opened', header: headerOf(source) });
  } catch (error) {
    post({ type: 'failed', failure: failure(error) });
  }
}

void main();
