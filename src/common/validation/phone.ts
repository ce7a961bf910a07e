import { ValidateBy, ValidationOptions } from 'class-validator';
// The default ("min") metadata checks little more than length, so isValid() would pass numbers
// that cannot exist; "max" carries the real per-country patterns.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Metadata, MetadataJson } from 'libphonenumber-js/core';
import maxMetadata from 'libphonenumber-js/metadata.max.json';
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
  const russian = usualRussianNumber(text);
  if (russian) return russian;
  const phone = parsePhoneNumberFromString(text, 'RU');
  return phone?.isValid() ? phone.number : null;
}

/**
 * The Russian numbers libphonenumber accepts, as one anchored pattern built from its own max metadata:
 * RU's number types (fixed line, mobile, toll free…), each a national number of ten digits.
 */
const RUSSIAN_NATIONAL_NUMBER = ((): RegExp => {
  const metadata = new Metadata(maxMetadata as unknown as MetadataJson);
  metadata.selectNumberingPlan('RU');
  // The typings leave out the numbering plan's number types, which the library itself validates with.
  const plan = metadata.numberingPlan as unknown as { type(name: string): { pattern(): string } | undefined };
  const types = ['FIXED_LINE', 'MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'PERSONAL_NUMBER', 'VOIP', 'UAN', 'VOICEMAIL'];
  const patterns = types.flatMap((type) => {
    const pattern = plan.type(type)?.pattern();
    return pattern ? [pattern] : [];
  });
  return new RegExp(`^(?:${patterns.join('|')})$`);
})();
const SEPARATOR_CHARACTERS = /[\s().\-‐‑‒–—]/g;
// "+7" or the trunk "8", then ten digits. National numbers beginning with 7 or 33 are Kazakhstan's part of
// +7 (libphonenumber tells them apart by its leading digits): those, and every other shape, take its parser.
const USUAL_RUSSIAN_SHAPE = /^(?:\+7|8)((?!33)[3489]\d{9})$/;

/**
 * The shapes nearly every Russian registry cell has («+7 916 123-45-67», «8 (495) 123-45-67»), read by
 * libphonenumber's data without its general parser: the same answer (phone.spec.ts compares the two on
 * 200,000 numbers) for a twelfth of the time and allocations, a second of a 100,000-row import's CPU.
 * Null when the text has another shape or the number is no Russian one: the parser then decides.
 */
export function usualRussianNumber(text: string): string | null {
  const national = USUAL_RUSSIAN_SHAPE.exec(text.replace(SEPARATOR_CHARACTERS, ''))?.[1];
  return national && RUSSIAN_NATIONAL_NUMBER.test(national) ? `+7${national}` : null;
}

/** The parser alone (for the spec that checks usualRussianNumber against it). */
export function normalizePhoneByParser(input: string): string | null {
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
