import { describe, expect, it } from 'vitest';
import { baselineBundle, validateBaseline } from '../../src/baseline/bundle';
import { BASELINE_DEFAULTS, trainBaseline } from '../../src/baseline/train';
import { packTexts } from '../../src/data/packedTexts';
import type { Review } from '../../src/data/review';
import { BaselineClassifier } from '../../src/inference/baselineClassifier';
import { modelTestReport, type ReportProgress } from '../../src/report/modelTestReport';
import { assembleReport } from '../../src/report/runReport';
import { validationPlan } from '../../src/report/validationPlan';
import { lastSentence, lastWords } from '../../src/text/shortVersions';
import { KERAS_DEFAULT_FILTERS } from '../../src/text/tokenizer';
import { binaryMetrics } from '../../src/training/metrics';
import { validationSplit } from '../../src/training/validationSplit';
import { makeMetadata } from './bundleHelpers';

const review = (id: number, label: 0 | 1, text: string): Review => ({ id, label, rating: label ? 8 : 2, text });

/** Reviews whose text names their probability: "p=0.83 …", so a fake model reads it back. */
function scoredReviews(values: readonly [number, 0 | 1][]): Review[] {
  return values.map(([p, label], i) => review(100 + i, label, `Words first. p=${p} and the end`));
}
const readP = (text: string) => Number(/p=([0-9.]+)/.exec(text)?.[1] ?? 0.5);

/** Mann-Whitney by pair counting: the definition, O(n²). */
function pairAuc(p: ArrayLike<number>, labels: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++)
    for (let j = 0; j < labels.length; j++)
      if (labels[i] === 1 && labels[j] === 0) {
        pairs++;
        wins += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
      }
  return wins / pairs;
}

const TEST: [number, 0 | 1][] = [
  [0.9, 1],
  [0.8, 1],
  [0.7, 0],
  [0.6, 1],
  [0.4, 0],
  [0.45, 1],
  [0.2, 0],
  [0.55, 0],
];

describe('a model’s test report on demand', () => {
  it('is the run’s report of the same probabilities: accuracy, AUC, curves, calibration', () => {
    const test = packTexts(scoredReviews(TEST));
    const progress: ReportProgress[] = [];
    const out = modelTestReport(readP, { test, validation: { missing: 'no split here' } }, (p) => progress.push(p));
    const probabilities = Float32Array.from(TEST, ([p]) => p);
    const labels = Uint8Array.from(TEST, ([, l]) => l);
    expect(out.test).toEqual(binaryMetrics(probabilities, labels));
    expect(out.test.accuracy).toBe(5 / 8);
    expect(out.report).toEqual(assembleReport({ probabilities, labels }, 'no split here'));
    expect(out.report.test!.auc).toBeCloseTo(pairAuc(probabilities, labels), 12);
    expect(out.report.notes).toEqual(['no split here']);
    expect(Array.from(out.predictions.reviewIds)).toEqual(TEST.map((_, i) => 100 + i));
    expect(progress.at(-1)).toEqual({ phase: 'short-versions', done: 3 * TEST.length, total: 3 * TEST.length });
  });

  it('scores the short versions by the same rules as a run (last sentence, last 20 words)', () => {
    const reviews = [review(1, 1, 'Awful start. But the ending was great'), review(2, 0, 'Great cast. Awful film')];
    const seen: string[] = [];
    const probability = (text: string) => {
      seen.push(text);
      return /great/i.test(text) ? 0.9 : 0.1;
    };
    const out = modelTestReport(probability, { test: packTexts(reviews), validation: { missing: 'x' } });
    expect(seen.slice(2)).toEqual([
      ...reviews.map((r) => lastSentence(r.text)),
      ...reviews.map((r) => lastWords(r.text, 20)),
    ]);
    // Last sentences: "But the ending was great" (1, right), "Awful film" (0, right).
    expect(out.shortVersions).toEqual({ lastSentence: 1, lastWords: 0.5, words: 20, count: 2 });
  });

  it('chooses the threshold on the rebuilt validation split and reads only those training reviews', () => {
    const train = Array.from({ length: 40 }, (_, i) => review(i, (i % 2) as 0 | 1, `p=${i % 2 ? 0.35 : 0.3}`));
    const trainPacked = packTexts(train);
    const expected = validationSplit(trainPacked.labels, 0.25, 9).validation;
    const read: string[] = [];
    const out = modelTestReport(
      (text) => {
        read.push(text);
        return readP(text);
      },
      {
        test: packTexts(scoredReviews(TEST)),
        validation: { train: trainPacked, share: 0.25, seed: 9, reviews: expected.length },
      },
    );
    expect(out.validationReviews).toBe(10);
    expect(read.length).toBe(3 * TEST.length + 10);
    // Validation: negatives at 0.3, positives at 0.35, so the best cut is at 0.35 (all right).
    expect(out.report.threshold).toEqual({
      value: Math.fround(0.35),
      validationAccuracy: 1,
      testAccuracy: binaryMetrics(
        TEST.map(([p]) => (p >= Math.fround(0.35) ? 1 : 0)),
        TEST.map(([, l]) => l),
      ).accuracy,
    });
    expect(out.report.notes).toEqual([]);
  });

  it('says so when the loaded reviews do not rebuild the split the run held out', () => {
    const train = packTexts(Array.from({ length: 20 }, (_, i) => review(i, (i % 2) as 0 | 1, 'p=0.5')));
    const out = modelTestReport(readP, {
      test: packTexts(scoredReviews(TEST)),
      validation: { train, share: 0.1, seed: 1, reviews: 7 },
    });
    expect(out.report.threshold).toBeNull();
    expect(out.report.notes).toEqual([
      "No threshold chosen on a validation split: the loaded training reviews give 2 validation reviews where the model's run held out 7.",
    ]);
    expect(out.validationReviews).toBe(0);
  });

  it('gives clear messages: no test reviews, one class only', () => {
    expect(() => modelTestReport(readP, { test: packTexts([]), validation: { missing: 'x' } })).toThrow(
      'There are no test reviews to report on: load the dataset first.',
    );
    const out = modelTestReport(readP, {
      test: packTexts(
        scoredReviews([
          [0.7, 1],
          [0.2, 1],
        ]),
      ),
      validation: { missing: 'x' },
    });
    expect(out.report.test).toBeNull();
    expect(out.report.notes[0]).toBe(
      'No ROC or precision-recall curve: All 2 reviews are positive: ROC and precision-recall curves need both classes.',
    );
    expect(out.test.accuracy).toBe(0.5);
  });

  it('reproduces a trained baseline’s own test accuracy from its bundle (the anchor, in Node)', () => {
    const reading = { lower: true, filters: KERAS_DEFAULT_FILTERS, split: ' ' };
    const words = ['great', 'wonderful', 'fun', 'awful', 'boring', 'dull', 'film', 'plot', 'acting'];
    const texts = Array.from({ length: 60 }, (_, i) =>
      Array.from({ length: 8 }, (_, k) => words[(i * 7 + k * 3 + (i % 2) * 3) % words.length]).join(' '),
    );
    const labels = texts.map((t) => (/great|wonderful|fun/.test(t.split(' ').slice(0, 4).join(' ')) ? 1 : 0));
    const testTexts = texts.slice(40);
    const result = trainBaseline(
      {
        reading,
        trainTexts: texts.slice(0, 40),
        trainLabels: labels.slice(0, 40),
        split: { train: Array.from({ length: 36 }, (_, i) => i), validation: [36, 37, 38, 39] },
        testTexts,
      },
      { ...BASELINE_DEFAULTS, minCount: 1, epochs: 3, batchSize: 4 },
      () => {},
    );
    const bundle = baselineBundle(result.model, {
      name: 'b',
      appVersion: 't',
      createdAt: '2026-01-01T00:00:00.000Z',
      training: null,
      dataset: null,
      metrics: { validation: null, test: null, auc: null },
    });
    const classifier = new BaselineClassifier(validateBaseline(bundle).model);
    const test = packTexts(testTexts.map((text, i) => review(i, labels[40 + i] as 0 | 1, text)));
    const out = modelTestReport((text) => classifier.probability(text), { test, validation: { missing: 'x' } });
    expect(out.test.accuracy).toBe(binaryMetrics(result.testProbabilities, labels.slice(40)).accuracy);
  });
});

describe('the validation plan of a saved model', () => {
  const SHA = 'ef'.repeat(32);
  const lstm = (trainReviews: number, settings: Record<string, number | string> = { validationShare: 0.1, seed: 42 }) =>
    makeMetadata({
      training: {
        settings,
        backend: 'cpu',
        engine: 'stock',
        stopReason: 'completed',
        epochsTrained: 1,
        restoredEpoch: null,
        trainExamples: 1800,
        validationExamples: 200,
        selfCheck: null,
        history: null,
        trainingSeconds: null,
      },
      dataset: { sourceSha256: SHA, trainReviews, testReviews: 1000 },
    });

  it('rebuilds the split when the loaded training reviews are the model’s', () => {
    expect(validationPlan(lstm(2000), { sourceSha256: SHA, trainReviews: 2000 })).toEqual({
      share: 0.1,
      seed: 42,
      reviews: 200,
    });
  });

  it('names why not otherwise', () => {
    expect(validationPlan(lstm(2000), { sourceSha256: SHA, trainReviews: 4000 })).toEqual({
      missing:
        'No threshold chosen on a validation split: the model trained on 2000 training reviews and 4000 are loaded, so its validation split cannot be rebuilt (load 2000 training reviews to get it).',
    });
    expect(validationPlan(lstm(2000), { sourceSha256: 'aa'.repeat(32), trainReviews: 2000 })).toMatchObject({
      missing: expect.stringContaining('another copy of the dataset'),
    });
    expect(validationPlan(lstm(2000, {}), { sourceSha256: SHA, trainReviews: 2000 })).toMatchObject({
      missing: expect.stringContaining('do not name its validation share and seed'),
    });
    expect(
      validationPlan(lstm(2000, { validationShare: 0, seed: 1 }), { sourceSha256: SHA, trainReviews: 2000 }),
    ).toEqual({ missing: 'No validation split, so no threshold chosen on it.' });
    expect(validationPlan(makeMetadata(), { sourceSha256: SHA, trainReviews: 2000 })).toMatchObject({
      missing: expect.stringContaining('does not say how it was trained'),
    });
  });
});
