import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ImportFileError } from '../file/registry-file';
import { openRowBatchesHere, RegistryHeader, RowBatch, RowBatches, RowBatchesOptions } from './row-batches';
import type { FromReadingThread, ThreadFailure, ToReadingThread } from './row-batches-messages';

/**
 * Batches parsed ahead of the job. Two: one for the job to take as soon as it has written the
 * batch before, one being parsed meanwhile; more would only hold memory while the database is the
 * slower side.
 */
const AHEAD = 2;

/**
 * The reading thread's heap. It holds the unzip and XML buffers and at most AHEAD + 1 batches; a
 * runaway file fails the thread (and the attempt), not the process.
 */
const READING_THREAD_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 4 };

const ENTRY = join(__dirname, `row-batches.worker${extname(__filename)}`);

/**
 * Under the test runner the sources are TypeScript, which a worker thread cannot load by itself: it
 * compiles them with the runner's own compiler (SWC), as jest.config.js does. The built service runs
 * the compiled worker directly.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { readFileSync } = require('node:fs');
const { transformSync } = require(require.resolve('@swc/core', { paths: [process.cwd()] }));
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(${JSON.stringify(ENTRY)});
`;

function startReadingThread(path: string, options: RowBatchesOptions): Worker {
  const common = { workerData: { path, options }, resourceLimits: READING_THREAD_LIMITS };
  return ENTRY.endsWith('.ts')
    ? new Worker(TYPESCRIPT_BOOTSTRAP, { ...common, eval: true })
    : new Worker(ENTRY, common);
}

function errorOf(failure: ThreadFailure): Error {
  return 'fileError' in failure
    ? new ImportFileError(failure.fileError.problem, failure.fileError.ru, failure.fileError.en)
    : new Error(`the import's reading thread failed: ${failure.message}`);
}

/**
 * The file read and its rows parsed in a thread of their own, so the job's thread plans and writes
 * batch n while batch n+1 is unzipped, read and parsed: on two cores the parse (a third of the import's
 * CPU) runs beside the job instead of between its statements. Same contract as openRowBatchesHere.
 */
export async function openRowBatchesInThread(path: string, options: RowBatchesOptions = {}): Promise<RowBatches> {
  const thread = startReadingThread(path, options);
  const queue: RowBatch[] = [];
  let ended = false;
  let failed: Error | null = null;
  let notify: (() => void) | null = null;
  let opened: (header: RegistryHeader) => void = () => undefined;
  const header = new Promise<RegistryHeader>((resolve, reject) => {
    opened = resolve;
    const fail = (error: Error) => {
      failed ??= error;
      reject(error);
      notify?.();
    };
    thread.on('message', (message: FromReadingThread) => {
      if (message.type === 'opened') opened(message.header);
      else if (message.type === 'batch') queue.push(message.batch);
      else if (message.type === 'end') ended = true;
      else fail(errorOf(message.failure));
      notify?.();
    });
    thread.on('error', fail);
    thread.on('exit', () => ended || fail(new Error("the import's reading thread stopped before the file's end")));
  });
  header.catch(() => undefined);
  const send = (message: ToReadingThread) => thread.postMessage(message);
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  const close = async () => {
    ended = true;
    send({ type: 'close' });
    // The thread removes its temporary files before it exits; one that hangs is stopped.
    const stop = setTimeout(() => void thread.terminate(), 5000);
    await exited;
    clearTimeout(stop);
  };
  try {
    const facts = await header;
    return { ...facts, batches: (after, size) => take(after, size), close };
  } catch (error) {
    await close();
    throw error;
  }

  async function* take(after: number, size: number): AsyncIterable<RowBatch> {
    send({ type: 'start', after, size });
    send({ type: 'take', batches: AHEAD });
    for (;;) {
      const batch = queue.shift();
      if (batch) {
        send({ type: 'take', batches: 1 });
        yield batch;
      } else if (failed) throw failed;
      else if (ended) return;
      else await new Promise<void>((resolve) => (notify = resolve));
    }
  }
}

/**
 * The job's row source: a thread for a file of at least `threadMinBytes`, the job's own thread for a
 * smaller one (starting a thread and loading the readers in it costs about half a second, which a
 * file of a few thousand rows does not repay), and for every file when `threadMinBytes` is null.
 */
export async function openRowBatches(
  path: string,
  options: RowBatchesOptions,
  threadMinBytes: number | null,
): Promise<RowBatches> {
  if (threadMinBytes === null) return openRowBatchesHere(path, options);
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  return size >= threadMinBytes ? openRowBatchesInThread(path, options) : openRowBatchesHere(path, options);
}
