import { ValidateBy, ValidationOptions } from 'class-validator';
import { msg } from './messages';

// Printed as "112-233-445 95"; people also type it solid or with all dashes or all spaces.
const SNILS_FORMAT = /^\d{3}[- ]?\d{3}[- ]?\d{3}[- ]?\d{2}$/;
// The checksum rule only applies to numbers issued after 001-001-998.
const LAST_UNCHECKED = 1001998;

export const SNILS_MESSAGE = msg(
  'СНИЛС не прошёл проверку: 11 цифр в виде 112-233-445 95, сверьте номер с документом',
  'SNILS failed the check: 11 digits like 112-233-445 95, compare it with the document',
);

/** The 11 digits of a SNILS written in any of its usual forms, or null; the checksum is not looked at. */
export function normalizeSnils(value: string): string | null {
  const text = value.trim();
  return SNILS_FORMAT.test(text) ? text.replace(/\D/g, '') : null;
}

export function isValidSnils(value: string): boolean {
  const snils = normalizeSnils(value);
  if (snils === null) return false;
  if (Number(snils.slice(0, 9)) <= LAST_UNCHECKED) return true;
  const sum = [...snils.slice(0, 9)].reduce((total, digit, index) => total + Number(digit) * (9 - index), 0);
  // Below 100 the sum is the check number itself; 100 and 101 give 00; above that take it mod 101,
  // where a remainder of 100 again means 00.
  const remainder = sum < 100 ? sum : sum % 101;
  const check = remainder === 100 ? 0 : remainder;
  return check === Number(snils.slice(9));
}

export function IsSnils(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSnils',
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' && isValidSnils(value),
        defaultMessage: (): string => SNILS_MESSAGE,
      },
    },
    options,
  );
}
