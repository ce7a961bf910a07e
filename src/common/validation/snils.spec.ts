import { validate } from 'class-validator';
import { IsSnils, isValidSnils, normalizeSnils, SNILS_MESSAGE } from './snils';

describe('normalizeSnils', () => {
  it.each([
    ['112-233-445 95', '11223344595'],
    ['11223344595', '11223344595'],
    ['112-233-445-95', '11223344595'],
    ['112 233 445 95', '11223344595'],
    [' 112-233-445 95 ', '11223344595'],
    ['112-233-445 96', '11223344596'], // the format is fine; the checksum is isValidSnils' business
  ])('reads %j as %s', (input, digits) => {
    expect(normalizeSnils(input)).toBe(digits);
  });

  it.each([
    '',
    '1122334459',
    '112233445950',
    '112-233-44595x',
    '11-2233-445 95',
    '112--233-445 95',
    '112_233_445_95',
    'ABC-DEF-GHI JK',
  ])('refuses %j', (input) => {
    expect(normalizeSnils(input)).toBeNull();
  });
});

describe('isValidSnils', () => {
  it.each([
    ['112-233-445 95', 'sum 95 below 100 is the check number'],
    ['11223344595', 'the same, solid'],
    ['001-326-678 99', 'sum 99 is the check number'],
    ['001-508-815 00', 'sum 100 gives 00'],
    ['001-437-544 00', 'sum 101 gives 00'],
    ['001-318-759 01', 'sum 102 is taken mod 101'],
    ['123-456-789 64', 'sum 165 mod 101'],
    ['006-996-682 00', 'sum 201 mod 101 is 100, which gives 00'],
    ['000-000-191 00', 'at most 001-001-998: not checked'],
    ['001-001-998 57', 'the last unchecked number, any check digits'],
    ['001-001-999 65', 'the first checked number'],
  ])('accepts %j (%s)', (input) => {
    expect(isValidSnils(input)).toBe(true);
  });

  it.each([
    ['112-233-445 96', 'wrong check number'],
    ['112-233-454 95', 'two digits swapped'],
    ['001-001-999 00', 'the first checked number needs its checksum'],
    ['001-508-815 100', 'sum 100 written out instead of 00'],
    ['001-437-544 01', 'sum 101 gives 00, not 01'],
    ['006-996-682 100', 'a remainder of 100 written out'],
    ['112-233-445', 'no check number'],
    ['', 'empty'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidSnils(input)).toBe(false);
  });
});

class Employee {
  @IsSnils()
  snils: unknown;
}

describe('IsSnils', () => {
  it('passes a valid SNILS in either form', async () => {
    expect(await validate(Object.assign(new Employee(), { snils: '112-233-445 95' }))).toEqual([]);
    expect(await validate(Object.assign(new Employee(), { snils: '11223344595' }))).toEqual([]);
  });

  it('fails a bad checksum with the bilingual message', async () => {
    const errors = await validate(Object.assign(new Employee(), { snils: '112-233-445 96' }));
    expect(errors.map((error) => [error.property, error.constraints])).toEqual([['snils', { isSnils: SNILS_MESSAGE }]]);
    expect(JSON.parse(SNILS_MESSAGE)).toEqual({
      ru: expect.stringContaining('СНИЛС'),
      en: expect.stringContaining('SNILS'),
    });
  });
});
