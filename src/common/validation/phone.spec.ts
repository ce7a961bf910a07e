import { IsOptional, validate } from 'class-validator';
import {
  IsPhone,
  isSelectivePhonePart,
  normalizePhone,
  normalizePhoneByParser,
  PHONE_MESSAGE,
  phoneDigits,
  splitPhones,
  usualRussianNumber,
} from './phone';

describe('normalizePhone', () => {
  it.each([
    ['8 (916) 123-45-67', '+79161234567'],
    ['+7 916 1234567', '+79161234567'],
    ['9161234567', '+79161234567'],
    ['8-916-123-45-67', '+79161234567'],
    ['89161234567', '+79161234567'],
    ['7 916 123 45 67', '+79161234567'],
    ['  +7 916 123-45-67\t', '+79161234567'],
    ['+7(495)1234567', '+74951234567'],
    ['8 800 555-35-35', '+78005553535'],
    ['+375 29 123-45-67', '+375291234567'], // Belarus: foreign numbers need their +code
    ['+44 20 7946 0958', '+442079460958'],
  ])('reads %j as %s', (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['+7 916 123', 'too short'],
    ['123-45-67', 'a city number without its area code'],
    ['+7 916 123-45-67-89', 'too long'],
    ['abc', 'letters only'],
    ['8 916 abc-45-67', 'letters among digits'],
    ['+7 916 123-45-67 доб. 5', 'an extension would be lost'],
    ['+7 916 123-45-67 звонить вечером', 'a note after the number'],
    ['+7 916 123-45-67; +7 495 123-45-67', 'two numbers in one value'],
    ['+7 555 1234567', 'no such Russian code'],
    ['+7 000 1234567', 'possible length, impossible digits'],
    ['+49 123456', 'passes the default metadata, fails the full patterns'],
    ['375291234567', 'a foreign number without its plus reads as Russian'],
    ['9+161234567', 'a plus inside the number'],
  ])('refuses %j (%s)', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});

describe('splitPhones', () => {
  it('splits a cell on semicolons, commas and line breaks, never on spaces', () => {
    expect(splitPhones('8 916 111-22-33; +7 495 123-45-67, 89161234567')).toEqual([
      '8 916 111-22-33',
      '+7 495 123-45-67',
      '89161234567',
    ]);
    expect(splitPhones('8 916 111-22-33\n+7 495 123-45-67\r\n89161234567')).toEqual([
      '8 916 111-22-33',
      '+7 495 123-45-67',
      '89161234567',
    ]);
  });

  it('drops empty parts', () => {
    expect(splitPhones(' ;, 8 916 111-22-33 ;; \n ,')).toEqual(['8 916 111-22-33']);
    expect(splitPhones('')).toEqual([]);
    expect(splitPhones('  \n ')).toEqual([]);
  });

  it('feeds normalizePhone part by part', () => {
    expect(splitPhones('8 916 111-22-33; +7 495 123-45-67, 89161234567').map(normalizePhone)).toEqual([
      '+79161112233',
      '+74951234567',
      '+79161234567',
    ]);
  });
});

describe('phoneDigits', () => {
  it('keeps the digits only', () => {
    expect(phoneDigits('+79161234567')).toBe('79161234567');
    expect(phoneDigits('+375291234567')).toBe('375291234567');
  });
});

class Contact {
  @IsPhone()
  phone: unknown;

  @IsOptional()
  @IsPhone()
  spare?: unknown;

  @IsOptional()
  @IsPhone({ message: 'custom' })
  fax?: unknown;
}

function contact(values: Partial<Contact>): Contact {
  return Object.assign(new Contact(), values);
}

describe('IsPhone', () => {
  it('passes a number normalizePhone reads', async () => {
    expect(await validate(contact({ phone: '8 (916) 123-45-67', spare: '+375 29 123-45-67' }))).toEqual([]);
  });

  it('fails an unreadable number with the bilingual message', async () => {
    const errors = await validate(contact({ phone: '8 916 123' }));
    expect(errors).toHaveLength(1);
    expect(errors[0].property).toBe('phone');
    expect(errors[0].constraints).toEqual({ isPhone: PHONE_MESSAGE });
    expect(JSON.parse(PHONE_MESSAGE)).toEqual({
      ru: 'телефон не распознан: укажите его как +7 916 123-45-67',
      en: 'phone not recognized: write it as +7 916 123-45-67',
    });
  });

  it('fails values that are not strings', async () => {
    for (const phone of [undefined, null, 79161234567, ['+79161234567']]) {
      expect((await validate(contact({ phone })))[0]?.constraints).toEqual({ isPhone: PHONE_MESSAGE });
    }
  });

  it('leaves a missing optional field alone but checks one that is given', async () => {
    expect(await validate(contact({ phone: '+79161234567', spare: null }))).toEqual([]);
    expect((await validate(contact({ phone: '+79161234567', spare: 'нет' })))[0]?.property).toBe('spare');
  });

  it('takes a message from the options', async () => {
    expect((await validate(contact({ phone: '+79161234567', fax: '1' })))[0]?.constraints).toEqual({
      isPhone: 'custom',
    });
  });
});

describe('isSelectivePhonePart', () => {
  it('counts the digits after the 79 every mobile starts with', () => {
    expect(isSelectivePhonePart('916')).toBe(false);
    expect(isSelectivePhonePart('9161')).toBe(true);
    expect(isSelectivePhonePart('7931')).toBe(false);
    expect(isSelectivePhonePart('79312')).toBe(false);
    expect(isSelectivePhonePart('793123')).toBe(true);
  });
});

describe('the usual Russian shapes read without the parser', () => {
  /** A deterministic stream of digits (a linear congruential generator), so a failure repeats. */
  function digits(seed: number): () => string {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return String(Math.floor((state / 2_147_483_648) * 10));
    };
  }
  const shapes: ((national: string) => string)[] = [
    (n) => `+7 ${n.slice(0, 3)} ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`,
    (n) => `8 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`,
    (n) => `+7${n}`,
    (n) => `8${n}`,
    (n) => `7${n}`,
    (n) => `+7 (${n.slice(0, 4)}) ${n.slice(4)}`,
  ];

  it('answers as libphonenumber does for every three-digit range and the mobile ranges it carves up', () => {
    const next = digits(42);
    const nationals: string[] = [];
    for (let prefix = 0; prefix < 1000; prefix++)
      for (let i = 0; i < 30; i++)
        nationals.push(String(prefix).padStart(3, '0') + Array.from({ length: 7 }, next).join(''));
    for (let prefix = 9300; prefix < 9310; prefix++)
      for (let i = 0; i < 300; i++) nationals.push(String(prefix) + Array.from({ length: 6 }, next).join(''));
    const mismatches: string[] = [];
    const missed: string[] = [];
    let fast = 0;
    for (const national of nationals)
      for (const shape of shapes) {
        const text = shape(national);
        const byParser = normalizePhoneByParser(text);
        const usual = usualRussianNumber(text);
        if (usual) fast++;
        if (normalizePhone(text) !== byParser) mismatches.push(text);
        // Every Russian number of the usual shapes that the parser accepts goes the fast way.
        if (byParser && !usual && /^(?:\+7|8)[ (]*(?!33)[3489]/.test(text)) missed.push(text);
      }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(missed.slice(0, 10)).toEqual([]);
    expect(fast).toBeGreaterThan(40_000);
  });

  it('leaves Kazakhstan, short, long and foreign numbers to the parser', () => {
    for (const text of [
      '+7 701 123-45-67',
      '+7 336 123-45-67',
      '8 916 123-45-6',
      '+7 916 123-45-678',
      '+375 29 123-45-67',
    ])
      expect(usualRussianNumber(text)).toBeNull();
    expect(usualRussianNumber('+7 916 123-45-67')).toBe('+79161234567');
    expect(usualRussianNumber('8 (495) 123-45-67')).toBe('+74951234567');
  });
});
