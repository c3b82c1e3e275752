import { describe, expect, it } from 'vitest';
import { buildRowIndex } from '../../src/model/fused/rowIndex';

describe('buildRowIndex', () => {
  it('lists, for each row, the positions that read it in ascending order', () => {
    const rowOfPosition = Int32Array.from([2, 0, 2, 1, 0, 2]);
    const { offsets, order } = buildRowIndex(rowOfPosition, 4, 0, 6);
    expect([...offsets]).toEqual([0, 2, 3, 6, 6]);
    expect([...order]).toEqual([1, 4, 3, 0, 2, 5]);
  });

  it('indexes a range of positions relative to its start and skips padding', () => {
    const rowOfPosition = Int32Array.from([0, 1, -1, 1, 0, 3]);
    const { offsets, order } = buildRowIndex(rowOfPosition, 4, 2, 6);
    expect([...offsets]).toEqual([0, 1, 2, 2, 3]);
    expect([...order]).toEqual([2, 1, 3]);
  });

  it('agrees with a direct scan on random input', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const rows = 37;
    const rowOfPosition = Int32Array.from({ length: 500 }, () => Math.floor(random() * (rows + 3)) - 3);
    const { offsets, order } = buildRowIndex(rowOfPosition, rows, 100, 450);
    for (let r = 0; r < rows; r++) {
      const expected: number[] = [];
      for (let p = 100; p < 450; p++) if (rowOfPosition[p] === r) expected.push(p - 100);
      expect([...order.subarray(offsets[r]!, offsets[r + 1]!)]).toEqual(expected);
    }
  });

  it('refuses a position that reads past the table', () => {
    expect(() => buildRowIndex(Int32Array.from([0, 5]), 4, 0, 2)).toThrow(/row 5 of a table of 4/);
  });
});
