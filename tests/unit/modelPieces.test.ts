import { describe, expect, it } from 'vitest';
import { orthogonalMatrix } from '../../src/model/orthogonal';
import { binaryMetrics, smoothSeries } from '../../src/training/metrics';
import { epochOrder, validationSplit } from '../../src/training/validationSplit';
import { DEFAULT_SETTINGS, settingsFromSearch, settingsToSearch, validateSettings } from '../../src/training/settings';
import { gatherBatch } from '../../src/training/examples';

describe('orthogonalMatrix', () => {
  it.each([
    [8, 32],
    [32, 8],
    [16, 16],
  ])('has orthonormal rows or columns for %i×%i and is seeded', (rows, cols) => {
    const m = orthogonalMatrix(rows, cols, 5);
    const [n, len, at] =
      rows <= cols
        ? [rows, cols, (v: number, k: number) => m[v * cols + k]!]
        : [cols, rows, (v: number, k: number) => m[k * cols + v]!];
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let dot = 0;
        for (let k = 0; k < len; k++) dot += at(a, k) * at(b, k);
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
    expect(orthogonalMatrix(rows, cols, 5)).toEqual(m);
    expect(orthogonalMatrix(rows, cols, 6)).not.toEqual(m);
  });
});

describe('binaryMetrics', () => {
  it('computes the clipped cross-entropy, accuracy and confusion matrix', () => {
    const m = binaryMetrics([0.9, 0.2, 0.6, 0.4, 1], [1, 0, 0, 1, 1]);
    expect(m.confusion).toEqual({ truePositives: 2, falsePositives: 1, trueNegatives: 1, falseNegatives: 1 });
    expect(m.accuracy).toBeCloseTo(3 / 5);
    const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.4) + Math.log(1 - 1e-7)) / 5;
    expect(m.loss).toBeCloseTo(expected, 6);
  });
  it('clips probabilities of 0 and 1 as Keras does, and rejects mismatched lengths', () => {
    expect(binaryMetrics([0], [1]).loss).toBeCloseTo(-Math.log(1e-7), 4);
    expect(() => binaryMetrics([0.5], [1, 0])).toThrow(/1 predictions for 2 labels/);
  });
  it('smooths with bias correction', () => {
    expect(smoothSeries([1, 1, 1], 0.9)).toEqual([1, 1, 1].map(() => expect.closeTo(1, 10)));
    expect(smoothSeries([0, 10], 0.5)[1]).toBeCloseTo((10 * 0.5) / 0.75);
  });
});

describe('validationSplit', () => {
  const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  it('holds out the same share of each label, disjoint and complete', () => {
    const split = validationSplit(labels, 0.1, 42);
    expect(split.validation.length).toBe(100);
    const positives = Array.from(split.validation).filter((i) => labels[i] === 1).length;
    expect(positives).toBe(Math.round(334 * 0.1));
    const all = new Set([...split.train, ...split.validation]);
    expect(all.size).toBe(1000);
  });
  it('is deterministic per seed; epochs are shuffled differently', () => {
    expect(validationSplit(labels, 0.1, 1)).toEqual(validationSplit(labels, 0.1, 1));
    expect(validationSplit(labels, 0.1, 1).validation).not.toEqual(validationSplit(labels, 0.1, 2).validation);
    const split = validationSplit(labels, 0.1, 1);
    expect(epochOrder(split.train, 1, 1)).not.toEqual(epochOrder(split.train, 1, 2));
    expect([...epochOrder(split.train, 1, 1)].sort()).toEqual([...split.train].sort());
  });
  it('supports no validation and rejects a share of 1', () => {
    expect(validationSplit(labels, 0, 1).validation.length).toBe(0);
    expect(() => validationSplit(labels, 1, 1)).toThrow();
  });
});

describe('settings', () => {
  it('accepts the defaults', () => {
    expect(validateSettings(DEFAULT_SETTINGS)).toEqual({});
  });
  it('names each invalid value', () => {
    const errors = validateSettings({
      ...DEFAULT_SETTINGS,
      batchSize: 0,
      learningRate: 0,
      dropout: 0.95,
      epochs: 2.5,
      maxlen: Number.NaN,
      optimizer: 'adagrad' as never,
    });
    expect(errors.batchSize).toMatch(/Batch size must be from 1 to 4096/);
    expect(errors.learningRate).toMatch(/Learning rate must be above 0/);
    expect(errors.dropout).toMatch(/Dropout/);
    expect(errors.epochs).toMatch(/whole number/);
    expect(errors.maxlen).toMatch(/must be a number/);
    expect(errors.optimizer).toMatch(/rmsprop, adam, sgd/);
  });
  it('round-trips through the URL, writing only what differs from the defaults', () => {
    const settings = { ...DEFAULT_SETTINGS, maxlen: 64, optimizer: 'adam' as const, learningRate: 0.002 };
    const search = settingsToSearch(settings, '?backend=webgl');
    expect(search).toBe('?backend=webgl&maxlen=64&optimizer=adam&learningRate=0.002');
    expect(settingsFromSearch(search)).toEqual(settings);
    expect(validateSettings(settingsFromSearch('?epochs=abc')).epochs).toMatch(/must be a number/);
  });
});

describe('gatherBatch', () => {
  it('copies the chosen rows and labels', () => {
    const examples = {
      ids: Int32Array.from([1, 2, 3, 4, 5, 6]),
      labels: Uint8Array.from([0, 1, 1]),
      count: 3,
      maxlen: 2,
    };
    const batch = gatherBatch(examples, Int32Array.from([2, 0]), 0, 2);
    expect(Array.from(batch.ids)).toEqual([5, 6, 1, 2]);
    expect(Array.from(batch.labels)).toEqual([1, 0]);
  });
});
