import { validate } from 'class-validator';
import { INN_MESSAGE, IsInn, isValidInn } from './inn';

describe('isValidInn', () => {
  it.each([
    ['7830002293', 'organization'],
    ['7707083893', 'organization'],
    ['500100732259', 'individual'],
  ])('accepts %s (%s)', (inn) => {
    expect(isValidInn(inn)).toBe(true);
  });

  it.each([
    ['7830002294', 'wrong check digit of an organization'],
    ['7830002239', 'two digits swapped'],
    ['500100732258', 'wrong second check digit of an individual'],
    ['500100732249', 'wrong first check digit of an individual'],
    ['783000229', '9 digits'],
    ['78300022930', '11 digits'],
    ['5001007322590', '13 digits'],
    ['', 'empty'],
    ['78300O2293', 'a letter O for a zero'],
    ['ABCDEFGHIJ', 'letters'],
    ['7830 002293', 'a space inside'],
    [' 7830002293', 'a leading space'],
    ['-783000229', 'a sign'],
  ])('rejects %j (%s)', (inn) => {
    expect(isValidInn(inn)).toBe(false);
  });
});

class Client {
  @IsInn()
  inn: unknown;

  @IsInn({ message: 'custom' })
  other: unknown = '7830002293';
}

describe('IsInn', () => {
  it('passes both kinds of INN', async () => {
    expect(await validate(Object.assign(new Client(), { inn: '7830002293' }))).toEqual([]);
    expect(await validate(Object.assign(new Client(), { inn: '500100732259' }))).toEqual([]);
  });

  it('fails a bad checksum with the bilingual message', async () => {
    const errors = await validate(Object.assign(new Client(), { inn: '7830002294' }));
    expect(errors.map((error) => [error.property, error.constraints])).toEqual([['inn', { isInn: INN_MESSAGE }]]);
    expect(JSON.parse(INN_MESSAGE).ru).toBe(
      'ИНН не прошёл проверку контрольной суммы (10 цифр для организации, 12 для физлица)',
    );
  });

  it('fails a number instead of a string', async () => {
    expect(await validate(Object.assign(new Client(), { inn: 7830002293 }))).toHaveLength(1);
  });

  it('takes a message from the options', async () => {
    const errors = await validate(Object.assign(new Client(), { inn: '7830002293', other: '500100732258' }));
    expect(errors[0]?.constraints).toEqual({ isInn: 'custom' });
  });
});
