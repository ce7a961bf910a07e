import { estimateMatches } from './phone-digits-density';

describe('estimateMatches', () => {
  const histogram = { total: 1_000_000, sampled: 20_000, runs: new Map([['7916', 2000], ['9161', 20], ['1612', 18], ['916', 2500]]) };

  it('scales a sampled 3–4 digit run to the organization', () => {
    expect(estimateMatches(histogram, '7916')).toBe(100_000);
    expect(estimateMatches(histogram, '916')).toBe(125_000);
    expect(estimateMatches(histogram, '0000')).toBe(0);
  });

  it('bounds a longer run by its rarest 4-digit run', () => {
    expect(estimateMatches(histogram, '79161')).toBe(1_000);
    expect(estimateMatches(histogram, '791612')).toBe(900);
    expect(estimateMatches(histogram, '79169')).toBe(0);
  });
});
