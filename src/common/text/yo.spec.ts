import { foldYo, keepStoredSpelling, sameUpToYo } from './yo';

describe('ё and е', () => {
  it('folds ё to е in either case and nothing else', () => {
    expect(foldYo('Королёв Пётр Семёнович')).toBe('Королев Петр Семенович');
    expect(foldYo('ЁЛКИН ёж')).toBe('ЕЛКИН еж');
    expect(foldYo('Иванов')).toBe('Иванов');
  });

  it.each([
    ['Королёв', 'Королев', true],
    ['Королев', 'Королёв', true],
    ['Семёновна', 'Семеновна', true],
    ['Королёв', 'Королева', false],
    ['Королёв', 'королёв', false],
    ['Королёв', 'Королёв ', false],
    ['Ёлкин', 'Елкин', true],
    ['Елкин', 'Алкин', false],
  ])('«%s» and «%s» differ only in ё/е: %s', (a, b, same) => {
    expect(sameUpToYo(a, b)).toBe(same);
  });

  it('keeps the stored spelling when only ё/е differ, takes the new value otherwise', () => {
    expect(keepStoredSpelling('Королёв', 'Королев')).toBe('Королёв');
    expect(keepStoredSpelling('Королев', 'Королёв')).toBe('Королев');
    expect(keepStoredSpelling('Королёв', 'Королева')).toBe('Королева');
    expect(keepStoredSpelling<string | null>(null, 'Королев')).toBe('Королев');
    expect(keepStoredSpelling<string | null>('Королёв', null)).toBeNull();
  });
});
