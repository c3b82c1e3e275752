import { describe, expect, it } from 'vitest';
import { epochRecord, readHistory } from '../../src/bundle/history';
import { parseMetadata, validateMetadata } from '../../src/bundle/metadata';
import { validateBaselineMetadata } from '../../src/baseline/bundle';
import { runMetadata } from '../../src/bundle/runBundle';
import { DEFAULT_SETTINGS } from '../../src/training/settings';
import { makeMetadata } from './bundleHelpers';

const SHA = 'cd'.repeat(32);
const OPTIONS = {
  baseUrl: 'x',
  trainReviews: 100,
  testReviews: 50,
  numWords: 30,
  maxlen: 12,
  padding: 'pre' as const,
  truncating: 'pre' as const,
  oovToken: null,
};

function finishedRun(history: { loss: number; valLoss: number | null }[]) {
  return {
    settings: { ...DEFAULT_SETTINGS, epochs: history.length },
    backend: { name: 'cpu' },
    engine: 'stock',
    history: history.map((e, i) => ({
      epoch: i + 1,
      loss: e.loss,
      accuracy: 0.6,
      valLoss: e.valLoss,
      valAccuracy: e.valLoss === null ? null : 0.55,
      seconds: 2,
    })),
    stopReason: 'completed',
    restoredEpoch: null,
    test: { loss: 0.6, accuracy: 0.7, count: 50 },
    selfCheck: null,
    trainExamples: 90,
    validationExamples: 10,
    trainingSeconds: 4.5,
    report: { test: { auc: 0.81 } },
    finishedAt: '2026-01-02T03:04:05.000Z',
  };
}

describe('per-epoch history in a bundle', () => {
  it('a run writes every epoch, its training time and its AUC; they survive JSON', () => {
    const metadata = runMetadata(
      finishedRun([
        { loss: 0.69, valLoss: 0.68 },
        { loss: 0.6, valLoss: 0.63 },
      ]),
      { tokenizerJson: '{}', options: OPTIONS, sourceSha256: SHA },
    );
    expect(metadata.training?.history).toEqual([
      { epoch: 1, loss: 0.69, accuracy: 0.6, valLoss: 0.68, valAccuracy: 0.55, seconds: 2 },
      { epoch: 2, loss: 0.6, accuracy: 0.6, valLoss: 0.63, valAccuracy: 0.55, seconds: 2 },
    ]);
    expect(metadata.training?.trainingSeconds).toBe(4.5);
    expect(metadata.metrics.auc).toBe(0.81);
    expect(parseMetadata(JSON.stringify(metadata))).toEqual(metadata);
  });

  it('a diverged epoch (NaN loss) is written as null, so the bundle still validates after IndexedDB (no JSON there)', () => {
    const metadata = runMetadata(finishedRun([{ loss: Number.NaN, valLoss: null }]), {
      tokenizerJson: '{}',
      options: OPTIONS,
      sourceSha256: SHA,
    });
    expect(metadata.training?.history?.[0]).toMatchObject({ loss: null, valLoss: null, valAccuracy: null });
    // Structured clone keeps what is in memory: validate the object itself, not its JSON.
    expect(validateMetadata(metadata)).toEqual(metadata);
  });

  it('older bundles, written before the history was kept, read as null rather than failing', () => {
    const old = makeMetadata({
      training: {
        settings: {},
        backend: 'webgl',
        engine: 'stock',
        stopReason: 'completed',
        epochsTrained: 3,
        restoredEpoch: null,
        trainExamples: 9,
        validationExamples: 1,
        selfCheck: null,
        history: null,
        trainingSeconds: null,
      },
    }) as unknown as Record<string, unknown>;
    const training = { ...(old.training as Record<string, unknown>) };
    delete training.history;
    delete training.trainingSeconds;
    const metrics = { ...(old.metrics as Record<string, unknown>) };
    delete metrics.auc;
    const read = validateMetadata(JSON.parse(JSON.stringify({ ...old, training, metrics })));
    expect(read.training?.history).toBeNull();
    expect(read.training?.trainingSeconds).toBeNull();
    expect(read.metrics.auc).toBeNull();
  });

  it('names what is wrong in a malformed history', () => {
    expect(() => readHistory({}, 'metadata.json training.history')).toThrow(
      'metadata.json training.history must be a list of epochs or null.',
    );
    expect(() => readHistory([{ epoch: 2, loss: 1 }], 'h')).toThrow(
      'h[0]: "epoch" must be 1 (epochs in order from 1), got 2.',
    );
    expect(() => readHistory([{ epoch: 1, accuracy: 1.5 }], 'h')).toThrow('h[0]: "accuracy" must be between 0 and 1.');
    expect(() => readHistory([{ epoch: 1, loss: 'low' }], 'h')).toThrow('h[0]: "loss" must be a number or null');
    expect(readHistory([{ epoch: 1 }], 'h')).toEqual([
      { epoch: 1, loss: null, accuracy: null, valLoss: null, valAccuracy: null, seconds: null },
    ]);
  });

  it('the baseline keeps its epochs (no training accuracy), its validation share and AUC; older ones have none', () => {
    const base = {
      format: 'sentiment-lab-baseline',
      formatVersion: 1,
      name: 'b',
      appVersion: '0.1.0',
      createdAt: '2026-01-02T03:04:05.000Z',
      model: { kind: 'nbsvm', features: 0, unigrams: 0, bigrams: 0, bias: 0 },
      reading: { lower: true, filters: '\n', split: ' ' },
      dataset: null,
    };
    const training = {
      options: { minCount: 2, alpha: 1, epochs: 1, batchSize: 64, learningRate: 0.003, l2: 1e-5, seed: 7 },
      trainExamples: 90,
      validationExamples: 10,
      epochsTrained: 1,
      trainingSeconds: 1.2,
    };
    const history = [epochRecord({ epoch: 1, loss: 0.4, valLoss: 0.45, valAccuracy: 0.8, seconds: 0.5 })];
    const read = validateBaselineMetadata({
      ...base,
      training: { ...training, validationShare: 0.1, history },
      metrics: { validation: null, test: null, auc: 0.9 },
    });
    expect(read.training?.history).toEqual([
      { epoch: 1, loss: 0.4, accuracy: null, valLoss: 0.45, valAccuracy: 0.8, seconds: 0.5 },
    ]);
    expect(read.training?.validationShare).toBe(0.1);
    expect(read.metrics.auc).toBe(0.9);
    const older = validateBaselineMetadata({ ...base, training, metrics: { validation: null, test: null } });
    expect([older.training?.history, older.training?.validationShare, older.metrics.auc]).toEqual([null, null, null]);
    expect(() =>
      validateBaselineMetadata({ ...base, training: { ...training, validationShare: 1 }, metrics: {} }),
    ).toThrow('"validationShare" must be in [0, 1)');
  });
});
