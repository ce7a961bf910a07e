/**
 * PostgreSQL's COPY text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"):
 * one line per row, columns separated by tabs, `\N` for NULL, and backslash, tab, newline and carriage
 * return escaped. Values become their text input form here; the server parses them by the column's type.
 */

/** How a column's values become text: arrays as array literals, jsonb as JSON, the rest by their own text form. */
export type CopyColumnKind = 'scalar' | 'array' | 'json';

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value escaped for a COPY text line. */
export function copyEscape(text: string): string {
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : text;
}

/** An array's literal (`{"a","b \"c\""}`): every element quoted, so commas, braces and spaces need no thought. */
export function arrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((value) =>
    value === null || value === undefined ? 'NULL' : `"${scalarText(value).replace(/["\\]/g, '\\$&')}"`,
  );
  return `{${elements.join(',')}}`;
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw new Error(`COPY cannot write a value of type ${typeof value}`);
}

/** One value's field on a COPY line (escaped), `\N` for null and undefined. */
export function copyField(value: unknown, kind: CopyColumnKind): string {
  if (value === null || value === undefined) return '\\N';
  if (kind === 'json') return copyEscape(JSON.stringify(value));
  if (kind === 'array') return copyEscape(arrayLiteral(value as unknown[]));
  return copyEscape(scalarText(value));
}

/** The rows' COPY text: one line per row, the fields of `properties` in order. */
export function copyLines(
  rows: readonly Record<string, unknown>[],
  columns: readonly { property: string; kind: CopyColumnKind }[],
): string {
  let text = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      if (i) line += '\t';
      line += copyField(row[columns[i].property], columns[i].kind);
    }
    text += line + '\n';
  }
  return text;
}
