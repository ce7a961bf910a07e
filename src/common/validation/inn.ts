import { ValidateBy, ValidationOptions } from 'class-validator';
import { msg } from './messages';

const LEGAL_ENTITY_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INDIVIDUAL_FIRST_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INDIVIDUAL_SECOND_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

export const INN_MESSAGE = msg(
  'ИНН не прошёл проверку контрольной суммы (10 цифр для организации, 12 для физлица)',
  'INN failed the checksum check (10 digits for an organization, 12 for an individual)',
);

function checkDigit(digits: number[], weights: number[]): number {
  const sum = weights.reduce((total, weight, index) => total + weight * digits[index], 0);
  return (sum % 11) % 10;
}

/** 10 digits for an organization, 12 for an individual; the last one or two digits are checksums. */
export function isValidInn(value: string): boolean {
  if (!/^(\d{10}|\d{12})$/.test(value)) return false;
  const digits = [...value].map(Number);
  if (digits.length === 10) return checkDigit(digits, LEGAL_ENTITY_WEIGHTS) === digits[9];
  return (
    checkDigit(digits, INDIVIDUAL_FIRST_WEIGHTS) === digits[10] &&
    checkDigit(digits, INDIVIDUAL_SECOND_WEIGHTS) === digits[11]
  );
}

export function IsInn(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInn',
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' && isValidInn(value),
        defaultMessage: (): string => INN_MESSAGE,
      },
    },
    options,
  );
}
