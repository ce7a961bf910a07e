import { estimateMatches, roughMatches } from './phone-digits-density';

describe('estimateMatches', () => {
  const sample = ['79161234567', '79161299999', '74957916100'];
  const histogram = {
    total: 1_000_000,
    sampled: 20_000,
    sample,
    runs: new Map([
      ['7916', 2000],
      ['9161', 20],
      ['1612', 18],
      ['916', 2500],
      ['1234', 900],
      ['2345', 900],
    ]),
  };

  it('scales a sampled 3–4 digit run to the organization', () => {
    expect(estimateMatches(histogram, '7916')).toBe(100_000);
    expect(estimateMatches(histogram, '916')).toBe(125_000);
    expect(estimateMatches(histogram, '0000')).toBe(0);
  });

  it('bounds a longer run by its rarest 4-digit run when the bound is small enough to decide', () => {
    expect(estimateMatches(histogram, '79161', 2_000)).toBe(1_000);
    expect(estimateMatches(histogram, '791612', 2_000)).toBe(900);
    expect(estimateMatches(histogram, '79169', 2_000)).toBe(0);
  });

  it('counts a longer run exactly in the sample when its bound is large', () => {
    // "12345": both 4-digit runs are common (bound 45,000), yet one sampled card holds all five digits.
    expect(estimateMatches(histogram, '12345', 2_000)).toBe(50);
    expect(estimateMatches(histogram, '79161', 0)).toBe(150);
  });
});

describe('roughMatches', () => {
  const histogram = {
    total: 1_000_000,
    sampled: 20_000,
    runs: new Map([
      ['7916', 2000],
      ['9161', 20],
      ['1612', 18],
      ['916', 2500],
      ['1234', 900],
      ['2345', 900],
      ['7961', 250],
      ['9613', 14],
      ['6133', 14],
    ]),
    leads: new Map([
      ['7916', 1900],
      ['7961', 200],
    ]),
  };

  it('scales a 3–4 digit run, and divides the rarest 4-digit run by ten for each further digit', () => {
    expect(roughMatches(histogram, '916')).toBe(125_000);
    expect(roughMatches(histogram, '7916')).toBe(100_000);
    expect(roughMatches(histogram, '12345')).toBe(4_500);
    expect(roughMatches(histogram, '12349')).toBe(0);
  });

  it('counts the numbers the digits begin apart from their rarest run', () => {
    // 200 of 20,000 sampled phones begin 7961: 1 in 100 of their 10,000 begin 796133.
    expect(roughMatches(histogram, '796133')).toBe(100);
    // 1,900 begin 7916, so about 950 in 1M begin 791612; its rarest run alone would say 9.
    expect(roughMatches(histogram, '791612')).toBe(950);
    // Digits from inside a number are not taken for a beginning: 14 sampled cards hold 9613, a tenth of them 96133.
    expect(roughMatches(histogram, '96133')).toBe(70);
  });
});
