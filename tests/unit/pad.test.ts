import { describe, expect, it } from 'vitest';
import { padSequences } from '../../src/text/pad';

const rows = (p: { data: Int32Array; maxlen: number; rows: number }) =>
  Array.from({ length: p.rows }, (_, r) => Array.from(p.data.subarray(r * p.maxlen, (r + 1) * p.maxlen)));

describe('padSequences (Keras pad_sequences semantics)', () => {
  const sequences = [[1, 2, 3, 4, 5], [6, 7], []];

  it('pre padding, pre truncating (the default)', () => {
    expect(rows(padSequences(sequences, { maxlen: 3 }))).toEqual([
      [3, 4, 5],
      [0, 6, 7],
      [0, 0, 0],
    ]);
  });
  it('post padding, pre truncating', () => {
    expect(rows(padSequences(sequences, { maxlen: 3, padding: 'post' }))).toEqual([
      [3, 4, 5],
      [6, 7, 0],
      [0, 0, 0],
    ]);
  });
  it('pre padding, post truncating', () => {
    expect(rows(padSequences(sequences, { maxlen: 3, truncating: 'post' }))).toEqual([
      [1, 2, 3],
      [0, 6, 7],
      [0, 0, 0],
    ]);
  });
  it('post padding, post truncating', () => {
    expect(rows(padSequences(sequences, { maxlen: 3, padding: 'post', truncating: 'post' }))).toEqual([
      [1, 2, 3],
      [6, 7, 0],
      [0, 0, 0],
    ]);
  });
  it('uses the longest sequence when maxlen is null, and a custom value', () => {
    const padded = padSequences([[1], [2, 3]], { maxlen: null, value: -1 });
    expect(padded.maxlen).toBe(2);
    expect(rows(padded)).toEqual([
      [-1, 1],
      [2, 3],
    ]);
  });
  it('defaults maxlen from the data and rejects a bad maxlen', () => {
    expect(() => padSequences([[1]], { maxlen: 0 })).toThrow(/maxlen/);
    expect(() => padSequences([[1]], { maxlen: 2.5 })).toThrow(/maxlen/);
  });
});
