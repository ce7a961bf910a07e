/** What the registry-file specs (src/imports/file/registry-file*.spec.ts) write and read files with. */
import { readdirSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stream as excelStream } from 'exceljs';
import JSZip from 'jszip';
import { REGISTRY_COLUMNS } from '../../src/imports/registry-columns';
import {
  ImportFileError,
  ImportFileProblem,
  openRegistryFile,
  RegistryFileLimits,
  RegistrySheetReader,
} from '../../src/imports/file/registry-file';
import type { RawRegistryRow } from '../../src/imports/rows/registry-row';
import { REGISTRY_SHEET } from '../../src/imports/export/registry-template';
import { readZipDirectory } from '../../src/imports/file/registry-zip';

export const header = (...keys: string[]): string[] =>
  keys.map((k) => REGISTRY_COLUMNS.find((c) => c.key === k)!.header);
export const ADDRESS = header('city', 'street', 'house', 'premisesNumber');

let dir: string;
let counter = 0;
/** A new path in the spec's scratch folder (see useScratchFolder). */
export const file = (extension: string): string => join(dir, `f${++counter}.${extension}`);

/** Makes a scratch folder for the calling spec's files before its tests and removes it after them. */
export function useScratchFolder(): void {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'registry-file-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
}

export interface SheetSpec {
  name: string;
  rows: unknown[][];
}

export async function writeXlsx(sheets: SheetSpec[], useSharedStrings = false): Promise<string> {
  const path = file('xlsx');
  const workbook = new excelStream.xlsx.WorkbookWriter({ filename: path, useSharedStrings, useStyles: true });
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name);
    for (const row of spec.rows) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
  return path;
}

export const registryXlsx = (rows: unknown[][], useSharedStrings = false): Promise<string> =>
  writeXlsx([{ name: REGISTRY_SHEET, rows }], useSharedStrings);

export async function readAll(reader: RegistrySheetReader): Promise<RawRegistryRow[]> {
  const rows: RawRegistryRow[] = [];
  for await (const row of reader.rows()) rows.push(row);
  return rows;
}

export async function refusal(path: string, limits?: Partial<RegistryFileLimits>): Promise<ImportFileError> {
  try {
    const reader = await openRegistryFile(path, limits);
    await readAll(reader);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return error as ImportFileError;
  }
  throw new Error('The file was not refused');
}

export async function expectProblem(
  path: string,
  problem: ImportFileProblem,
  limits?: Partial<RegistryFileLimits>,
): Promise<ImportFileError> {
  const error = await refusal(path, limits);
  expect(error.problem).toBe(problem);
  expect(error.ru).toMatch(/^[А-ЯЁ].*\.$/);
  expect(error.en).toMatch(/^[A-Z].*\.$/);
  return error;
}

/** Node has no cp1251 encoder: ASCII, А–я, Ё and ё are all a registry needs here. */
export function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x350;
      if (char === 'Ё') return 0xa8;
      if (char === 'ё') return 0xb8;
      throw new Error(`No cp1251 byte for ${char}`);
    }),
  );
}

export async function sheetRezippedWithSheetFirst(path: string): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(path));
  const names = Object.keys(zip.files).sort(
    (a, b) => Number(!a.startsWith('xl/worksheets/')) - Number(!b.startsWith('xl/worksheets/')),
  );
  const reordered = new JSZip();
  for (const name of names) reordered.file(name, await zip.file(name)!.async('nodebuffer'));
  const target = file('xlsx');
  await writeFile(target, await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return target;
}

export async function entryOrder(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    return (await readZipDirectory(handle, (await handle.stat()).size))!.map((e) => e.name);
  } finally {
    await handle.close();
  }
}

export const tmpFiles = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('tmp-'));
export const openFds = (): number => readdirSync('/proc/self/fd').length;
