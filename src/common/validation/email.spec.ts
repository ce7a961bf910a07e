import { isEmail } from 'class-validator';
import { isValidEmail } from './email';

/** A small deterministic generator (mulberry32), so a failure names an address that stays the same. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(20261207);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
const LOCAL = 'abcxyzABZ0189._%+-!#"~ @йё'.split('');
const LABEL = 'abzAZ09-_й.'.split('');

function text(alphabet: readonly string[], length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += pick(alphabet);
  return out;
}

/** Mostly near-usual addresses, with the characters and lengths where the rules' edges are. */
function address(): string {
  const local = text(
    LOCAL.slice(0, next() < 0.7 ? 13 : LOCAL.length),
    1 + Math.floor(next() * (next() < 0.1 ? 70 : 12)),
  );
  const labels = Array.from({ length: 1 + Math.floor(next() * 3) }, () =>
    text(LABEL.slice(0, next() < 0.7 ? 7 : LABEL.length), Math.floor(next() * (next() < 0.1 ? 70 : 10))),
  );
  const tld = pick([
    'ru',
    'com',
    'r',
    'рф',
    '123',
    'xn--p1ai',
    'a1',
    'COM',
    '',
    text(['a', 'z'], 60 + Math.floor(next() * 6)),
  ]);
  return `${local}@${[...labels, tld].join('.')}`;
}

describe('isValidEmail', () => {
  it('answers as class-validator isEmail on 40,000 generated addresses', () => {
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 40_000; i++) {
      const value = address();
      const expected = isEmail(value, {});
      if (isValidEmail(value) !== expected) throw new Error(`${JSON.stringify(value)}: isEmail says ${expected}`);
      if (expected) accepted++;
      else refused++;
    }
    // Both answers are well represented, so the comparison is not one-sided.
    expect(accepted).toBeGreaterThan(4_000);
    expect(refused).toBeGreaterThan(4_000);
  });

  it.each([
    'ivanov@mail.ru',
    'Ivan.Petrov+crm@sub.domain-name.com',
    'a_b%c@x1.io',
    `${'a'.repeat(64)}@mail.ru`,
    `x@${'a'.repeat(63)}.${'b'.repeat(63)}`,
  ])('accepts %s', (value) => {
    expect(isValidEmail(value)).toBe(true);
  });

  it.each([
    'ivanov@mail',
    'ivanov.@mail.ru',
    '.ivanov@mail.ru',
    'iva..nov@mail.ru',
    'ivanov@-mail.ru',
    'ivanov@mail-.ru',
    'ivanov@mail.123',
    'ivanov@mail_box.ru',
    `${'a'.repeat(65)}@mail.ru`,
    `x@${'a'.repeat(64)}.ru`,
    'ivanov@@mail.ru',
    'ivanov mail.ru',
  ])('refuses %s', (value) => {
    expect(isValidEmail(value)).toBe(false);
  });

  it('still accepts what isEmail accepts beyond the usual shape', () => {
    expect(isValidEmail('иван@почта.рф')).toBe(true);
    expect(isValidEmail('"ivan petrov"@mail.ru')).toBe(true);
    expect(isValidEmail('ivan!#~@mail.ru')).toBe(true);
  });
});
