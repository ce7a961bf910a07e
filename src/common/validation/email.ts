import { isEmail } from 'class-validator';
import { msg } from './messages';

export const EMAIL_MESSAGE = msg(
  'e-mail не распознан, например ivanov@mail.ru',
  'not an e-mail address, e.g. ivanov@mail.ru',
);

/** The client card's rule (class-validator's IsEmail with its default options), for the paths that validate by hand. */
export function isValidEmail(value: string): boolean {
  return isEmail(value, {});
}
