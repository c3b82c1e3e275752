/**
 * Length-bucketed batches: each epoch's seeded shuffle is cut into groups of `BATCHES_PER_GROUP`
 * batches, each group is sorted by review length and cut into batches, and the full batches are
 * shuffled again (seeded), so every batch holds reviews of similar length while the epoch still
 * visits every review once in a fresh order. With masked padding, an engine can then run a batch
 * over its longest review's steps only (the WebAssembly engine does), and the short batches in
 * an epoch cost a fraction of the long ones.
 */
import type { PaddedMatrix } from '../data/dataset';
import { seededRandom, shuffleInPlace } from '../data/random';

/** Batches per sorted group: large enough that a batch's lengths are close, small enough that the order still mixes. */
export const BATCHES_PER_GROUP = 32;

/** How many ids of each padded row are words (not the padding id 0). */
export function rowLengths(examples: PaddedMatrix): Int32Array {
  const { ids, count, maxlen } = examples;
  const lengths = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    let words = 0;
    for (let t = r * maxlen; t < (r + 1) * maxlen; t++) if (ids[t] !== 0) words++;
    lengths[r] = words;
  }
  return lengths;
}

/**
 * `order` (an epoch's shuffled rows) rearranged into length-bucketed batches of `batchSize`: the
 * same rows, each once; the full batches in a seeded order, then the one partial batch (if any)
 * last, so the caller still cuts batches at multiples of `batchSize`.
 */
export function bucketedOrder(
  order: Int32Array,
  lengths: ArrayLike<number>,
  batchSize: number,
  seed: number,
  epoch: number,
): Int32Array {
  const groupSize = batchSize * BATCHES_PER_GROUP;
  const batches: Int32Array[] = [];
  for (let from = 0; from < order.length; from += groupSize) {
    // Sorted by length; equal lengths keep the shuffle's order (sort is stable).
    const group = Array.from(order.subarray(from, Math.min(from + groupSize, order.length))).sort(
      (a, b) => lengths[a]! - lengths[b]!,
    );
    // Each batch longest first: with masked pre-padding, the rows still in their padding at a step
    // are then the batch's last ones, and the WebAssembly engine's products skip them.
    for (let b = 0; b < group.length; b += batchSize)
      batches.push(Int32Array.from(group.slice(b, b + batchSize).reverse()));
  }
  const partial = batches.filter((batch) => batch.length < batchSize);
  const full = batches.filter((batch) => batch.length === batchSize);
  shuffleInPlace(full, seededRandom((seed * 31337 + epoch * 65537) >>> 0));
  // Only the last group can be short, so at most one batch is partial.
  const out = new Int32Array(order.length);
  let at = 0;
  for (const batch of [...full, ...partial]) {
    out.set(batch, at);
    at += batch.length;
  }
  return out;
}
