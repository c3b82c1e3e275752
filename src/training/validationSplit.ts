import { seededRandom, shuffleInPlace } from '../data/random';

export interface IndexSplit {
  train: Int32Array;
  validation: Int32Array;
}

/**
 * Holds out `share` of the examples for validation, the same share of each label, chosen by a
 * seeded shuffle; both index lists come back shuffled.
 */
export function validationSplit(labels: ArrayLike<number>, share: number, seed: number): IndexSplit {
  if (!(share >= 0 && share < 1)) throw new Error(`validation share must be in [0, 1), got ${share}`);
  const random = seededRandom(seed);
  const byLabel: number[][] = [[], []];
  for (let i = 0; i < labels.length; i++) byLabel[labels[i]! === 1 ? 1 : 0]!.push(i);
  const train: number[] = [];
  const validation: number[] = [];
  for (const indices of byLabel) {
    shuffleInPlace(indices, random);
    const held = Math.round(indices.length * share);
    validation.push(...indices.slice(0, held));
    train.push(...indices.slice(held));
  }
  return {
    train: Int32Array.from(shuffleInPlace(train, random)),
    validation: Int32Array.from(shuffleInPlace(validation, random)),
  };
}

/** The epoch's order of training indices: a fresh seeded shuffle per epoch. */
export function epochOrder(indices: Int32Array, seed: number, epoch: number): Int32Array {
  const order = Array.from(indices);
  shuffleInPlace(order, seededRandom((seed * 7919 + epoch * 104729) >>> 0));
  return Int32Array.from(order);
}
