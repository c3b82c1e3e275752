import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/ui/format';

describe('formatDuration', () => {
  it('never shows 60 of a unit (seen: "about 3 min 60 s")', () => {
    expect(formatDuration(239.6)).toBe('4 min 0 s');
    expect(formatDuration(59.7)).toBe('1 min 0 s');
    expect(formatDuration(3599.8)).toBe('1 h 0 min');
    expect(formatDuration(7199)).toBe('2 h 0 min');
  });

  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45.2)).toBe('45 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(4320)).toBe('1 h 12 min');
  });

  it('has a dash for what cannot be estimated', () => {
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
    expect(formatDuration(-1)).toBe('–');
  });
});
