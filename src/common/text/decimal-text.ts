const DECIMAL = /^-?\d{1,10}(\.\d{1,2})?$/;

/** "54.3" from "54,3" or " 54.3 ": a number with up to 2 decimals, comma or dot; null for anything else. */
export function decimalText(value: string): string | null {
  const text = value.trim().replace(',', '.');
  return DECIMAL.test(text) ? text : null;
}
