/**
 * 20 training steps with the WebAssembly step against 20 with the app's own loop (trainStep,
 * stock engine, createOptimizer, the embedding-gradient fix) from the same initial model and
 * batches, for each optimizer. Losses: |wasm - tfjs| ≤ 1e-3 per step. Weights after the 20 steps:
 * max |wasm - tfjs| / max |tfjs| ≤ 1e-3 per weight tensor (scaledError).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import { stockEngine } from '../../src/model/engine';
import { createOptimizer, setOptimizerLearningRate, trainStep } from '../../src/model/runner';
import type { OptimizerName } from '../../src/training/settings';
import { WasmTrainer, type LstmWeights, type WasmOptimizer } from '../../src/model/wasm/wasmTrainer';
import {
  buildModelFor,
  loadWasmModule,
  modelWeights,
  randomLabels,
  reviewLikeIds,
  scaledError,
  type CaseShape,
} from './wasmHelpers';

const STEPS = 20;
let restoreGradient: () => void = () => {};

beforeAll(async () => {
  await tf.setBackend('cpu');
  restoreGradient = installEmbeddingGradient();
});
afterAll(() => restoreGradient());

const shape: CaseShape = { batch: 9, maxlen: 20, vocab: 200, embed: 16, units: 16 };

/** The batches of the run: the last one is a partial batch of 5 rows, as at an epoch's end. */
function batches(): { ids: Int32Array; labels: Float32Array }[] {
  return Array.from({ length: STEPS }, (_, step) => {
    const rows = step === STEPS - 1 ? 5 : shape.batch;
    return {
      ids: reviewLikeIds({ ...shape, batch: rows }, 1000 + step),
      labels: randomLabels(rows, 2000 + step),
    };
  });
}

/** A learning-rate schedule: from this step on, the rate is `factor` times the first. */
const SCHEDULE = { fromStep: 10, factor: 0.3 };

const runs: { optimizer: OptimizerName; learningRate: number; maskZero?: boolean; decay?: boolean }[] = [
  { optimizer: 'rmsprop', learningRate: 0.01 },
  { optimizer: 'adam', learningRate: 0.01 },
  { optimizer: 'sgd', learningRate: 0.5 },
  // Masked padding (the Recommended preset's): tfjs's LSTM with mask_zero against the kernels'.
  { optimizer: 'rmsprop', learningRate: 0.01, maskZero: true },
  { optimizer: 'adam', learningRate: 0.01, maskZero: true },
  // The rate lowered mid-run (learning-rate decay), with the optimizers' moments kept.
  { optimizer: 'rmsprop', learningRate: 0.01, decay: true },
  { optimizer: 'adam', learningRate: 0.01, maskZero: true, decay: true },
  { optimizer: 'sgd', learningRate: 0.5, decay: true },
];

describe('WebAssembly training step vs tfjs trainStep', () => {
  const module = loadWasmModule();

  for (const { optimizer, learningRate, maskZero = false, decay = false } of runs) {
    const name = `${optimizer} lr ${learningRate}${maskZero ? ', mask_zero' : ''}${decay ? `, × ${SCHEDULE.factor} from step ${SCHEDULE.fromStep}` : ''}`;
    const lowered = learningRate * SCHEDULE.factor;
    it(`${name}: ${STEPS} steps give the same losses and weights`, async () => {
      const data = batches();
      const model = buildModelFor(shape, 5, maskZero);
      const initial = modelWeights(model);

      const tfOptimizer = createOptimizer({ optimizer, learningRate });
      const tfLosses: number[] = [];
      for (const [step, { ids, labels }] of data.entries()) {
        if (decay && step === SCHEDULE.fromStep) {
          setOptimizerLearningRate(tfOptimizer, lowered);
          // tfjs's own optimizer now reports (and steps with) the lowered rate.
          expect(tfOptimizer.getConfig()['learningRate']).toBe(lowered);
        }
        tfLosses.push((await trainStep(model, stockEngine, tfOptimizer, ids, labels, shape.maxlen)).loss);
      }
      const expected = modelWeights(model);
      tfOptimizer.dispose();
      model.dispose();

      const trainer = await WasmTrainer.create(
        module,
        {
          batchSize: shape.batch,
          maxlen: shape.maxlen,
          vocabularySize: shape.vocab,
          embeddingDim: shape.embed,
          lstmUnits: shape.units,
          maskZero,
        },
        { kind: optimizer, learningRate } as WasmOptimizer,
      );
      trainer.setWeights(initial);
      const wasmLosses = data.map(({ ids, labels }, step) => {
        if (decay && step === SCHEDULE.fromStep) trainer.setLearningRate(lowered);
        return trainer.trainStep(ids, labels).loss;
      });
      const actual = trainer.getWeights();

      for (let s = 0; s < STEPS; s++)
        expect(Math.abs(wasmLosses[s]! - tfLosses[s]!), `loss at step ${s + 1}`).toBeLessThanOrEqual(1e-3);
      // The run must have moved the weights, or equal weights would prove nothing.
      expect(scaledError(initial.embeddings, expected.embeddings)).toBeGreaterThan(1e-2);
      for (const key of Object.keys(expected) as (keyof LstmWeights)[]) {
        expect(scaledError(actual[key], expected[key]), key).toBeLessThanOrEqual(1e-3);
      }
    }, 120_000);
  }
});
