import { BilingualMessage } from '../errors/error-code';

/**
 * Why a text cannot be stored as it is, or null when it can. PostgreSQL refuses NUL in text, and a lone
 * UTF-16 surrogate (half of an emoji cut off) would be written as U+FFFD: a silent change of what was sent.
 */
export function unstorableText(value: string): BilingualMessage | null {
  if (value.includes('\u0000'))
    return { ru: 'содержит недопустимый символ NUL (\\u0000)', en: 'contains a NUL character (\\u0000)' };
  if (!value.isWellFormed())
    return {
      ru: 'содержит повреждённый символ (одиночный суррогат UTF-16)',
      en: 'contains a broken character (a lone UTF-16 surrogate)',
    };
  return null;
}
