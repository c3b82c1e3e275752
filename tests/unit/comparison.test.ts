import { describe, expect, it } from 'vitest';
import type { BaselineMetadata } from '../../src/baseline/bundle';
import { validateMetadata } from '../../src/bundle/metadata';
import { chartData, comparedRun, metricRows, overlayRows } from '../../src/ui/models/comparison';
import { makeMetadata } from './bundleHelpers';

const lstm = makeMetadata({
  training: {
    settings: {
      trainReviews: 2000,
      maxlen: 64,
      numWords: 5000,
      optimizer: 'rmsprop',
      learningRate: 0.003,
      learningRateDecay: 1,
      maskZero: 'on',
      windowShare: 0,
      seed: 42,
    },
    backend: 'webgl',
    engine: 'wasm',
    stopReason: 'completed',
    epochsTrained: 2,
    restoredEpoch: null,
    trainExamples: 1800,
    validationExamples: 200,
    selfCheck: null,
    history: [
      { epoch: 1, loss: 0.69, accuracy: 0.52, valLoss: 0.68, valAccuracy: 0.56, seconds: 10 },
      { epoch: 2, loss: 0.6, accuracy: 0.7, valLoss: 0.62, valAccuracy: 0.66, seconds: 10 },
    ],
    trainingSeconds: 20.4,
  },
  metrics: {
    validation: null,
    test: { loss: 0.63, accuracy: 0.6612, count: 1000 },
    shortVersions: { lastSentence: 0.6, lastWords: 0.62, words: 20, count: 1000 },
    auc: 0.7123,
  },
});

const baseline: BaselineMetadata = {
  format: 'sentiment-lab-baseline',
  formatVersion: 1,
  name: 'NBSVM baseline',
  appVersion: '0.1.0',
  createdAt: '2026-01-01T00:00:00.000Z',
  model: { kind: 'nbsvm', features: 10, unigrams: 6, bigrams: 4, bias: 0 },
  reading: { lower: true, filters: '\n', split: ' ' },
  training: {
    options: { minCount: 2, alpha: 1, epochs: 3, batchSize: 64, learningRate: 0.003, l2: 1e-5, seed: 42 },
    trainExamples: 1800,
    validationExamples: 200,
    epochsTrained: 3,
    trainingSeconds: 0.84,
    validationShare: 0.1,
    history: [1, 2, 3].map((epoch) => ({
      epoch,
      loss: 0.5 / epoch,
      accuracy: null,
      valLoss: 0.4 / epoch,
      valAccuracy: 0.8 + epoch / 100,
      seconds: 0.2,
    })),
  },
  dataset: { sourceSha256: 'ab'.repeat(32), trainReviews: 2000, testReviews: 1000 },
  metrics: { validation: null, test: { loss: 0.35, accuracy: 0.845, count: 1000 }, auc: 0.92 },
};

// A model saved before runs kept their history: what an older metadata.json reads as.
const older = validateMetadata(
  JSON.parse(
    JSON.stringify({
      ...lstm,
      training: { ...lstm.training, history: undefined, trainingSeconds: undefined },
      metrics: { validation: null, test: lstm.metrics.test },
    }),
  ),
);

describe('comparing saved runs', () => {
  const runs = [comparedRun(1, 'LSTM a', lstm), comparedRun(2, 'baseline b', baseline), comparedRun(3, 'old c', older)];

  it('reads each run from its metadata, LSTM, baseline or older', () => {
    expect(runs[0]).toMatchObject({
      kind: 'lstm',
      test: { accuracy: 0.6612, count: 1000 },
      auc: 0.7123,
      shortVersions: { lastSentence: 0.6, lastWords: 0.62, words: 20 },
      trainingSeconds: 20.4,
      epochs: 2,
      engine: 'wasm engine on webgl',
    });
    expect(runs[0]!.settings).toBe(
      // Options that are off (decay 1, no windows) are left out; one that is on is named.
      'train reviews 2000 · maxlen 64 · numWords 5000 · optimizer rmsprop · learning rate 0.003 · masked padding on · seed 42',
    );
    expect(runs[1]).toMatchObject({ kind: 'baseline', auc: 0.92, shortVersions: null, epochs: 3 });
    expect(runs[1]!.history).toHaveLength(3);
    expect(runs[2]).toMatchObject({ history: null, auc: null, trainingSeconds: null, shortVersions: null });
  });

  it('overlays the validation curves epoch by epoch, null where a run has no such epoch', () => {
    const rows = overlayRows(runs);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(rows[0]).toEqual({ epoch: 1, valLoss: [0.68, 0.4, null], valAccuracy: [0.56, 0.8 + 1 / 100, null] });
    expect(rows[2]!.valLoss).toEqual([null, 0.4 / 3, null]);
    expect(chartData(rows, 'valAccuracy')[1]).toEqual({ epoch: 2, run0: 0.66, run1: 0.8 + 2 / 100, run2: null });
    expect(overlayRows([runs[2]!])).toEqual([]);
  });

  it('sets the metrics side by side, a dash where a figure is unknown', () => {
    const table = Object.fromEntries(metricRows(runs).map((row) => [row.label, row.cells]));
    expect(table['test accuracy']).toEqual([
      '66.12% (1,000 reviews)',
      '84.50% (1,000 reviews)',
      '66.12% (1,000 reviews)',
    ]);
    expect(table['AUC']).toEqual(['0.7123', '0.9200', '–']);
    expect(table['last sentence']).toEqual(['60.00%', '–', '–']);
    expect(table['last 20 words']).toEqual(['62.00%', '–', '–']);
    expect(table['training time']).toEqual(['20.4 s', '0.8 s', '–']);
    expect(table['epochs']).toEqual(['2', '3', '2']);
    expect(table['per-epoch history']).toEqual([
      '2 epochs kept',
      '3 epochs kept',
      'not kept (saved before this version)',
    ]);
    expect(table['model']).toEqual(['LSTM', 'NBSVM baseline', 'LSTM']);
    expect(table['settings']![1]).toBe(
      'train reviews 2000 · unigrams + bigrams in ≥ 2 reviews · Adam 0.003 · batch 64 · L2 0.00001 · validation 0.1 · seed 42',
    );
  });
});
