import { premisesNumberKey, premisesNumbersCollide, premisesNumberSort } from './premises-number';

describe('premisesNumberKey', () => {
  it.each([
    ['12А', '12А'],
    ['12a', '12А'], // Latin look-alike typed in the wrong layout
    ['кв. 12-А', '12А'],
    ['Квартира 12 а', '12А'],
    ['№ 7', '7'],
    ['пом. 1Н', '1Н'],
  ])('normalizes %s to %s', (input, key) => {
    expect(premisesNumberKey(input)).toBe(key);
  });

  it('keeps different numbers apart', () => {
    expect(premisesNumberKey('12')).not.toBe(premisesNumberKey('12А'));
    expect(premisesNumberKey('1-2')).toBe(premisesNumberKey('12')); // dashes are noise in a number
  });
});

describe('premisesNumberSort', () => {
  it('orders numbers naturally', () => {
    const numbers = ['10', '2', '10А', '1', '100', 'П-3', '9Б'];
    expect([...numbers].sort((a, b) => premisesNumberSort(a).localeCompare(premisesNumberSort(b), 'ru'))).toEqual([
      '1',
      '2',
      '9Б',
      '10',
      '10А',
      '100',
      'П-3',
    ]);
  });
});

describe('premisesNumbersCollide', () => {
  it.each([
    ['1/2', '12', true],
    ['12-А', '12А', true],
    ['3.1', '31', true],
    ['кв. 12а', '12А', false],
    ['12 А', '12А', false],
    ['12ё', '12Е', false],
    ['12', '12', false],
    ['12', '13', false],
  ])('«%s» and «%s»: %s', (a, b, collide) => {
    expect(premisesNumbersCollide(a, b)).toBe(collide);
  });
});
