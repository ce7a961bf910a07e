import { phonePart, wholeNumber } from './phone-resolver';

describe('phone parts of the typeahead', () => {
  const cases: [string, ReturnType<typeof phonePart>][] = [
    ['916 12', { contains: '91612', startsWith: null }],
    ['+7 (916) 1', { contains: '79161', startsWith: '79161' }],
    ['7916', { contains: '7916', startsWith: '7916' }],
    ['987', { contains: '987', startsWith: null }],
    ['8916', { contains: '8916', startsWith: '7916' }],
    ['8 (916) 12', { contains: '891612', startsWith: '791612' }],
    ['  8-916-440', { contains: '8916440', startsWith: '7916440' }],
    ['91', null],
    ['+7', null],
    ['', null],
  ];
  it.each(cases)('%j → %j', (typed, expected) => {
    expect(phonePart(typed)).toEqual(expected);
  });
});

describe('whole numbers in any writing', () => {
  const cases: [string, string | null][] = [
    ['+7 916 440-55-55', '+79164405555'],
    ['8 (916) 440-55-55', '+79164405555'],
    ['89164405555', '+79164405555'],
    ['7 916 440 55 55', '+79164405555'],
    ['9164405555', '+79164405555'],
    ['+7 (495) 000-00-00', '+74950000000'],
    ['916 44', null],
    ['+7 916 440-55-55 доб. 2', null],
  ];
  it.each(cases)('%j → %j', (typed, expected) => {
    expect(wholeNumber(typed)).toBe(expected);
  });
});
