import type { FileHandle } from 'node:fs/promises';
import { fileErrors, RegistryFileLimits } from './registry-file-error';

/** One file of a zip as its central directory declares it. */
export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  /** Infinity when the entry claims zip64 sizes it does not carry: nothing can vouch for it. */
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
/** Small entries (styles, rels) legitimately pack hundreds of times; only big ones can hurt. */
const RATIO_CHECK_FROM_BYTES = 1024 * 1024;

export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * The central directory, read from the file's tail without unpacking anything, so a zip bomb is
 * refused before a single byte is inflated. Null when the file is not a readable zip.
 */
export async function readZipDirectory(handle: FileHandle, fileSize: number): Promise<ZipEntry[] | null> {
  const tailStart = Math.max(0, fileSize - EOCD_SIZE - MAX_COMMENT);
  const tail = await readAt(handle, tailStart, fileSize - tailStart);
  let eocd = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;

  let count = tail.readUInt16LE(eocd + 10);
  let size = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  if (count === U16_MAX || size === U32_MAX || offset === U32_MAX) {
    const zip64 = await readZip64End(handle, tailStart + eocd);
    if (!zip64) return null;
    ({ count, size, offset } = zip64);
  }
  if (offset + size > fileSize) return null;

  const directory = await readAt(handle, offset, size);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) return null;
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const sizes = withZip64Extra(extra, {
      uncompressedSize: directory.readUInt32LE(at + 24),
      compressedSize: directory.readUInt32LE(at + 20),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    });
    entries.push({
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      method: directory.readUInt16LE(at + 10),
      crc32: directory.readUInt32LE(at + 16),
      ...sizes,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function readZip64End(
  handle: FileHandle,
  eocdPosition: number,
): Promise<{ count: number; size: number; offset: number } | null> {
  if (eocdPosition < 20) return null;
  const locator = await readAt(handle, eocdPosition - 20, 20);
  if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) return null;
  const record = await readAt(handle, Number(locator.readBigUInt64LE(8)), 56);
  if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) return null;
  return {
    count: Number(record.readBigUInt64LE(32)),
    size: Number(record.readBigUInt64LE(40)),
    offset: Number(record.readBigUInt64LE(48)),
  };
}

type EntrySizes = Pick<ZipEntry, 'uncompressedSize' | 'compressedSize' | 'localHeaderOffset'>;

/** The zip64 extra field holds, in this order, only the values the fixed fields mark as 0xFFFFFFFF. */
function withZip64Extra(extra: Buffer, sizes: EntrySizes): EntrySizes {
  const fields = ['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const;
  if (fields.every((f) => sizes[f] !== U32_MAX)) return sizes;
  const result = { ...sizes };
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== 0x0001) continue;
    let field = at + 4;
    for (const f of fields) {
      if (sizes[f] !== U32_MAX) continue;
      if (field + 8 > extra.length) break;
      result[f] = Number(extra.readBigUInt64LE(field));
      field += 8;
    }
  }
  if (result.uncompressedSize === U32_MAX || result.compressedSize === U32_MAX) result.uncompressedSize = Infinity;
  return result;
}

/** Refuses archives that would unpack into far more than any real registry. */
export function checkZipBomb(entries: ZipEntry[], limits: RegistryFileLimits): void {
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    const big = entry.uncompressedSize > RATIO_CHECK_FROM_BYTES;
    if (big && entry.uncompressedSize > Math.max(entry.compressedSize, 1) * limits.maxCompressionRatio)
      throw fileErrors.zipBomb();
  }
  if (total > limits.maxUncompressedBytes) throw fileErrors.zipBomb();
}
