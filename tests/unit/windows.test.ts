import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PaddedMatrix } from '../../src/data/dataset';
import { seededRandom } from '../../src/data/random';
import { buildSentimentModel } from '../../src/model/buildModel';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import { stockEngine } from '../../src/model/engine';
import { createOptimizer, layersRunner } from '../../src/model/runner';
import { rowLengths } from '../../src/training/bucketing';
import { trainModel } from '../../src/training/trainer';
import { validationSplit } from '../../src/training/validationSplit';
import { epochPlan, examplesPerEpoch, needsLengths, planBatch } from '../../src/training/epochPlan';
import {
  addedWindowCount,
  applyWindows,
  epochWindows,
  MIN_WINDOW,
  rowOf,
  windowedLengths,
} from '../../src/training/windows';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installEmbeddingGradient();
});

/** Pre-padded rows of distinct ids (row r's words are r*1000+1, r*1000+2, …), so any window says where it came from. */
function numberedRows(lengths: number[], maxlen: number): PaddedMatrix {
  const ids = new Int32Array(lengths.length * maxlen);
  lengths.forEach((length, r) => {
    for (let k = 0; k < length; k++) ids[r * maxlen + maxlen - length + k] = r * 1000 + k + 1;
  });
  return { ids, labels: new Uint8Array(lengths.length), count: lengths.length, maxlen };
}

describe('random windows', () => {
  const count = 4000;
  const lengths = Int32Array.from({ length: count }, (_, i) => (i % 5 === 0 ? 3 : 400));
  const rows = Int32Array.from({ length: count }, (_, i) => i);

  it('window the given share of rows longer than MIN_WINDOW, inside each review, log-uniform in length', () => {
    const windows = epochWindows(rows, lengths, { share: 0.5 }, 42, 1);
    const windowed = rows.filter((r) => windows.widths[r]! > 0);
    const eligible = rows.filter((r) => lengths[r]! > MIN_WINDOW).length;
    expect(windowed.length / eligible).toBeGreaterThan(0.46);
    expect(windowed.length / eligible).toBeLessThan(0.54);
    for (const r of windowed) {
      expect(lengths[r]).toBeGreaterThan(MIN_WINDOW);
      expect(windows.widths[r]).toBeGreaterThanOrEqual(MIN_WINDOW);
      expect(windows.starts[r]! + windows.widths[r]!).toBeLessThanOrEqual(lengths[r]!);
    }
    // Log-uniform between 4 and 400: the median is near sqrt(4 · 400) = 40, a quarter are under ~12.6.
    const widths = Array.from(windowed, (r) => windows.widths[r]!).sort((a, b) => a - b);
    const median = widths[widths.length >> 1]!;
    expect(median).toBeGreaterThan(30);
    expect(median).toBeLessThan(52);
    expect(widths.filter((w) => w < 13).length / widths.length).toBeGreaterThan(0.2);
    // Starts spread over the review: some windows begin near its start, some end at its end.
    expect(windowed.some((r) => windows.starts[r] === 0)).toBe(true);
    expect(windowed.some((r) => windows.starts[r]! + windows.widths[r]! === lengths[r])).toBe(true);
  });

  it('are seeded per epoch, and share 0 windows nothing', () => {
    expect(epochWindows(rows, lengths, { share: 0.3 }, 7, 2)).toEqual(
      epochWindows(rows, lengths, { share: 0.3 }, 7, 2),
    );
    expect(epochWindows(rows, lengths, { share: 0.3 }, 7, 3).widths).not.toEqual(
      epochWindows(rows, lengths, { share: 0.3 }, 7, 2).widths,
    );
    expect(epochWindows(rows, lengths, { share: 0 }, 7, 2).widths.every((w) => w === 0)).toBe(true);
    const only = Int32Array.from([5, 6]);
    const some = epochWindows(only, lengths, { share: 1 }, 7, 2);
    expect(Array.from(some.widths).filter((w, r) => w > 0 && !only.includes(r))).toEqual([]);
  });

  it("end a given share of the windows at the review's end, and leave the windows of runs without them as they were", () => {
    const without = epochWindows(rows, lengths, { share: 0.5 }, 42, 1);
    expect(epochWindows(rows, lengths, { share: 0.5, endShare: 0 }, 42, 1)).toEqual(without);
    const ending = epochWindows(rows, lengths, { share: 0.5, endShare: 0.5 }, 42, 1);
    // Which rows are windowed, and how long each window is, do not depend on the end share.
    expect(ending.widths).toEqual(without.widths);
    const windowed = rows.filter((r) => ending.widths[r]! > 0);
    const atEnd = windowed.filter((r) => ending.starts[r]! + ending.widths[r]! === lengths[r]);
    expect(atEnd.length / windowed.length).toBeGreaterThan(0.46);
    expect(atEnd.length / windowed.length).toBeLessThan(0.56);
    const all = epochWindows(rows, lengths, { share: 0.5, endShare: 1 }, 42, 1);
    expect(windowed.every((r) => all.starts[r]! + all.widths[r]! === lengths[r])).toBe(true);
  });
  it('cap the windows at the longest width asked for, log-uniform below it, on the rows an uncapped run windows', () => {
    const uncapped = epochWindows(rows, lengths, { share: 0.5, endShare: 1, extra: 0.3 }, 42, 1);
    const capped = epochWindows(rows, lengths, { share: 0.5, endShare: 1, extra: 0.3, maxWidth: 40 }, 42, 1);
    expect(capped.added).toEqual(uncapped.added);
    const windowed = Array.from(capped.widths.keys()).filter((i) => capped.widths[i]! > 0);
    expect(windowed).toEqual(Array.from(uncapped.widths.keys()).filter((i) => uncapped.widths[i]! > 0));
    for (const i of windowed) {
      const length = lengths[rowOf(i, count)]!;
      expect(capped.widths[i]).toBeGreaterThanOrEqual(MIN_WINDOW);
      expect(capped.widths[i]).toBeLessThanOrEqual(40);
      expect(capped.widths[i]).toBeLessThanOrEqual(uncapped.widths[i]!);
      expect(capped.starts[i]! + capped.widths[i]!).toBe(length);
    }
    // Log-uniform between 4 and 40: the median is near sqrt(4 · 40) ≈ 12.6.
    const widths = windowed.map((i) => capped.widths[i]!).sort((a, b) => a - b);
    expect(widths[widths.length >> 1]).toBeGreaterThan(10);
    expect(widths[widths.length >> 1]).toBeLessThan(15);
    // A cap longer than every review changes nothing.
    expect(epochWindows(rows, lengths, { share: 0.5, endShare: 1, extra: 0.3, maxWidth: 1000 }, 42, 1)).toEqual(
      uncapped,
    );
  });

  it('add windows besides the whole reviews: a seeded share of the rows, each whole once and windowed once more', () => {
    const train = rows.filter((r) => r % 3 !== 0);
    const eligible = train.filter((r) => lengths[r]! > MIN_WINDOW).length;
    expect(addedWindowCount(train, lengths, 0.5)).toBe(Math.round(0.5 * eligible));
    const windows = epochWindows(train, lengths, { share: 0, endShare: 1, extra: 0.5 }, 42, 1);
    expect(windows.added).toHaveLength(Math.round(0.5 * eligible));
    expect(windows.widths).toHaveLength(2 * count);
    // The rows themselves are read whole; each added index is a training row's window, at its end (endShare 1).
    expect(windows.widths.subarray(0, count).every((w) => w === 0)).toBe(true);
    expect(new Set(windows.added).size).toBe(windows.added.length);
    for (const index of windows.added) {
      const row = rowOf(index, count);
      expect(index).toBeGreaterThanOrEqual(count);
      expect(train.includes(row)).toBe(true);
      expect(windows.widths[index]).toBeGreaterThanOrEqual(MIN_WINDOW);
      expect(windows.starts[index]! + windows.widths[index]!).toBe(lengths[row]);
    }
    expect(epochWindows(train, lengths, { share: 0, endShare: 1, extra: 0.5 }, 42, 2).added).not.toEqual(windows.added);
    // Replacing and adding draw from streams of their own: adding changes nothing about the replaced windows.
    const both = epochWindows(train, lengths, { share: 0.3, endShare: 0, extra: 0.5 }, 42, 1);
    const replacedOnly = epochWindows(train, lengths, { share: 0.3 }, 42, 1);
    expect(both.widths.subarray(0, count)).toEqual(replacedOnly.widths);
  });

  it('plan an epoch with its added windows: every training row once whole, each added window once, bucketed', () => {
    const maxlen = 12;
    const rowCount = 200;
    const rowLengthsOf = Array.from({ length: rowCount }, (_, r) => (r % 11) + 1);
    const examples = numberedRows(rowLengthsOf, maxlen);
    examples.labels.forEach((_, r) => (examples.labels[r] = r % 2));
    const lengthsOf = rowLengths(examples);
    const train = Int32Array.from({ length: 150 }, (_, i) => i + 50);
    const settings = { seed: 3, batchSize: 16, batchOrder: 'bucketed' as const, windowExtra: 0.5, windowEndShare: 0.5 };
    expect(needsLengths(settings)).toBe(true);
    const plan = epochPlan(train, lengthsOf, settings, 2);
    expect(plan.order.length).toBe(examplesPerEpoch(train, lengthsOf, settings));
    const whole = Array.from(plan.order).filter((i) => i < rowCount);
    expect(whole.sort((a, b) => a - b)).toEqual(Array.from(train));
    const added = Array.from(plan.order).filter((i) => i >= rowCount);
    expect(added.sort((a, b) => a - b)).toEqual(Array.from(plan.windows!.added).sort((a, b) => a - b));
    const batch = planBatch(examples, lengthsOf, plan, 0, plan.order.length);
    plan.order.forEach((index, i) => {
      const row = rowOf(index, rowCount);
      const words = Array.from(batch.ids.subarray(i * maxlen, (i + 1) * maxlen)).filter((id) => id !== 0);
      const width = index >= rowCount ? plan.windows!.widths[index]! : lengthsOf[row]!;
      const start = index >= rowCount ? plan.windows!.starts[index]! : 0;
      expect(words).toEqual(Array.from({ length: width }, (_, k) => row * 1000 + start + k + 1));
      expect(batch.labels[i]).toBe(examples.labels[row]);
    });
  });

  it('copy exactly the chosen run of words, pre-padded, and give bucketing the windowed lengths', () => {
    const maxlen = 10;
    const examples = numberedRows([10, 6, 2, 8], maxlen);
    const lengthsOf = rowLengths(examples);
    const windows = {
      starts: Int32Array.from([3, 0, 0, 2]),
      widths: Int32Array.from([4, 0, 0, 5]),
      added: new Int32Array(0),
    };
    const order = [3, 0, 1];
    const ids = new Int32Array(order.length * maxlen);
    order.forEach((r, i) => ids.set(examples.ids.subarray(r * maxlen, (r + 1) * maxlen), i * maxlen));
    applyWindows(ids, order, examples, lengthsOf, windows);
    expect(Array.from(ids.subarray(0, 10))).toEqual([0, 0, 0, 0, 0, 3003, 3004, 3005, 3006, 3007]);
    expect(Array.from(ids.subarray(10, 20))).toEqual([0, 0, 0, 0, 0, 0, 4, 5, 6, 7]);
    expect(Array.from(ids.subarray(20, 30))).toEqual([0, 0, 0, 0, 1001, 1002, 1003, 1004, 1005, 1006]);
    expect(windowedLengths(lengthsOf, windows)).toEqual(Int32Array.from([4, 6, 2, 5]));
  });

  const cases = [
    { name: 'a share of each epoch is runs of words of the training rows, the rest whole', windowShare: 0.5 },
    { name: 'added windows come besides every whole training row', windowExtra: 0.5 },
  ];
  for (const { name, ...windowing } of cases)
    it(`reach the engine in training: ${name}`, async () => {
      const maxlen = 24;
      const random = seededRandom(5);
      const count = 200;
      const ids = Int32Array.from({ length: count * maxlen }, () => 1 + Math.floor(random() * 9));
      const labels = Uint8Array.from({ length: count }, () => (random() < 0.5 ? 1 : 0));
      const examples: PaddedMatrix = { ids, labels, count, maxlen };
      const model = buildSentimentModel({
        vocabularySize: 10,
        maxlen,
        embeddingDim: 8,
        lstmUnits: 8,
        dropout: 0,
        seed: 1,
      });
      const runner = layersRunner({
        model,
        engine: stockEngine,
        optimizer: createOptimizer({ optimizer: 'rmsprop', learningRate: 0.01 }),
        maxlen,
      });
      const seen: Int32Array[] = [];
      const recorded = {
        ...runner,
        trainBatch: (batch: Int32Array, batchLabels: Float32Array) => {
          seen.push(batch.slice());
          return runner.trainBatch(batch, batchLabels);
        },
      };
      const split = validationSplit(labels, 0.2, 1);
      await trainModel({
        runner: recorded,
        examples,
        split,
        settings: { batchSize: 16, epochs: 2, seed: 3, earlyStoppingPatience: 0, ...windowing },
        events: { onBatch: () => {}, onEpoch: () => {}, shouldStop: () => false },
      });
      const trainRows = Array.from(split.train, (r) =>
        Array.from(ids.subarray(r * maxlen, (r + 1) * maxlen)).join(','),
      );
      let windowed = 0;
      let total = 0;
      for (const batch of seen) {
        for (let i = 0; i < batch.length / maxlen; i++) {
          const row = Array.from(batch.subarray(i * maxlen, (i + 1) * maxlen));
          const words = row.filter((id) => id !== 0);
          // Pre-padded: zeros only before the words.
          expect(row.slice(maxlen - words.length).every((id) => id !== 0)).toBe(true);
          expect(trainRows.some((whole) => `,${whole},`.includes(`,${words.join(',')},`))).toBe(true);
          if (words.length < maxlen) windowed++;
          total++;
        }
      }
      if (windowing.windowExtra) {
        // Every row once whole and half of them once more as a window (all rows here are longer than MIN_WINDOW).
        const added = Math.round(0.5 * split.train.length);
        expect(total).toBe(2 * (split.train.length + added));
        expect(total - windowed).toBeGreaterThanOrEqual(2 * split.train.length);
        expect(windowed / (2 * added)).toBeGreaterThan(0.8);
      } else {
        expect(total).toBe(2 * split.train.length);
        expect(windowed / total).toBeGreaterThan(0.35);
        expect(windowed / total).toBeLessThan(0.6);
      }
      model.dispose();
    });
});
