import { ValidateBy, ValidationOptions } from 'class-validator';
// The default ("min") metadata checks little more than length, so isValid() would pass numbers
// that cannot exist; "max" carries the real per-country patterns.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { msg } from './messages';

// libphonenumber digs a number out of free text ("+7 916 123-45-67 звонить вечером"); a clerk's
// cell with words in it may hide an extension or a second number, so we refuse rather than guess.
const PHONE_CHARACTERS = /^\+?[\d\s().\-‐‑‒–—]+$/;
const SEPARATORS = /[;,\r\n]+/;

export const PHONE_MESSAGE = msg(
  'телефон не распознан: укажите его как +7 916 123-45-67',
  'phone not recognized: write it as +7 916 123-45-67',
);

/** E.164 form ("+79161234567"), numbers without a country code read as Russian; null when not a real number. */
export function normalizePhone(input: string): string | null {
  const text = input.trim();
  if (!PHONE_CHARACTERS.test(text)) return null;
  const phone = parsePhoneNumberFromString(text, 'RU');
  return phone?.isValid() ? phone.number : null;
}

/** Spaces belong inside a number ("8 916 111-22-33"), so only ; , and line breaks separate numbers in one cell. */
export function splitPhones(input: string): string[] {
  return input
    .split(SEPARATORS)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** For search keys and exact matching, where the plus only gets in the way. */
export function phoneDigits(e164: string): string {
  return e164.replace(/\D/g, '');
}

export function IsPhone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPhone',
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' && normalizePhone(value) !== null,
        defaultMessage: (): string => PHONE_MESSAGE,
      },
    },
    options,
  );
}

/**
 * Whether a typed part of a phone matches few numbers, so that a trigram index finds them faster than
 * a walk in list order. Every Russian mobile starts with 79: "7931" matches one number in a hundred,
 * like two digits from the middle, so those two leading digits do not count.
 */
export function isSelectivePhonePart(digits: string): boolean {
  return digits.length - (digits.startsWith('79') ? 2 : 0) >= 4;
}
