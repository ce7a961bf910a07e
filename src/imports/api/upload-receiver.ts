import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { BadInputException } from '../../common/errors/domain.exception';

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: { storedName: string; originalName: string; size: number; tooLarge: boolean } | null;
}

/**
 * Streams a multipart upload's `file` part to disk (never into memory) and collects the text fields.
 * A file over the limit is cut there and flagged, so the caller can record why it was refused.
 */
export async function receiveUpload(request: Request, dir: string, maxBytes: number): Promise<ReceivedUpload> {
  if (!request.headers['content-type']?.toLowerCase().startsWith('multipart/form-data')) {
    throw BadInputException.field(
      'file',
      'отправьте файл как multipart/form-data в поле file',
      'send the file as multipart/form-data in the field "file"',
    );
  }
  await mkdir(dir, { recursive: true });
  const fields: Record<string, string> = {};
  let file: ReceivedUpload['file'] = null;
  const writes: Promise<void>[] = [];
  const parser = busboy({
    headers: request.headers,
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024 },
    defParamCharset: 'utf8',
  });
  parser.on('field', (name, value) => {
    fields[name] = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name !== 'file' || file) {
      stream.resume();
      return;
    }
    const received = {
      storedName: `${randomUUID()}.upload`,
      originalName: info.filename || 'file',
      size: 0,
      tooLarge: false,
    };
    file = received;
    stream.on('data', (chunk: Buffer) => (received.size += chunk.length));
    stream.on('limit', () => (received.tooLarge = true));
    writes.push(pipeline(stream, createWriteStream(join(dir, received.storedName))));
  });
  try {
    await pipeline(request, parser);
    await Promise.all(writes);
  } catch (error) {
    // The file stream may still be opening its file: let it settle, or the delete could come first.
    await Promise.allSettled(writes);
    const stored = file as ReceivedUpload['file'];
    if (stored) await rm(join(dir, stored.storedName), { force: true });
    void error;
    throw BadInputException.field(
      'file',
      'файл не удалось принять целиком: отправьте его ещё раз',
      'the upload was interrupted: send the file again',
    );
  }
  return { fields, file };
}
