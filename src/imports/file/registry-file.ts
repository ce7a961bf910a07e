import { FileHandle, open } from 'node:fs/promises';
import { detectDelimiter, openCsvSource, TextEncoding } from './registry-csv-reader';
import { DEFAULT_REGISTRY_FILE_LIMITS, fileErrors, RegistryFileLimits } from './registry-file-error';
import { openSheet, RegistrySheetReader } from './registry-sheet-reader';
import { openXlsxSource } from './registry-xlsx-reader';
import { checkZipBomb, readAt, readZipDirectory } from './registry-zip';

export { DEFAULT_REGISTRY_FILE_LIMITS, ImportFileError } from './registry-file-error';
export type { ImportFileProblem, RegistryFileLimits } from './registry-file-error';
export type { RegistrySheetReader } from './registry-sheet-reader';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** An OLE compound file: an .xls, or an .xlsx that Excel encrypted with a password. */
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** The stream an encrypted OOXML package keeps its key data in; OLE names are UTF-16LE. */
const ENCRYPTION_INFO = Buffer.from('EncryptionInfo', 'utf16le');
const HEAD_BYTES = 64 * 1024;
const SCAN_BYTES = 1024 * 1024;

/**
 * Opens an uploaded registry (xlsx or CSV, told apart by content; the upload's `fileName` only names
 * what a text file calling itself .xlsx is not), refusing a file that cannot be a registry with an
 * ImportFileError before any row is read.
 */
export async function openRegistryFile(
  path: string,
  limits: Partial<RegistryFileLimits> = {},
  fileName?: string,
): Promise<RegistrySheetReader> {
  const effective: RegistryFileLimits = { ...DEFAULT_REGISTRY_FILE_LIMITS, ...limits };
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) throw fileErrors.emptyFile();
    if (size > effective.maxBytes) throw fileErrors.tooLarge(effective.maxBytes);
    const head = await readAt(handle, 0, Math.min(size, HEAD_BYTES));

    if (head.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) {
      const entries = await readZipDirectory(handle, size);
      if (!entries) throw fileErrors.damaged();
      checkZipBomb(entries, effective);
      const source = await openXlsxSource(handle, entries);
      if (!source) throw fileErrors.notASpreadsheet();
      return await openSheet(source, effective.maxRows);
    }
    if (head.subarray(0, OLE_MAGIC.length).equals(OLE_MAGIC)) {
      throw (await contains(handle, size, ENCRYPTION_INFO)) ? fileErrors.passwordProtected() : fileErrors.legacyXls();
    }
    // A text file named .xlsx (a renamed .txt) is not a CSV the clerk meant: say what it is not.
    const excelName = /\.(xlsx|xlsm|xls)$/i.exec(fileName ?? '');
    if (excelName) throw fileErrors.misnamed(excelName[0].toLowerCase());
    const encoding = textEncoding(head, size <= HEAD_BYTES);
    if (!encoding) throw fileErrors.notASpreadsheet();
    const delimiter = detectDelimiter(new TextDecoder(encoding).decode(head));
    return await openSheet(openCsvSource(handle, size, encoding, delimiter), effective.maxRows);
  } catch (error) {
    // Closing twice is harmless: the sources close the handle themselves when they give up.
    await handle.close();
    throw error;
  }
}

/**
 * How the text is encoded, or null when it is not text. Excel saves "CSV UTF-8" with a BOM and plain
 * "CSV" in the Windows code page, cp1251 for Russian.
 */
function textEncoding(head: Buffer, complete: boolean): TextEncoding | null {
  for (const byte of head) {
    const control = byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d;
    if (control) return null;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return 'utf-8';
  } catch {
    return 'windows-1251';
  }
}

async function contains(handle: FileHandle, size: number, needle: Buffer): Promise<boolean> {
  // Overlap the chunks so a needle across a chunk border is still found.
  for (let at = 0; at < size; at += SCAN_BYTES - needle.length) {
    const chunk = await readAt(handle, at, SCAN_BYTES);
    if (chunk.includes(needle)) return true;
    if (at + chunk.length >= size) break;
  }
  return false;
}
