import { statisticsDue } from './statistics-schedule';

describe('statisticsDue', () => {
  it('refreshes at 2, 4, 8 and 16 batches of 2,000 rows, then every 50,000 rows', () => {
    const refreshesAt: number[] = [];
    for (let rows = 2000, seen = 0; rows <= 200_000; rows += 2000) {
      const due = statisticsDue(rows, 2000);
      if (due > seen) refreshesAt.push(rows);
      seen = due;
    }
    expect(refreshesAt).toEqual([4000, 8000, 16_000, 32_000, 50_000, 100_000, 150_000, 200_000]);
  });

  it('asks for nothing before the second batch', () => {
    expect(statisticsDue(0, 2000)).toBe(0);
    expect(statisticsDue(2000, 2000)).toBe(0);
  });

  it('with tiny batches, refreshes from 4,000 rows on, four times before 50,000', () => {
    expect(statisticsDue(3999, 10)).toBe(0);
    expect(statisticsDue(4000, 10)).toBe(1);
    expect(statisticsDue(49_999, 10)).toBe(4);
    expect(statisticsDue(50_000, 10)).toBe(5);
  });

  it('with batches as large as the interval, refreshes only every 50,000 rows', () => {
    expect(statisticsDue(49_999, 50_000)).toBe(0);
    expect(statisticsDue(50_000, 50_000)).toBe(1);
    expect(statisticsDue(100_000, 50_000)).toBe(2);
  });
});
