import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/data/random';
import { buildSentimentModel } from '../../src/model/buildModel';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import { stockEngine, type ModelEngine } from '../../src/model/engine';
import { createOptimizer, layersRunner } from '../../src/model/runner';
import { evaluate, trainModel, type BatchPoint } from '../../src/training/trainer';
import type { PaddedMatrix } from '../../src/data/dataset';
import { validationSplit } from '../../src/training/validationSplit';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installEmbeddingGradient();
});

/** A toy sentiment task: positive when "good" (id 1) occurs more often than "bad" (id 2). */
function toyExamples(count: number, maxlen: number, seed: number): PaddedMatrix {
  const random = seededRandom(seed);
  const ids = new Int32Array(count * maxlen);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    let score = 0;
    for (let t = 0; t < maxlen; t++) {
      const id = 1 + Math.floor(random() * 9);
      ids[i * maxlen + t] = id;
      score += id === 1 ? 1 : id === 2 ? -1 : 0;
    }
    labels[i] = score > 0 || (score === 0 && random() < 0.5) ? 1 : 0;
  }
  return { ids, labels, count, maxlen };
}

const settings = { batchSize: 32, epochs: 6, seed: 3, earlyStoppingPatience: 0 };

async function run(
  examples: PaddedMatrix,
  overrides: Partial<typeof settings> & { learningRate?: number; learningRateDecay?: number; stopAfter?: number } = {},
) {
  const model = buildSentimentModel({
    vocabularySize: 10,
    maxlen: examples.maxlen,
    embeddingDim: 8,
    lstmUnits: 8,
    dropout: 0,
    seed: 1,
  });
  const optimizer = createOptimizer({ optimizer: 'rmsprop', learningRate: overrides.learningRate ?? 0.01 });
  const split = validationSplit(examples.labels, 0.2, 1);
  const batches: BatchPoint[] = [];
  /** tfjs's own optimizer's rate at each epoch's end. */
  const rates: number[] = [];
  const outcome = await trainModel({
    runner: layersRunner({ model, engine: stockEngine, optimizer, maxlen: examples.maxlen }),
    examples,
    split,
    settings: { ...settings, ...overrides },
    events: {
      onBatch: (p) => batches.push(p),
      onEpoch: () => rates.push(optimizer.getConfig()['learningRate'] as number),
      shouldStop: () => overrides.stopAfter !== undefined && batches.length >= overrides.stopAfter,
    },
  });
  return { model, optimizer, outcome, batches, split, rates };
}

describe('trainModel (stock engine, tfjs cpu backend)', () => {
  it('learns a toy task, reports every batch and epoch, and keeps numTensors flat', async () => {
    const examples = toyExamples(400, 6, 7);
    const before = tf.memory().numTensors;
    const { model, optimizer, outcome, batches, split } = await run(examples);
    expect(outcome.stopReason).toBe('completed');
    expect(outcome.history).toHaveLength(6);
    expect(batches).toHaveLength(6 * Math.ceil(split.train.length / 32));
    expect(outcome.history.at(-1)!.loss).toBeLessThan(outcome.history[0]!.loss);
    expect(outcome.history.at(-1)!.valAccuracy).toBeGreaterThan(0.75);
    // After the first batch (optimizer slots exist), the count never changes from batch to batch.
    const counts = new Set(batches.slice(1).map((b) => b.numTensors));
    expect(counts.size).toBe(1);
    const metrics = await evaluate({
      runner: layersRunner({ model, engine: stockEngine, optimizer, maxlen: 6 }),
      examples: toyExamples(200, 6, 99),
      indices: null,
      batchSize: 64,
    });
    expect(metrics!.accuracy).toBeGreaterThan(0.75);
    model.dispose();
    optimizer.dispose();
    const afterFirst = tf.memory().numTensors;
    expect(afterFirst).toBe(before);
    const second = await run(examples);
    second.model.dispose();
    second.optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops after the current batch when asked, keeping the weights', async () => {
    const { model, optimizer, outcome, batches } = await run(toyExamples(200, 6, 8), { stopAfter: 3 });
    expect(outcome.stopReason).toBe('stopped');
    expect(batches).toHaveLength(3);
    expect(model.getWeights().length).toBe(6);
    model.dispose();
    optimizer.dispose();
  });

  it('stops on a NaN loss with a clear message and restores the last good epoch', async () => {
    const examples = toyExamples(200, 6, 9);
    const model = buildSentimentModel({
      vocabularySize: 10,
      maxlen: 6,
      embeddingDim: 8,
      lstmUnits: 8,
      dropout: 0,
      seed: 1,
    });
    const optimizer = createOptimizer({ optimizer: 'rmsprop', learningRate: 0.01 });
    const split = validationSplit(examples.labels, 0.2, 1);
    const batchesPerEpoch = Math.ceil(split.train.length / 32);
    let trainingCalls = 0;
    // An engine whose output turns NaN in the second epoch, as a diverging run's would.
    const divergingEngine: ModelEngine = {
      name: 'stock',
      predict: (m, ids, training) => {
        const p = stockEngine.predict(m, ids, training);
        if (!training || ++trainingCalls <= batchesPerEpoch + 2) return p;
        return tf.tidy(() => tf.mul(p, Number.NaN)) as tf.Tensor2D;
      },
    };
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const outcome = await trainModel({
      runner: layersRunner({ model, engine: divergingEngine, optimizer, maxlen: examples.maxlen }),
      examples,
      split,
      settings: { ...settings, epochs: 4 },
      events: { onBatch: () => {}, onEpoch: () => {}, shouldStop: () => false },
    });
    expect(outcome.stopReason).toBe('nan-loss');
    expect(outcome.message).toMatch(
      /became NaN at epoch 2, batch 3: training diverged\. Try a lower learning rate\. The weights of epoch 1 were restored/,
    );
    expect(outcome.restoredEpoch).toBe(1);
    const after = model.getWeights().map((w) => w.dataSync());
    expect(after.every((w) => w.every(Number.isFinite))).toBe(true);
    expect(after[0]).not.toEqual(before[0]);
    model.dispose();
    optimizer.dispose();
  });

  it('a runner that throws fails the run and leaves no tensor behind (the saved weights are freed)', async () => {
    const examples = toyExamples(200, 6, 11);
    const before = tf.memory().numTensors;
    const model = buildSentimentModel({
      vocabularySize: 10,
      maxlen: 6,
      embeddingDim: 8,
      lstmUnits: 8,
      dropout: 0,
      seed: 1,
    });
    const optimizer = createOptimizer({ optimizer: 'rmsprop', learningRate: 0.01 });
    const runner = layersRunner({ model, engine: stockEngine, optimizer, maxlen: examples.maxlen });
    let calls = 0;
    // 160 training rows are 5 batches of 32: the fallback holds epoch 1's weights as tensors when step 8 throws.
    const failing = {
      ...runner,
      trainBatch: (ids: Int32Array, labels: Float32Array) => {
        if (++calls === 8) throw new Error('the GPU went away');
        return runner.trainBatch(ids, labels);
      },
    };
    await expect(
      trainModel({
        runner: failing,
        examples,
        split: validationSplit(examples.labels, 0.2, 1),
        settings: { ...settings, epochs: 3 },
        events: { onBatch: () => {}, onEpoch: () => {}, shouldStop: () => false },
      }),
    ).rejects.toThrow('the GPU went away');
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('early stopping restores the best epoch', async () => {
    const examples = toyExamples(200, 6, 10);
    const { model, optimizer, outcome } = await run(examples, {
      earlyStoppingPatience: 1,
      epochs: 30,
      learningRate: 0.05,
    });
    expect(['early-stopping', 'completed']).toContain(outcome.stopReason);
    if (outcome.stopReason === 'early-stopping') {
      const best = Math.min(...outcome.history.map((h) => h.valLoss!));
      expect(outcome.history[outcome.restoredEpoch! - 1]!.valLoss).toBe(best);
    }
    model.dispose();
    optimizer.dispose();
  });

  it("decays the learning rate of tfjs's own optimizer after each epoch", async () => {
    const examples = toyExamples(400, 6, 7);
    const decayed = await run(examples, { learningRate: 0.02, learningRateDecay: 0.5, epochs: 4 });
    expect(decayed.rates).toEqual([0.02, 0.01, 0.005, 0.0025]);
    const constant = await run(examples, { learningRate: 0.02, epochs: 4 });
    expect(constant.rates).toEqual([0.02, 0.02, 0.02, 0.02]);
    for (const r of [decayed, constant]) {
      r.model.dispose();
      r.optimizer.dispose();
    }
  });
});
