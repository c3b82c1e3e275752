import { describe, expect, it } from 'vitest';
import { planBalancedShards } from '../../src/data/sharding';
import { takeBalanced } from '../../src/data/balancedTake';
import type { Review } from '../../src/data/review';

const reviews = (label: 0 | 1, n: number): Review[] =>
  Array.from({ length: n }, (_, id) => ({ id, rating: label ? 8 : 2, label, text: `${label}-${id}` }));

describe('planBalancedShards', () => {
  it('gives every shard the same label balance and covers every item once', () => {
    const shards = planBalancedShards(reviews(1, 50), reviews(0, 50), 20, 7);
    expect(shards).toHaveLength(5);
    for (const shard of shards) {
      expect(shard).toHaveLength(20);
      expect(shard.filter((r) => r.label === 1)).toHaveLength(10);
    }
    const all = shards
      .flat()
      .map((r) => r.text)
      .sort();
    expect(new Set(all).size).toBe(100);
  });
  it('is deterministic for a seed and differs between seeds', () => {
    const a = planBalancedShards(reviews(1, 30), reviews(0, 30), 10, 1)
      .flat()
      .map((r) => r.text);
    const b = planBalancedShards(reviews(1, 30), reviews(0, 30), 10, 1)
      .flat()
      .map((r) => r.text);
    const c = planBalancedShards(reviews(1, 30), reviews(0, 30), 10, 2)
      .flat()
      .map((r) => r.text);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
  it('shares uneven label counts proportionally', () => {
    const shards = planBalancedShards(reviews(1, 9), reviews(0, 3), 4, 1);
    expect(shards.map((s) => s.filter((r) => r.label === 0).length)).toEqual([1, 1, 1]);
  });
});

describe('takeBalanced', () => {
  it('takes half of each label in pool order', () => {
    const pool = [...reviews(1, 10), ...reviews(0, 10)];
    const taken = takeBalanced(pool, 6);
    expect(taken.filter((r) => r.label === 1).map((r) => r.id)).toEqual([0, 1, 2]);
    expect(taken.filter((r) => r.label === 0).map((r) => r.id)).toEqual([0, 1, 2]);
  });
  it('fills from the other label when one runs out', () => {
    const taken = takeBalanced([...reviews(1, 10), ...reviews(0, 2)], 8);
    expect(taken.filter((r) => r.label === 0)).toHaveLength(2);
    expect(taken).toHaveLength(8);
  });
});
