/**
 * A run interrupted after a checkpoint (mid-way through the next epoch, as a reload would cut it,
 * or by a Stop, whose checkpoint is where it stopped) and resumed in a fresh model, optimizer and engine from that checkpoint ends with the weights of
 * the same run left alone, on each engine and optimizer, with early stopping's state, a decaying
 * rate, random windows and bucketed batches in play. The checkpoint goes through structuredClone,
 * as IndexedDB stores it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import { chooseRunner } from '../../src/model/engineChoice';
import { createOptimizer } from '../../src/model/runner';
import { rowLengths } from '../../src/training/bucketing';
import { examplesPerEpoch } from '../../src/training/epochPlan';
import { trainModel, type TrainCheckpoint } from '../../src/training/trainer';
import { DEFAULT_SETTINGS, type OptimizerName, type TrainingSettings } from '../../src/training/settings';
import { validationSplit } from '../../src/training/validationSplit';
import { buildModelFor, loadWasmModule, randomLabels, reviewLikeIds, toyTask, type CaseShape } from './wasmHelpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installEmbeddingGradient();
});

const shape: CaseShape = { batch: 16, maxlen: 12, vocab: 60, embed: 8, units: 8 };
const SOFTWARE_WEBGL = { name: 'webgl', renderer: 'ANGLE (SwiftShader)', softwareRendered: true };
const CALIBRATION = { ids: reviewLikeIds(shape, 5), labels: randomLabels(shape.batch, 6) };
const examples = toyTask(shape, 320, 11);
const split = validationSplit(examples.labels, 0.2, 1);

function settingsFor(engine: 'stock' | 'wasm', optimizer: OptimizerName): TrainingSettings {
  return {
    ...DEFAULT_SETTINGS,
    engine,
    optimizer,
    batchSize: shape.batch,
    embeddingDim: shape.embed,
    lstmUnits: shape.units,
    maxlen: shape.maxlen,
    learningRate: 0.01,
    learningRateDecay: 0.7,
    windowShare: 0.3,
    windowExtra: 0.3,
    windowEndShare: 0.5,
    windowMaxWords: 8,
    batchOrder: 'bucketed',
    maskZero: 'on',
    epochs: 5,
    earlyStoppingPatience: 3,
    seed: 7,
  };
}

/** Trains from the seeded initial model; `stopAt` stops after that many batches, `resume` continues a checkpoint. */
async function train(
  settings: TrainingSettings,
  options: { stopAt?: number; resume?: TrainCheckpoint; onCheckpoint?: (c: TrainCheckpoint) => void } = {},
) {
  const model = buildModelFor(shape, 3, true);
  const optimizer = createOptimizer(settings);
  const choice = await chooseRunner({
    settings,
    model,
    optimizer,
    maxlen: shape.maxlen,
    backend: SOFTWARE_WEBGL,
    calibrationBatch: CALIBRATION,
    compileWasm: () => Promise.resolve(loadWasmModule()),
  });
  expect(choice.engine).toBe(settings.engine);
  let batches = 0;
  const outcome = await trainModel({
    runner: choice.runner,
    examples,
    split,
    settings,
    resume: options.resume,
    events: {
      onBatch: () => void batches++,
      onEpoch: () => {},
      shouldStop: () => options.stopAt !== undefined && batches >= options.stopAt,
      onCheckpoint: async (checkpoint) => options.onCheckpoint?.(structuredClone(checkpoint)),
    },
  });
  choice.finish();
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  choice.release();
  optimizer.dispose();
  model.dispose();
  return { outcome, weights, batches };
}

describe('a run resumed from its checkpoint', () => {
  for (const engine of ['stock', 'wasm'] as const)
    for (const optimizer of ['rmsprop', 'adam'] as const)
      it(`ends as the uninterrupted run (${engine}, ${optimizer})`, async () => {
        const settings = settingsFor(engine, optimizer);
        const straight = await train(settings);
        expect(straight.outcome.history).toHaveLength(5);

        const checkpoints: TrainCheckpoint[] = [];
        const batchesPerEpoch = Math.ceil(examplesPerEpoch(split.train, rowLengths(examples), settings) / shape.batch);
        // Stopped 5 batches into epoch 3: checkpoints after epochs 1 and 2, then the Stop's.
        const cut = await train(settings, {
          stopAt: 2 * batchesPerEpoch + 5,
          onCheckpoint: (c) => checkpoints.push(c),
        });
        expect(cut.outcome.stopReason).toBe('stopped');
        expect(checkpoints.map((c) => [c.epoch, c.position?.batch ?? null])).toEqual([
          [1, null],
          [2, null],
          [2, 5],
        ]);

        const compare = (resumed: Awaited<ReturnType<typeof train>>) => {
          expect(resumed.outcome.history.map((h) => [h.loss, h.accuracy, h.valLoss])).toEqual(
            straight.outcome.history.map((h) => [h.loss, h.accuracy, h.valLoss]),
          );
          expect(resumed.outcome.examplesSeen).toBe(straight.outcome.examplesSeen);
          let largest = 0;
          straight.weights.forEach((w, i) =>
            w.forEach((v, j) => (largest = Math.max(largest, Math.abs(v - resumed.weights[i]![j]!)))),
          );
          expect(largest).toBeLessThanOrEqual(1e-5);
        };
        // A reload mid-way through epoch 3 leaves epoch 2's checkpoint: epoch 3 is trained again.
        const reloaded = await train(settings, { resume: checkpoints[1]! });
        expect(reloaded.batches).toBe(3 * batchesPerEpoch);
        compare(reloaded);
        // The Stop's checkpoint goes on from its 6th batch of epoch 3.
        const stopped = await train(settings, { resume: checkpoints[2]! });
        expect(stopped.batches).toBe(3 * batchesPerEpoch - 5);
        compare(stopped);
        // And the run moved: the weights are not the initial ones.
        expect(straight.outcome.history.at(-1)!.loss).toBeLessThan(straight.outcome.history[0]!.loss);
      }, 120_000);
});

describe('a run stopped while validating', () => {
  it('checkpoints the trained epoch and goes on by validating it again (wasm)', async () => {
    const settings = settingsFor('wasm', 'rmsprop');
    const straight = await train(settings);
    const batchesPerEpoch = Math.ceil(examplesPerEpoch(split.train, rowLengths(examples), settings) / shape.batch);
    const checkpoints: TrainCheckpoint[] = [];
    // Asked to stop once epoch 2's last batch is trained: the Stop lands in its validation.
    await train(settings, { stopAt: 2 * batchesPerEpoch, onCheckpoint: (c) => checkpoints.push(c) });
    expect(checkpoints.map((c) => [c.epoch, c.position?.batch ?? null])).toEqual([
      [1, null],
      [1, batchesPerEpoch],
    ]);
    const resumed = await train(settings, { resume: checkpoints[1]! });
    expect(resumed.batches).toBe(3 * batchesPerEpoch);
    expect(resumed.outcome.history.map((h) => h.valLoss)).toEqual(straight.outcome.history.map((h) => h.valLoss));
    expect(resumed.weights).toEqual(straight.weights);
  }, 60_000);
});
