import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { fileErrors } from './registry-file-error';
import { readAt, ZipEntry } from './registry-zip';
import { InflateSlots } from './inflate-slots';

/** An entry of the file, or one made up in memory (stored, not compressed). */
export type ZipPart = ZipEntry | { name: string; content: Buffer };

const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
const STORED = 0;
const DEFLATED = 8;
/**
 * Entries inflating at once in this process, whatever the number of uploads: each holds a window and a
 * chunk or two, and the rest wait their turn, so hostile uploads side by side cannot add up.
 */
const INFLATING = new InflateSlots(2);
const DATA_DESCRIPTOR_FLAG = 0x08;
const U32_MAX = 0xffffffff;
/** Small: the unzipper queues up to 16 chunks, and progress counts what was read, not what was parsed. */
const CHUNK_BYTES = 16 * 1024;
/** 1980-01-01, the earliest date a zip header can hold. */
const DOS_EPOCH_DATE = 0x21;
/**
 * An empty end-of-central-directory record, the stream's last bytes: the unzipper stops cleanly at it.
 * Without it the unzipper met the end of the stream where it looked for the next record and failed
 * with FILE_ENDED, which onFailure would report as damage.
 */
const END_OF_CENTRAL_DIRECTORY = (() => {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  return record;
})();

/**
 * A zip stream of chosen entries of a zip file, in the order given: a streaming unzipper sees the
 * parts it needs first (exceljs needs the shared strings before a sheet, or it spools the sheet to a
 * temp file). Each entry's local header and data are copied as they are, with the sizes the central
 * directory knows written in, so no data descriptor has to be found by scanning.
 */
export class ZipPartsStream extends Readable {
  private consumed = 0;
  private failure: Error | null = null;
  private readonly failureListeners = new Set<(error: Error) => void>();
  private readonly total: number;
  private readonly chunks: AsyncGenerator<Buffer>;

  constructor(
    private readonly handle: FileHandle,
    parts: ZipPart[],
  ) {
    super();
    this.total = parts.reduce((sum, part) => sum + ('content' in part ? part.content.length : part.compressedSize), 0);
    this.chunks = this.generate(parts);
  }

  /** 0..1: the share of the chosen entries' bytes handed on. */
  progress(): number {
    return this.total === 0 ? 1 : Math.min(1, this.consumed / this.total);
  }

  override _read(): void {
    this.chunks.next().then(
      ({ done, value }) => this.push(done ? null : value),
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error) this.fail(error);
    this.chunks.return(undefined).then(() => callback(error), callback);
  }

  /** The unzipper's own failures (a corrupt deflate stream) would otherwise stall whoever reads its entries. */
  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    destination.on('error', (error: Error) => {
      this.fail(error);
      this.destroy(error);
    });
    return super.pipe(destination, options);
  }

  /**
   * Calls `listener` with the first failure of this stream or of the unzipper it feeds (at once if there
   * was one already); returns what removes it. Unlike the 'error' event, this also reports a failure that
   * comes after the last byte was handed on: the unzipper buffers ahead, so a damaged sheet's inflate
   * error can come when this stream has ended, and destroying an ended stream emits nothing.
   */
  onFailure(listener: (error: Error) => void): () => void {
    if (this.failure) {
      listener(this.failure);
      return () => undefined;
    }
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const listener of this.failureListeners) listener(error);
    this.failureListeners.clear();
  }

  /** An entry's data as stored in the file, in chunks, counted for progress. */
  private async *compressedChunks(part: ZipEntry, start: number): AsyncGenerator<Buffer> {
    const end = start + part.compressedSize;
    for (let at = start; at < end;) {
      const chunk = await readAt(this.handle, at, Math.min(CHUNK_BYTES, end - at));
      if (chunk.length === 0) throw new Error(`Zip entry ${part.name} is cut short`);
      at += chunk.length;
      this.consumed += chunk.length;
      yield chunk;
    }
  }

  private async *generate(parts: ZipPart[]): AsyncGenerator<Buffer> {
    for (const part of parts) {
      if ('content' in part) {
        this.consumed += part.content.length;
        yield storedEntry(part.name, part.content);
        continue;
      }
      const fixed = await readAt(this.handle, part.localHeaderOffset, LOCAL_HEADER_SIZE);
      if (fixed.length < LOCAL_HEADER_SIZE || fixed.readUInt32LE(0) !== LOCAL_SIGNATURE)
        throw new Error(`Zip entry ${part.name} has no local header`);
      const headerSize = LOCAL_HEADER_SIZE + fixed.readUInt16LE(26) + fixed.readUInt16LE(28);
      const header = await readAt(this.handle, part.localHeaderOffset, headerSize);
      const compressed = this.compressedChunks(part, part.localHeaderOffset + headerSize);
      const sized = part.compressedSize < U32_MAX && part.uncompressedSize < U32_MAX;
      if (!sized || part.method !== DEFLATED) {
        if (sized) writeSizes(header, part, part.method, part.compressedSize);
        yield header;
        yield* compressed;
        continue;
      }
      // Inflated here, never past the size the directory declares: the unzipper gets it stored.
      writeSizes(header, part, STORED, part.uncompressedSize);
      yield header;
      yield* INFLATING.run(() => inflateCapped(compressed, part.uncompressedSize));
    }
    yield END_OF_CENTRAL_DIRECTORY;
  }
}

/** A local header as the central directory describes the entry, with the method and data size that follow it. */
function writeSizes(header: Buffer, part: ZipEntry, method: number, dataSize: number): void {
  header.writeUInt16LE(header.readUInt16LE(6) & ~DATA_DESCRIPTOR_FLAG, 6);
  header.writeUInt16LE(method, 8);
  header.writeUInt32LE(part.crc32, 14);
  header.writeUInt32LE(dataSize, 18);
  header.writeUInt32LE(part.uncompressedSize, 22);
}

/**
 * An entry's data inflated, refused as a zip bomb the moment it passes `declared` bytes — whatever its
 * header claims, memory never holds more than a chunk of it — and as damage when it ends short.
 */
async function* inflateCapped(compressed: AsyncGenerator<Buffer>, declared: number): AsyncGenerator<Buffer> {
  const inflate = createInflateRaw({ chunkSize: CHUNK_BYTES });
  const input = Readable.from(compressed, { objectMode: false });
  input.on('error', (error) => inflate.destroy(error));
  input.pipe(inflate);
  let produced = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      produced += chunk.length;
      if (produced > declared) throw fileErrors.zipBomb();
      yield chunk;
    }
  } finally {
    input.destroy();
    inflate.destroy();
  }
  if (produced !== declared) throw fileErrors.damaged();
}

function storedEntry(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(LOCAL_HEADER_SIZE);
  header.writeUInt32LE(LOCAL_SIGNATURE, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(DOS_EPOCH_DATE, 12);
  header.writeUInt32LE(crc32(content), 14);
  header.writeUInt32LE(content.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(fileName.length, 26);
  return Buffer.concat([header, fileName, content]);
}
