import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifierFromArtifacts } from '../../src/inference/fromArtifacts';
import { saveModelArtifacts } from '../../src/model/exportModel';
import { binaryMetrics } from '../../src/training/metrics';
import {
  checkAgainstBundle,
  compareProbabilities,
  SELF_CHECK_REVIEWS,
  selfCheckRows,
} from '../../src/training/selfCheck';
import { tinyModel } from './bundleHelpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('self-check rows and comparison', () => {
  it('spreads the checked rows evenly over the test set, each once', () => {
    const rows = selfCheckRows(25_000);
    expect(rows).toHaveLength(SELF_CHECK_REVIEWS);
    expect(new Set(rows).size).toBe(SELF_CHECK_REVIEWS);
    expect(rows[0]).toBe(0);
    expect(rows.at(-1)).toBeGreaterThan(24_800);
    expect([...selfCheckRows(5)]).toEqual([0, 1, 2, 3, 4]);
    expect(selfCheckRows(0)).toHaveLength(0);
  });

  it('passes within the tolerance, fails above it, and fails on NaN', () => {
    expect(compareProbabilities([0.2, 0.9], [0.20000003, 0.9])).toMatchObject({ passed: true, reviews: 2 });
    const failed = compareProbabilities([0.2, 0.9], [0.2, 0.6]);
    expect(failed.passed).toBe(false);
    expect(failed.maxDifference).toBeCloseTo(0.3, 6);
    expect(compareProbabilities([0.2, Number.NaN], [0.2, 0.5])).toMatchObject({
      passed: false,
      maxDifference: Number.POSITIVE_INFINITY,
    });
  });
});

describe('checkAgainstBundle decides whose test figures stand', () => {
  const labels = Uint8Array.from({ length: 600 }, (_, i) => i % 2);
  // A model that is right on 90% of the rows.
  const truth = Float32Array.from(labels, (label, i) => (i % 10 === 0 ? 1 - label : label) * 0.8 + 0.1);

  it("keeps the engine's figures when the saved model agrees with it", async () => {
    const checked = await checkAgainstBundle({
      count: 600,
      labels,
      engineTest: truth,
      engineAt: () => Promise.reject(new Error('not needed: the engine predicted every row')),
      bundleAt: (row) => truth[row]! + 1e-7,
    });
    expect(checked.selfCheck).toMatchObject({ passed: true, reviews: 256 });
    expect(checked.test).toEqual(binaryMetrics(truth, labels));
    expect(checked.probabilities).toBe(truth);
  });

  it("reports the saved model's own accuracy when the engine computed something else", async () => {
    // The engine's probabilities are the truth's mirror image: "90%" by its own account.
    const engine = Float32Array.from(truth, (p) => 1 - p);
    const progress: number[] = [];
    const checked = await checkAgainstBundle({
      count: 600,
      labels: Uint8Array.from(labels, (l) => 1 - l),
      engineTest: engine,
      engineAt: () => Promise.reject(new Error('not needed')),
      bundleAt: (row) => truth[row]!,
      onBundleProgress: (done) => progress.push(done),
    });
    expect(checked.selfCheck?.passed).toBe(false);
    expect(checked.test?.accuracy).toBeCloseTo(0.1, 6);
    expect(Array.from(checked.probabilities!)).toEqual(Array.from(truth));
    expect(progress.at(-1)).toBe(600);
  });

  it('still checks a stopped run (no test evaluation) on the check rows alone', async () => {
    const asked: number[] = [];
    const checked = await checkAgainstBundle({
      count: 600,
      labels,
      engineTest: null,
      engineAt: (rows) => {
        asked.push(rows.length);
        return Promise.resolve(Float32Array.from(rows, (row) => truth[row]!));
      },
      bundleAt: (row) => truth[row]!,
    });
    expect(asked).toEqual([256]);
    expect(checked).toMatchObject({ selfCheck: { passed: true }, test: null, probabilities: null });
  });
});

describe('classifierFromArtifacts', () => {
  it("predicts what tfjs's own model.predict gives for the saved model", async () => {
    const { model } = await tinyModel({ maxlen: 12, numWords: 30, scale: 0.6, seed: 4 });
    const artifacts = await saveModelArtifacts(model);
    const classifier = classifierFromArtifacts(artifacts);
    const ids = Int32Array.from({ length: 5 * 12 }, (_, i) => (i % 7 === 0 ? 0 : (i * 13) % 30));
    const expected = tf.tidy(() => (model.predict(tf.tensor2d(ids, [5, 12], 'int32')) as tf.Tensor).dataSync());
    for (let row = 0; row < 5; row++)
      expect(classifier.probability(ids.subarray(row * 12, (row + 1) * 12))).toBeCloseTo(expected[row]!, 5);
    model.dispose();
  });
});
