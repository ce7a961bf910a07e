import { splitFullName } from './contact';

describe('full names', () => {
  it('splits last, first and middle name', () => {
    expect(splitFullName('  Иванов  Иван Иванович ')).toEqual({
      lastName: 'Иванов',
      firstName: 'Иван',
      middleName: 'Иванович',
    });
    expect(splitFullName('Петрова Анна')).toEqual({ lastName: 'Петрова', firstName: 'Анна', middleName: null });
  });

  it('refuses a single word for a person', () => {
    expect(() => splitFullName('Иван')).toThrow(/last and the first name/);
  });
});
