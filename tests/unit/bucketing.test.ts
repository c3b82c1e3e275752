import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/data/random';
import { BATCHES_PER_GROUP, bucketedOrder, rowLengths } from '../../src/training/bucketing';
import { epochOrder } from '../../src/training/validationSplit';

describe('length-bucketed batches', () => {
  const random = seededRandom(3);
  const count = 10_000;
  // Review-like lengths: many short, a long tail, some at maxlen.
  const lengths = Int32Array.from({ length: count }, () => Math.min(400, Math.floor(-Math.log(random()) * 180)));
  const rows = Int32Array.from({ length: count }, (_, i) => i);
  const batchSize = 128;

  it('visit every row once, with the one partial batch last', () => {
    const order = bucketedOrder(epochOrder(rows, 42, 1), lengths, batchSize, 42, 1);
    expect([...order].sort((a, b) => a - b)).toEqual([...rows]);
    const fullBatches = Math.floor(count / batchSize);
    // The rows after the full batches are the last group's longest (its sorted tail).
    const tail = order.subarray(fullBatches * batchSize);
    expect(tail.length).toBe(count % batchSize);
  });

  it('hold reviews of similar length: the spread within a batch is a fraction of a shuffled one', () => {
    const spread = (order: Int32Array) => {
      let total = 0;
      const batches = Math.floor(count / batchSize);
      for (let b = 0; b < batches; b++) {
        const ls = Array.from(order.subarray(b * batchSize, (b + 1) * batchSize), (r) => lengths[r]!);
        total += Math.max(...ls) - Math.min(...ls);
      }
      return total / batches;
    };
    const shuffled = epochOrder(rows, 42, 1);
    const bucketed = bucketedOrder(shuffled, lengths, batchSize, 42, 1);
    expect(spread(bucketed)).toBeLessThan(spread(shuffled) / 10);
  });

  it('are seeded: the same epoch gives the same order, another epoch another one', () => {
    const a = bucketedOrder(epochOrder(rows, 42, 2), lengths, batchSize, 42, 2);
    const b = bucketedOrder(epochOrder(rows, 42, 2), lengths, batchSize, 42, 2);
    const c = bucketedOrder(epochOrder(rows, 42, 3), lengths, batchSize, 42, 3);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    // Batches from different groups are interleaved: the first batches are not all the shortest.
    const firstGroupMax = Math.max(...Array.from(a.subarray(0, batchSize * BATCHES_PER_GROUP), (r) => lengths[r]!));
    expect(firstGroupMax).toBeGreaterThan(200);
  });

  it('count the words of padded rows', () => {
    const ids = Int32Array.from([0, 0, 5, 6, 0, 0, 0, 0, 7, 8, 9, 1]);
    expect(rowLengths({ ids, labels: new Uint8Array(3), count: 3, maxlen: 4 })).toEqual(Int32Array.from([2, 0, 4]));
  });
});
