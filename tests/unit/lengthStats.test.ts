import { describe, expect, it } from 'vitest';
import { lengthStats } from '../../src/text/lengthStats';

describe('lengthStats', () => {
  it('bins lengths, counts truncation by maxlen and gives mean and median', () => {
    const stats = lengthStats([0, 10, 24, 25, 99, 1000, 5000], 24, 25, 100);
    expect(stats.bins.map((b) => b.count)).toEqual([3, 1, 0, 1, 2]);
    expect(stats.bins.at(-1)!.to).toBe(Number.POSITIVE_INFINITY);
    expect(stats.truncated).toBe(4);
    expect(stats.truncatedShare).toBeCloseTo(4 / 7);
    expect(stats.median).toBe(25);
    expect(stats.max).toBe(5000);
    expect(stats.mean).toBeCloseTo(6158 / 7);
  });
  it('handles an even count and no data', () => {
    expect(lengthStats([1, 2, 3, 4], 10).median).toBe(2.5);
    expect(lengthStats([], 10)).toMatchObject({ count: 0, mean: 0, median: 0, truncatedShare: 0 });
  });
});
