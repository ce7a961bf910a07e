import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The size rule `npm run lint` runs over the tree (scripts/code-size.js), here on a small tree of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { oversized, MAX_FILE_LINES, MAX_FUNCTION_LINES } = require('../scripts/code-size.js') as {
  oversized(roots: string[]): string[];
  MAX_FILE_LINES: number;
  MAX_FUNCTION_LINES: number;
};

const lines = (count: number, text: string) => Array.from({ length: count }, () => text).join('\n');

describe('the size check', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'code-size-'));
    mkdirSync(join(root, 'src', 'migrations'), { recursive: true });
    const body = lines(MAX_FUNCTION_LINES, '  total += 1;');
    writeFileSync(
      join(root, 'src', 'small.ts'),
      `export function fits(): number {\n  let total = 0;\n${lines(10, '  total += 1;')}\n  return total;\n}\n`,
    );
    writeFileSync(
      join(root, 'src', 'long-function.ts'),
      `export const tooLong = (): number => {\n  let total = 0;\n${body}\n  return total;\n};\n`,
    );
    writeFileSync(join(root, 'src', 'long-file.ts'), `${lines(MAX_FILE_LINES + 1, 'export {};')}\n`);
    writeFileSync(join(root, 'src', 'migrations', 'generated.ts'), `${lines(MAX_FILE_LINES + 50, 'export {};')}\n`);
    writeFileSync(
      join(root, 'src', 'suite.spec.ts'),
      `describe('a suite', () => {\n${lines(MAX_FUNCTION_LINES + 5, '  it.todo("case");')}\n});\n`,
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names the file over 400 lines and the function over 80, and nothing else', () => {
    const found = oversized([join(root, 'src')]).map((line) => line.slice(root.length + 1));
    expect(found).toEqual([
      `src/long-file.ts: ${MAX_FILE_LINES + 1} lines (at most ${MAX_FILE_LINES})`,
      `src/long-function.ts:1: tooLong is ${MAX_FUNCTION_LINES + 4} lines (at most ${MAX_FUNCTION_LINES})`,
    ]);
  });

  it('finds nothing over the limits in this repository', () => {
    expect(oversized(['src', 'test', 'bench', 'scripts'])).toEqual([]);
  });
});
