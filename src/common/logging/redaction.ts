/**
 * The one list of what never reaches a log line, at any level: applied by the logger to every line's
 * message and fields (logger.ts), so no call site has to remember it.
 *
 * Two nets, because either alone leaks:
 * - by field name, at any depth: a value under `password`, `token`, `passport`… is replaced whole,
 *   whatever it looks like (a sign-in code is just digits, a passport number can be written many ways);
 * - by value shape, in every string (messages, stacks, SQL, driver errors): bcrypt hashes, JWTs, bearer
 *   tokens, SNILS, passport numbers, 10–12-digit runs (INN, SNILS and phones written without separators)
 *   and the values PostgreSQL quotes in a constraint error's `Key (column)=(value)`.
 */
export const REDACTED = '[redacted]';

/** Field names compared without case, `_` or `-`: `password_hash`, `passwordHash` and `PASSWORD-HASH` are one name. */
const SECRET_FIELDS = new Set(
  [
    'password',
    'passwordHash',
    'newPassword',
    'currentPassword',
    'generatedPassword',
    'adminPassword',
    'token',
    'accessToken',
    'refreshToken',
    'idToken',
    'authorization',
    'cookie',
    'setCookie',
    'secret',
    'jwtSecret',
    'apiKey',
    'signInCode',
    'smsCode',
    'verificationCode',
    'codeHash',
    'otp',
    'passport',
    'passportNumber',
    'passportSeries',
    'passportIssuedBy',
    'inn',
    'snils',
    // SQL parameters and driver details carry the row's values as they are.
    'parameters',
    'params',
    'values',
    'variables',
    'detail',
    // A notification's text may be a sign-in code.
    'body',
  ].map(normalizeName),
);

function normalizeName(name: string): string {
  return name.replace(/[_-]/g, '').toLowerCase();
}

export function isSecretField(name: string): boolean {
  return SECRET_FIELDS.has(normalizeName(name));
}

/** Each shape with what replaces it; order matters only where shapes overlap (JWT before digit runs). */
const SECRET_SHAPES: [RegExp, string][] = [
  [/\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g, REDACTED], // bcrypt
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, REDACTED], // JWT (a base64url JSON header always starts eyJ)
  [/\b(Bearer|Basic)\s+[\w.~+/-]+=*/gi, `$1 ${REDACTED}`],
  [/\b(Key \([^)]*\))=\((?:[^()]|\([^()]*\))*\)/g, `$1=(${REDACTED})`], // PostgreSQL's unique/foreign key detail
  [/(?<![\w-])\d{3}-\d{3}-\d{3}[ -]\d{2}(?![\w-])/g, REDACTED], // SNILS 123-456-789 01
  [/(?<![\w-])\d{2} ?\d{2} (?:№ ?)?\d{6}(?![\w-])/g, REDACTED], // passport 45 10 123456
  [/(?<![\w-])\+?\d{10,12}(?![\w-])/g, REDACTED], // INN, SNILS, passport or phone without separators
];

export function redactText(text: string): string {
  let result = text;
  for (const [shape, replacement] of SECRET_SHAPES) result = result.replace(shape, replacement);
  return result;
}

/** A copy of `value` fit for a log line: secret fields replaced, strings scrubbed, errors reduced to what helps (never their SQL parameters). */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[too deep]';
  if (value instanceof Error) return redactValue(describeError(value), depth + 1);
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value))
    copy[key] = isSecretField(key) ? REDACTED : redactValue(field, depth + 1);
  return copy;
}

/** What an error tells an operator: never `parameters`, `query` values or a driver's `detail`. */
function describeError(error: Error): Record<string, unknown> {
  const { code, constraint, table, column } = error as Error & Record<string, unknown>;
  return {
    name: error.name,
    message: error.message,
    ...(code !== undefined ? { code } : {}),
    ...(constraint !== undefined ? { constraint } : {}),
    ...(table !== undefined ? { table } : {}),
    ...(column !== undefined ? { column } : {}),
    stack: error.stack,
  };
}
