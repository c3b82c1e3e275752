/**
 * Accuracy on the short versions of the test reviews (data/shortVersionSequences.ts): what a model
 * does with the one or two sentences people type, beside its accuracy on whole reviews.
 */
import type { PaddedMatrix } from '../data/dataset';
import {
  paddedRows,
  SHORT_VERSION_WORDS,
  type ShortVersionKind,
  type ShortVersionSequences,
} from '../data/shortVersionSequences';
import type { PadSide } from '../text/pad';
import { binaryMetrics } from './metrics';

export interface ShortVersionAccuracy {
  /** Accuracy at 0.5 on each test review's last sentence. */
  lastSentence: number;
  /** Accuracy at 0.5 on each test review's last `words` words. */
  lastWords: number;
  words: number;
  count: number;
}

/** Rows padded at a time: a few MB however long maxlen is. */
const CHUNK_ROWS = 2048;

/**
 * Predicts both short versions of every test review with `predict` (rows padded as the dataset's
 * are) and scores them against the test labels; null if `predict` was stopped.
 */
export async function shortVersionAccuracy(args: {
  short: ShortVersionSequences;
  labels: Uint8Array;
  maxlen: number;
  padding: PadSide;
  truncating: PadSide;
  predict: (rows: PaddedMatrix) => Promise<Float32Array | null>;
  onProgress?: (done: number, total: number) => void;
}): Promise<ShortVersionAccuracy | null> {
  const { short, labels, maxlen, padding, truncating, predict, onProgress } = args;
  const count = labels.length;
  const kinds: ShortVersionKind[] = ['lastSentence', 'lastWords'];
  const accuracy: Record<ShortVersionKind, number> = { lastSentence: 0, lastWords: 0 };
  for (const [k, kind] of kinds.entries()) {
    const probabilities = new Float32Array(count);
    for (let from = 0; from < count; from += CHUNK_ROWS) {
      const to = Math.min(from + CHUNK_ROWS, count);
      const predicted = await predict(paddedRows(short[kind], labels, from, to, maxlen, padding, truncating));
      if (!predicted) return null;
      probabilities.set(predicted, from);
      onProgress?.(k * count + to, kinds.length * count);
    }
    accuracy[kind] = binaryMetrics(probabilities, labels).accuracy;
  }
  return { ...accuracy, words: SHORT_VERSION_WORDS, count };
}
