import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictFromZip } from '../../scripts/plain-tfjs-predict';
import { bundleFromFiles, bundleToZip } from '../../src/bundle/files';
import { validateBundle } from '../../src/bundle/validate';
import { ReviewClassifier } from '../../src/inference/reviewClassifier';
import { TEXTS, tinyBundle } from './bundleHelpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const REVIEWS = [
  ...TEXTS,
  'Unknown zebra quantum words only',
  '<script>alert("x")</script> the acting was GREAT 😀 — 素晴らしい',
  Array.from({ length: 40 }, (_, i) => TEXTS[i % TEXTS.length]).join(' '), // longer than maxlen: truncated
];

describe('a downloaded bundle in a plain tfjs program (no app code)', () => {
  it.each([
    ['no OOV token, pre padding', { oovToken: null, maskZero: false }],
    ['an OOV token', { oovToken: '<OOV>', maskZero: false }],
    // Batches padded only to their longest review: the original model, padded to maxlen, is the anchor.
    ['masked padding', { oovToken: null, maskZero: true }],
  ])('reproduces the app and the original model to 1e-5 (%s)', async (_, options) => {
    const { bundle, model, tokenizer } = await tinyBundle({ ...options, scale: 1.5 });
    // The export path: withSaveHandler → bundle → zip; then unzip as the app does.
    const zip = bundleToZip(bundle);
    const app = new ReviewClassifier(validateBundle(bundleFromFiles([{ name: 'm.zip', bytes: zip }])));
    const before = tf.memory().numTensors;
    const plain = await predictFromZip(zip, REVIEWS);
    expect(tf.memory().numTensors).toBe(before);
    const ours = REVIEWS.map((text) => app.classify(text).probability!);
    const original = tf.tidy(() => {
      const rows = REVIEWS.map((text) => Array.from(app.read(text).ids));
      return Array.from((model.predict(tf.tensor2d(rows, undefined, 'int32')) as tf.Tensor).dataSync());
    });
    for (let i = 0; i < REVIEWS.length; i++) {
      expect(Math.abs(plain[i]! - ours[i]!)).toBeLessThan(1e-5);
      expect(Math.abs(original[i]! - ours[i]!)).toBeLessThan(1e-5);
    }
    expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(0.01);
    if (options.maskZero) {
      // Alone, each short review's batch is only as long as the review itself.
      for (const i of [4, 5]) {
        expect(app.read(REVIEWS[i]!).sequenceLength).toBeLessThan(12);
        const [alone] = await predictFromZip(zip, [REVIEWS[i]!]);
        expect(Math.abs(alone! - original[i]!)).toBeLessThan(1e-5);
      }
    }
    // Its tokenizer reading equals the app's Keras tokenizer.
    expect(app.read(REVIEWS[1]!).sequenceLength).toBe(tokenizer.textsToSequences([REVIEWS[1]!])[0]!.length);
    model.dispose();
  });
});
