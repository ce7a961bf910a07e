import { createHash } from 'node:crypto';
import { BadInputException } from '../errors/domain.exception';
import { unstorableText } from '../validation/text';

/**
 * What one value of a cursor must be, checked before it reaches SQL: a forged cursor must be a
 * BAD_USER_INPUT naming the argument, never a PostgreSQL cast error answered as INTERNAL.
 */
export type CursorValueKind = 'uuid' | 'text' | 'int32' | 'int53' | 'timestamp';

export type CursorValue = string | number;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
/** Ordering keys are short (surnames, addresses, account numbers): a longer one was not made by us. */
const MAX_TEXT = 2_000;

const INT32 = 2 ** 31;

function fits(kind: CursorValueKind, value: unknown): boolean {
  switch (kind) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT && unstorableText(value) === null;
    case 'int32':
      return Number.isInteger(value) && (value as number) >= -INT32 && (value as number) < INT32;
    case 'int53':
      return Number.isSafeInteger(value);
    case 'timestamp':
      return typeof value === 'string' && ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
  }
}

/**
 * The one codec for page cursors. A cursor is base64url of `[list, ...values]`: `list` names the list
 * (its ordering) it came from, so a cursor of another list is refused rather than misread, and every
 * value is checked against its kind.
 */
export class CursorCodec {
  private readonly list: string;

  /** `signature` describes the ordering (its SQL and direction); equal signatures may share cursors. */
  constructor(
    private readonly kinds: readonly CursorValueKind[],
    signature: string,
  ) {
    this.list = createHash('sha1')
      .update(`${signature}|${kinds.join(',')}`)
      .digest('base64url')
      .slice(0, 8);
  }

  encode(values: readonly CursorValue[]): string {
    return Buffer.from(JSON.stringify([this.list, ...values])).toString('base64url');
  }

  /** The cursor's values, or BAD_USER_INPUT naming `argument` (the field path the client sent it in). */
  decode(cursor: string, argument = 'after'): CursorValue[] {
    const parsed = parseJson(cursor);
    if (Array.isArray(parsed) && parsed.length === this.kinds.length + 1 && parsed[0] === this.list) {
      const values = parsed.slice(1) as unknown[];
      if (values.every((value, index) => fits(this.kinds[index], value))) return values as CursorValue[];
    }
    throw BadInputException.field(
      argument,
      'Некорректный курсор страницы: он не выдан этим списком. Запросите список заново, без after.',
      'Invalid page cursor: it was not issued by this list; request the list again without after',
    );
  }
}

function parseJson(cursor: string): unknown {
  if (typeof cursor !== 'string' || cursor.length > 4 * MAX_TEXT || !/^[A-Za-z0-9_-]*$/.test(cursor)) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
