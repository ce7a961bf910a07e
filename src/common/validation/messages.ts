/**
 * class-validator carries one string per failed rule; we pack the Russian text and its English
 * twin into it so the validation pipe can report both without a translation table.
 */
export function msg(ru: string, en: string): string {
  return JSON.stringify({ ru, en });
}

export function unpackMessage(text: string): { ru: string; en: string } {
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { ru?: unknown; en?: unknown };
      if (typeof parsed.ru === 'string' && typeof parsed.en === 'string') return { ru: parsed.ru, en: parsed.en };
    } catch {
      // not one of ours
    }
  }
  return { ru: 'Некорректное значение', en: text };
}
