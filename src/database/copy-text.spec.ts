import { arrayLiteral, copyEscape, copyField, copyLines } from './copy-text';

describe('COPY text format', () => {
  it('escapes the four characters the format reserves, and nothing else', () => {
    expect(copyEscape('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyEscape('Иванов "И." {1,2}')).toBe('Иванов "И." {1,2}');
  });

  it('writes NULL as \\N and every kind of value in its text input form', () => {
    expect(copyField(null, 'scalar')).toBe('\\N');
    expect(copyField(undefined, 'json')).toBe('\\N');
    expect(copyField(true, 'scalar')).toBe('t');
    expect(copyField(12.5, 'scalar')).toBe('12.5');
    expect(copyField(new Date('2024-02-03T04:05:06.007Z'), 'scalar')).toBe('2024-02-03T04:05:06.007Z');
    expect(copyField({ a: 'x\ty' }, 'json')).toBe('{"a":"x\\\\ty"}');
  });

  it('quotes every array element, so commas, braces, quotes and the word NULL stay text', () => {
    expect(arrayLiteral(['a,b', '{c}', 'd"e\\f', 'NULL', null])).toBe('{"a,b","{c}","d\\"e\\\\f","NULL",NULL}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('writes one line per row, fields in the columns order, tab-separated', () => {
    const text = copyLines(
      [
        { id: '1', tags: ['x'], note: null },
        { id: '2', tags: [], note: 'a\nb' },
      ],
      [
        { property: 'id', kind: 'scalar' },
        { property: 'tags', kind: 'array' },
        { property: 'note', kind: 'scalar' },
      ],
    );
    expect(text).toBe('1\t{"x"}\t\\N\n2\t{}\ta\\nb\n');
  });

  it('refuses a value it has no text form for, instead of writing [object Object]', () => {
    expect(() => copyField({ a: 1 }, 'scalar')).toThrow(/COPY cannot write/);
  });
});
