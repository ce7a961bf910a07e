import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { ImportFileError } from '../file/registry-file';
import { ADDRESS, file, registryXlsx, useScratchFolder } from '../../../test/support/registry-file-reading';
import { openRowBatchesHere, RowBatch, RowBatches } from './row-batches';
import { openRowBatches, openRowBatchesInThread } from './row-batches-thread';

useScratchFolder();

const HEADER = [...ADDRESS, 'Фамилия', 'Имя', 'Телефоны', 'Площадь'];

/** Rows of a registry: some good, some with problems the parser reports (a bad phone, a bad area). */
function registryRows(count: number): string[][] {
  return Array.from({ length: count }, (_, i) => [
    'Тула',
    'ул. Мира',
    String(1 + (i % 7)),
    String(i + 1),
    'Иванов',
    i % 5 === 0 ? '' : 'Иван',
    i % 11 === 0 ? 'не телефон' : `+7 916 ${String(1000000 + i).slice(-7)}`,
    i % 13 === 0 ? 'много' : '54,3',
  ]);
}

async function csvOf(rows: string[][]): Promise<string> {
  const path = file('csv');
  await writeFile(path, [HEADER, ...rows].map((r) => r.join(';')).join('\n'));
  return path;
}

async function allBatches(source: RowBatches, after: number, size: number): Promise<RowBatch[]> {
  const batches: RowBatch[] = [];
  try {
    for await (const batch of source.batches(after, size)) batches.push(batch);
  } finally {
    await source.close();
  }
  return batches;
}

describe('the reading thread', () => {
  it('hands over exactly what reading in the job thread gives: rows after the checkpoint, parsed, problems included', async () => {
    for (const path of [await csvOf(registryRows(2500)), await registryXlsx([HEADER, ...registryRows(2500)])]) {
      const here = await openRowBatchesHere(path);
      const thread = await openRowBatchesInThread(path);
      expect({ ...thread, batches: null, close: null }).toEqual({ ...here, batches: null, close: null });
      const expected = await allBatches(here, 101, 1000);
      const got = await allBatches(thread, 101, 1000);
      expect(got.map((b) => b.items.length)).toEqual([1000, 1000, 400]);
      expect(got.map((b) => b.items)).toEqual(expected.map((b) => b.items));
      expect(got[0].items[0].raw.rowNumber).toBe(102);
      expect(got.flatMap((b) => b.items).some((item) => item.parsed.problems.length > 0)).toBe(true);
      expect(got[2].progress).toBe(1);
    }
  });

  it("passes a file's refusal on whole, at the open and in the middle of the file after the batches before it", async () => {
    const empty = file('csv');
    await writeFile(empty, '');
    await expect(openRowBatchesInThread(empty)).rejects.toMatchObject({ problem: 'EMPTY', ru: 'Файл пустой.' });

    const source = await openRowBatchesInThread(await csvOf(registryRows(30)), { limits: { maxRows: 25 } });
    const seen: number[] = [];
    const failure = await (async () => {
      for await (const batch of source.batches(1, 10)) seen.push(batch.items.length);
    })().catch((error: unknown) => error);
    await source.close();
    expect(failure).toBeInstanceOf(ImportFileError);
    expect(failure).toMatchObject({ problem: 'TOO_MANY_ROWS' });
    expect(seen).toEqual([10, 10]);
  });

  it('ends its thread on close, also before the end of the file, without waiting to be stopped', async () => {
    const source = await openRowBatchesInThread(await csvOf(registryRows(5000)));
    for await (const batch of source.batches(1, 100)) {
      expect(batch.items).toHaveLength(100);
      break;
    }
    const started = performance.now();
    await source.close();
    // A thread that ignored `close` would be stopped after 5 s.
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('reads a small upload (or any, when the thread is off) in the job thread and a big one in a thread of its own', async () => {
    const path = await csvOf(registryRows(50));
    const small = await openRowBatches(path, {}, 1024 * 1024);
    const off = await openRowBatches(path, {}, null);
    const big = await openRowBatches(path, {}, 0);
    const expected = await allBatches(big, 1, 20);
    expect(await allBatches(small, 1, 20)).toEqual(expected);
    expect(await allBatches(off, 1, 20)).toEqual(expected);
  });
});
