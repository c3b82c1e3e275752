import { seededRandom, shuffleInPlace } from './random';

/**
 * Splits positives and negatives into shards of about `shardSize` items, each shard holding the
 * same share of each label as the whole, shuffled with a fixed seed. Loading the first k shards
 * therefore gives a label-balanced subset.
 */
export function planBalancedShards<T>(
  positives: readonly T[],
  negatives: readonly T[],
  shardSize: number,
  seed: number,
): T[][] {
  if (!Number.isInteger(shardSize) || shardSize < 1)
    throw new Error(`shardSize must be a positive integer, got ${shardSize}`);
  const total = positives.length + negatives.length;
  if (total === 0) return [];
  const random = seededRandom(seed);
  const pos = shuffleInPlace([...positives], random);
  const neg = shuffleInPlace([...negatives], random);
  const shardCount = Math.ceil(total / shardSize);
  const shards: T[][] = [];
  for (let k = 0; k < shardCount; k++) {
    const slice = (items: T[]) =>
      items.slice(Math.floor((k * items.length) / shardCount), Math.floor(((k + 1) * items.length) / shardCount));
    shards.push(shuffleInPlace([...slice(pos), ...slice(neg)], random));
  }
  return shards;
}
