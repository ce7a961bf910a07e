import { DomainException } from './domain.exception';
import { BilingualMessage, ErrorCode, FieldError } from './error-code';

/**
 * What PostgreSQL tells a client about a failed statement (node-postgres' DatabaseError, which
 * TypeORM's QueryFailedError carries as `driverError` and also copies onto itself).
 */
interface PgErrorFields {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
}

/** SQLSTATEs that mean "another transaction got in the way": the same work may succeed when run again. */
const RETRYABLE = new Set(['40P01', '40001']);

/** Columns that scope a key rather than name what the client chose. */
const SCOPE_COLUMNS = new Set(['organization_id']);

/**
 * Unique keys whose input field is not the key's last column minus `_key`, or whose answer must say
 * less than the generic one. test/database-errors.e2e.ts lists every unique index of the migrated
 * database and fails when one maps to no input field and is not listed in SERVER_KEYS.
 */
const UNIQUE_KEY_FIELDS: Record<string, { field: string; text?: BilingualMessage }> = {
  // Login is by e-mail, so e-mails are unique across organizations; the answer must not tell an admin
  // that the address belongs to someone in another organization (issue 19, item 7).
  uq_employee_email: {
    field: 'email',
    text: {
      ru: 'Этот e-mail нельзя использовать для входа: укажите другой адрес',
      en: 'This e-mail cannot be used to sign in: choose another address',
    },
  },
  uq_building_address: {
    field: 'street',
    text: { ru: 'Дом с таким адресом уже есть', en: 'A building with this address already exists' },
  },
  uq_client_phone: {
    field: 'phone',
    text: { ru: 'Этот телефон уже указан у другого клиента', en: 'Another client already has this phone' },
  },
  uq_tag_name: { field: 'tagName' },
  uq_occupancy: {
    field: 'clientId',
    text: {
      ru: 'Этот клиент уже привязан к помещению: обновите карточку',
      en: 'The client is already attached to these premises: reload the card',
    },
  },
  uq_registration_request_pending: { field: 'phone' },
};

/**
 * Unique keys the server fills itself (ids, generated numbers, deduplication keys): a violation is a
 * race between two requests, answered as CONFLICT without a field.
 */
export const SERVER_KEYS: ReadonlySet<string> = new Set([
  'uq_ticket_number',
  // notification_outbox (dedup_key): TypeORM's generated name for the column's UNIQUE.
  'UQ_53ff2a51a16ef39be7edb0d1d67',
]);

const RACE_TEXT: BilingualMessage = {
  ru: 'Эти данные одновременно меняет другой запрос: повторите действие',
  en: 'Another request is changing the same data: try again',
};

function pgFields(error: unknown): PgErrorFields | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const driverError = (error as { driverError?: unknown }).driverError;
  const fields = (typeof driverError === 'object' && driverError !== null ? driverError : error) as PgErrorFields;
  return typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code) ? fields : undefined;
}

/** The SQLSTATE of a database error (TypeORM's or node-postgres'), undefined for anything else. */
export function sqlState(error: unknown): string | undefined {
  return pgFields(error)?.code;
}

/** True for PostgreSQL's unique_violation (23505), optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgFields(error);
  return pg?.code === '23505' && (!constraint || pg.constraint === constraint);
}

/**
 * True when a row is still referenced: foreign_key_violation (23503), or restrict_violation (23001),
 * which PostgreSQL 18 raises for ON DELETE RESTRICT where earlier versions raised 23503.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = sqlState(error);
  return code === '23503' || code === '23001';
}

/** A deadlock (40P01) or serialization failure (40001): the transaction was rolled back and may be run again. */
export function isRetryableTransactionFailure(error: unknown): boolean {
  return RETRYABLE.has(sqlState(error) ?? '');
}

/** snake_case column → camelCase input field, without the normalized-copy suffix (`number_key` → `number`). */
export function fieldOfColumn(column: string): string {
  return column.replace(/_key$/, '').replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * The columns of the key in a violation's detail, "Key (organization_id, phone)=(…) already exists."
 * Only the names are read: the values are the client's data and never leave this function.
 */
export function keyColumnsOfDetail(detail: string | undefined): string[] {
  const match = /^Key \((.+?)\)=\(/s.exec(detail ?? '');
  if (!match) return [];
  return match[1].split(',').map((part) =>
    part
      .trim()
      .replace(/^.*\(([a-z0-9_]+)\)$/, '$1')
      .replace(/"/g, ''),
  );
}

/** The input field a unique key stands for, or undefined for server-filled keys and primary keys. */
export function fieldOfUniqueKey(constraint: string | undefined, columns: readonly string[]): string | undefined {
  if (constraint && UNIQUE_KEY_FIELDS[constraint]) return UNIQUE_KEY_FIELDS[constraint].field;
  if (constraint && (SERVER_KEYS.has(constraint) || /^pk_/i.test(constraint) || constraint.endsWith('_pkey')))
    return undefined;
  const chosen = columns.filter((column) => !SCOPE_COLUMNS.has(column));
  const last = chosen[chosen.length - 1];
  return last === undefined || last === 'id' ? undefined : fieldOfColumn(last);
}

function fieldError(field: string, text: BilingualMessage): FieldError[] {
  return [{ path: `input.${field}`, message: text.ru, messageEn: text.en }];
}

function uniqueViolation(pg: PgErrorFields): DomainException {
  return uniqueKeyTaken(pg.constraint, keyColumnsOfDetail(pg.detail));
}

/**
 * The answer for a value a unique key already holds: for a violation the database raised, and for a
 * service that checks first (createEmployee), so both paths say the same thing.
 */
export function uniqueKeyTaken(constraint: string | undefined, columns: readonly string[] = []): DomainException {
  const field = fieldOfUniqueKey(constraint, columns);
  if (!field) return new DomainException(ErrorCode.CONFLICT, RACE_TEXT);
  const text = (constraint ? UNIQUE_KEY_FIELDS[constraint]?.text : undefined) ?? {
    ru: `Значение поля ${field} уже используется: укажите другое`,
    en: `The value of ${field} is already in use: choose another`,
  };
  return new DomainException(ErrorCode.CONFLICT, text, fieldError(field, text));
}

function foreignKeyViolation(pg: PgErrorFields): DomainException {
  const columns = keyColumnsOfDetail(pg.detail).filter((column) => !SCOPE_COLUMNS.has(column));
  const field = columns.length ? fieldOfColumn(columns[columns.length - 1]) : undefined;
  if (/is not present in table/.test(pg.detail ?? '')) {
    // The row the input points at is gone (deleted by another request, or never existed).
    const text = {
      ru: `Связанная запись не найдена${field ? ` (${field})` : ''}`,
      en: `The referenced record was not found${field ? ` (${field})` : ''}`,
    };
    return new DomainException(ErrorCode.NOT_FOUND, text, field ? fieldError(field, text) : undefined);
  }
  return new DomainException(ErrorCode.CONFLICT, {
    ru: 'Запись связана с другими данными (счета, помещения, жильцы): сначала измените их',
    en: 'Other data (accounts, premises, residents) refers to this record: change it first',
  });
}

function badValue(pg: PgErrorFields): DomainException {
  const checked = pg.constraint && pg.table ? pg.constraint.replace(new RegExp(`^ck_${pg.table}_`), '') : undefined;
  const column = pg.column ?? (checked && checked !== pg.constraint ? checked : undefined);
  const field = column ? fieldOfColumn(column) : undefined;
  const text =
    pg.code === '23502'
      ? {
          ru: `Не заполнено обязательное поле${field ? ` ${field}` : ''}`,
          en: `A required field is empty${field ? `: ${field}` : ''}`,
        }
      : {
          ru: `Недопустимое значение${field ? ` поля ${field}` : ''}`,
          en: `Value not allowed${field ? ` for ${field}` : ''}`,
        };
  return new DomainException(ErrorCode.BAD_USER_INPUT, text, field ? fieldError(field, text) : undefined);
}

/**
 * The single mapping of database errors to what a client is told: a unique key already taken →
 * CONFLICT naming the field; a deadlock or serialization failure that survived its retry
 * (retryOnceOnTransactionFailure) → CONFLICT; a value the database cannot store (class 22, over an
 * index's size, a check or not-null constraint) → BAD_USER_INPUT; a referenced row gone → NOT_FOUND,
 * a row still referenced → CONFLICT. Anything else is a server fault: undefined.
 */
export function domainErrorOfDatabase(error: unknown): DomainException | undefined {
  const pg = pgFields(error);
  if (!pg?.code) return undefined;
  if (pg.code === '23505') return uniqueViolation(pg);
  if (pg.code === '23503' || pg.code === '23001') return foreignKeyViolation(pg);
  if (RETRYABLE.has(pg.code) || pg.code === '55P03') return new DomainException(ErrorCode.CONFLICT, RACE_TEXT);
  if (pg.code === '23502' || pg.code === '23514' || pg.code.startsWith('22') || pg.code === '54000')
    return badValue(pg);
  return undefined;
}

/**
 * Runs `work` and, when its transaction died of a deadlock or a serialization failure, once more
 * after a short random pause (so the two rivals do not collide again). `work` must be one
 * transaction (nothing committed before the failure), which is what makes the second run safe.
 */
export async function retryOnceOnTransactionFailure<T>(
  work: () => Promise<T>,
  pause = () => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20)),
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isRetryableTransactionFailure(error)) throw error;
    await pause();
    return work();
  }
}
