/** How a birth-date cell may be written: ДД.ММ.ГГГГ, the reader's YYYY-MM-DD of a date-typed cell, or an Excel day number. */

const RUSSIAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EXCEL_SERIAL = /^\d{1,6}$/;
const EXCEL_SERIAL_MAX = 100_000;
// Serial 1900..2099 is a day in 1905, which no living client was born on: the clerk typed a year.
export const LOOKS_LIKE_YEAR = /^(19|20)\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Excel's day number: 1 is 1900-01-01, and Excel counts a 29 February 1900 that never was (serial 60). */
function excelSerialDay(serial: number): string {
  if (serial === 60) return '1900-02-29'; // left for the calendar check to refuse
  const epoch = serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return new Date(epoch + serial * DAY_MS).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD" as written (not yet checked against the calendar), or null when the text is no date format we read. */
export function isoDate(text: string): string | null {
  const russian = RUSSIAN_DATE.exec(text);
  if (russian) return `${russian[3]}-${russian[2].padStart(2, '0')}-${russian[1].padStart(2, '0')}`;
  if (ISO_DATE.test(text)) return text;
  if (EXCEL_SERIAL.test(text) && Number(text) >= 1 && Number(text) <= EXCEL_SERIAL_MAX)
    return excelSerialDay(Number(text));
  return null;
}

export const DATE_FORMAT = { ru: 'ДД.ММ.ГГГГ, например 31.12.1980', en: 'DD.MM.YYYY, e.g. 31.12.1980' };
