import { Length } from 'class-validator';
import { msg } from './messages';

/** A required text field of at most `max` characters, named in the message a clerk reads. */
export const required = (ru: string, en: string, max = 200) =>
  Length(1, max, { message: msg(`укажите ${ru} (до ${max} символов)`, `${en} is required (up to ${max} characters)`) });
