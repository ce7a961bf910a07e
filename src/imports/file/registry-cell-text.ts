/**
 * An exceljs cell value as the text the import parses: what staff see in the cell, minus formatting.
 * Numbers never come out in exponent form (a phone typed as a number must stay its digits).
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateText(value);
  if (typeof value !== 'object') return '';
  if ('error' in value) return '';
  if ('richText' in value && Array.isArray(value.richText)) {
    return value.richText
      .map((run: { text?: unknown }) => (typeof run.text === 'string' ? run.text : ''))
      .join('')
      .trim();
  }
  if ('formula' in value || 'sharedFormula' in value) return 'result' in value ? cellText(value.result) : '';
  if ('text' in value) return cellText(value.text);
  return '';
}

/** Excel keeps 15 significant digits and shows no more: rounding there drops binary noise like 0.30000000000000004. */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  const text = String(Number(value.toPrecision(15)));
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, lead, fraction = '', power] = exponent;
  const digits = lead + fraction;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits.padEnd(point, '0');
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** exceljs turns date-formatted cells into UTC midnights (and so does registry-sheet-xml.ts). */
export function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/**
 * Whether a cell's number format shows a date, by exceljs's own rule: a y, m, d, h, s or b outside
 * quoted text and [brackets] (colours, conditions, elapsed-time markers).
 */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}
