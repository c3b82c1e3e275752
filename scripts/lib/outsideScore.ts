/**
 * Scores a downloaded model outside the app: plain tfjs in Node loads the zip (scripts/plain-tfjs-
 * predict.ts, which imports nothing from the app), reads the review texts from the shards itself and
 * compares its probabilities with the ones the app reported for the same test reviews.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadZip } from '../plain-tfjs-predict';
import { PROJECT_ROOT } from './paths';
import { readSplit, reviewLookup } from './shards';
import { lastSentence, lastWords } from '../../src/text/shortVersions';

/** tfjs's wasm backend in Node: the cpu backend takes ~15 min for 25,000 reviews at L=200. */
export async function startWasmInNode(): Promise<void> {
  setWasmPaths(`${path.join(PROJECT_ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its wasm backend in Node');
  await tf.ready();
}

export interface AppTestPredictions {
  /** Which test review each row is (ids are unique within a label). */
  reviewIds: ArrayLike<number>;
  labels: ArrayLike<number>;
  probabilities: ArrayLike<number>;
}

export interface OutsideScore {
  count: number;
  /** Accuracy at 0.5 of the downloaded model, scored by plain tfjs against the dataset's labels. */
  accuracy: number;
  /** The app's accuracy on the same reviews, from its own probabilities. */
  appAccuracy: number;
  /** Largest |plain tfjs − app| probability over the reviews. */
  maxDifference: number;
  probabilities: number[];
  /** The dataset's labels of those reviews (read from the shards, not from the app). */
  labels: number[];
}

const accuracyOf = (probabilities: ArrayLike<number>, labels: ArrayLike<number>) => {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if ((probabilities[i]! > 0.5 ? 1 : 0) === labels[i]) correct++;
  return correct / labels.length;
};

export async function scoreZipOutside(zip: Uint8Array, app: AppTestPredictions): Promise<OutsideScore> {
  const find = reviewLookup(readSplit('test'));
  const reviews = Array.from(app.reviewIds, (id, i) => find(id, app.labels[i]!));
  const model = await loadZip(zip);
  const probabilities = model.predict(reviews.map((r) => r.text));
  model.dispose();
  const labels = reviews.map((r) => r.label);
  let maxDifference = 0;
  for (let i = 0; i < probabilities.length; i++)
    maxDifference = Math.max(maxDifference, Math.abs(probabilities[i]! - app.probabilities[i]!));
  return {
    count: reviews.length,
    accuracy: accuracyOf(probabilities, labels),
    appAccuracy: accuracyOf(app.probabilities, app.labels),
    maxDifference,
    probabilities,
    labels,
  };
}

export interface ShortVersionScore {
  /** Accuracy of the downloaded model on each review's last sentence, and on its last 20 words (src/text/shortVersions.ts). */
  lastSentence: number;
  last20Words: number;
  count: number;
}

/**
 * The downloaded model on short versions of the same test reviews, as people type them: each
 * review's last sentence and its last 20 words, scored by plain tfjs in Node against the dataset's labels.
 */
export async function scoreShortVersionsOutside(zip: Uint8Array, app: AppTestPredictions): Promise<ShortVersionScore> {
  const find = reviewLookup(readSplit('test'));
  const reviews = Array.from(app.reviewIds, (id, i) => find(id, app.labels[i]!));
  const labels = reviews.map((r) => r.label);
  const model = await loadZip(zip);
  const sentences = model.predict(reviews.map((r) => lastSentence(r.text)));
  const words = model.predict(reviews.map((r) => lastWords(r.text, 20)));
  model.dispose();
  return { lastSentence: accuracyOf(sentences, labels), last20Words: accuracyOf(words, labels), count: reviews.length };
}
