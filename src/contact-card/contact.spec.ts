import { phonePart, splitFullName } from './contact';

describe('phone parts of the typeahead', () => {
  it('reads the digits of any writing', () => {
    expect(phonePart('916 12')).toEqual({ contains: '91612', startsWith: null });
  });

  it('reads a part starting with the country code 7 as the beginning of a number too', () => {
    expect(phonePart('+7 (916) 1')).toEqual({ contains: '79161', startsWith: '79161' });
    expect(phonePart('7916')).toEqual({ contains: '7916', startsWith: '7916' });
    expect(phonePart('987')).toEqual({ contains: '987', startsWith: null });
  });

  it('reads a leading 8 as the trunk prefix of +7 too', () => {
    expect(phonePart('8916')).toEqual({ contains: '8916', startsWith: '7916' });
    expect(phonePart('8 (916) 12')).toEqual({ contains: '891612', startsWith: '791612' });
  });

  it('waits for three digits', () => {
    expect(phonePart('91')).toBeNull();
    expect(phonePart('+7')).toBeNull();
  });
});

describe('full names', () => {
  it('splits last, first and middle name', () => {
    expect(splitFullName('  Иванов  Иван Иванович ')).toEqual({ lastName: 'Иванов', firstName: 'Иван', middleName: 'Иванович' });
    expect(splitFullName('Петрова Анна')).toEqual({ lastName: 'Петрова', firstName: 'Анна', middleName: null });
  });

  it('refuses a single word for a person', () => {
    expect(() => splitFullName('Иван')).toThrow(/last and the first name/);
  });
});
