import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lyingBomb } from '../../../test/support/zip-bombs';
import { ImportFileError, openRegistryFile } from './registry-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-zip-bomb-spec-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A lying bomb written to a file of the spec's folder. */
async function lyingBombFile(
  name: string,
  giantBytes: number,
  claimedBytes: number | null,
  random = false,
): Promise<string> {
  const path = join(dir, `${name}.xlsx`);
  await writeFile(path, await lyingBomb(giantBytes, claimedBytes, random));
  return path;
}

function residentMegabytes(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function problemOf(path: string): Promise<string> {
  try {
    const reader = await openRegistryFile(path);
    for await (const _ of reader.rows()) void _;
  } catch (error) {
    if (error instanceof ImportFileError) return error.problem;
    throw error;
  }
  return 'accepted';
}

describe('zip sizes are not trusted', () => {
  it('refuses five lying bombs read at once (1 GB cells claiming 40 kB) without the process growing', async () => {
    const bombs = await Promise.all(
      Array.from({ length: 5 }, (_, i) => lyingBombFile(`bomb${i}`, 1024 * 1024 * 1024, 40_000)),
    );
    expect(readFileSync(bombs[0]).length).toBeLessThan(3 * 1024 * 1024);
    global.gc?.();
    const before = residentMegabytes();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, residentMegabytes())), 5);
    try {
      expect(await Promise.all(bombs.map(problemOf))).toEqual(Array(5).fill('ZIP_BOMB'));
    } finally {
      clearInterval(sampler);
    }
    expect(peak - before).toBeLessThan(64);
  }, 120_000);

  it('refuses a cell longer than any spreadsheet writes even when the headers tell the truth', async () => {
    const honest = await lyingBombFile('honest', 4 * 1024 * 1024, null, true);
    expect(await problemOf(honest)).toBe('ZIP_BOMB');
  }, 60_000);

  it('refuses a sheet that unpacks to less than its headers say as damaged, without waiting forever', async () => {
    expect(await problemOf(await lyingBombFile('short', 1000, 900_000, true))).toBe('NOT_A_SPREADSHEET');
  }, 60_000);
});
