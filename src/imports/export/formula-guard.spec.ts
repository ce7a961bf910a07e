import { guardFormula, unguardFormula } from './formula-guard';

describe('formula guard of exported cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
    ['+HYPERLINK("http://x")', '\'+HYPERLINK("http://x")'],
    ['-2+3+cmd|x', "'-2+3+cmd|x"],
    ['\tнабор', "'\tнабор"],
    ['\r=1', "'\r=1"],
  ])('guards %j', (text, guarded) => {
    expect(guardFormula(text)).toBe(guarded);
    expect(unguardFormula(guarded)).toBe(text);
  });

  it.each(['+7 916 123-45-67', '+79161234567; +74951234567', '-5', '54,30', 'Иванов', "'просто апостроф", ''])(
    'leaves %j as it is, both ways',
    (text) => {
      expect(guardFormula(text)).toBe(text);
      expect(unguardFormula(text)).toBe(text);
    },
  );
});
