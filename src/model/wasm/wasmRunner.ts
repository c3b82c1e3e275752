/**
 * The WebAssembly training step as a BatchRunner: the run's weights move into WebAssembly memory
 * at the start, every step and prediction runs there, and `finish` writes them back into the
 * standard layers model, which is what is saved, downloaded and self-checked.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchRunner } from '../../training/trainer';
import type { OptimizerName } from '../../training/settings';
import { WasmTrainer, type LstmWeights, type WasmOptimizer } from './wasmTrainer';

export interface WasmRun {
  runner: BatchRunner<LstmWeights>;
  /** Writes the current weights into the layers model (before saving it). */
  finish(): void;
  /** Milliseconds for one batch's forward and backward pass, weights left unchanged (calibration). */
  timeBatch(ids: Int32Array, labels: Float32Array): number;
}

/** Why the WebAssembly engine cannot run this model; null when it can. */
export function wasmUnsupportedReason(shape: {
  embeddingDim: number;
  lstmUnits: number;
  dropout: number;
}): string | null {
  if (shape.embeddingDim % 4 !== 0 || shape.lstmUnits % 4 !== 0)
    return 'the WebAssembly engine needs an embedding size and a number of LSTM units that are multiples of 4';
  if (shape.dropout > 0) return 'the WebAssembly engine does not take dropout yet';
  return null;
}

function optimizerSpec(optimizer: OptimizerName, learningRate: number): WasmOptimizer {
  // The same hyper-parameters as createOptimizer (src/model/runner.ts).
  switch (optimizer) {
    case 'rmsprop':
      return { kind: 'rmsprop', learningRate, decay: 0.9, momentum: 0, epsilon: 1e-7 };
    case 'adam':
      return { kind: 'adam', learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    case 'sgd':
      return { kind: 'sgd', learningRate };
  }
}

const WEIGHT_ORDER: readonly (keyof LstmWeights)[] = [
  'embeddings',
  'kernel',
  'recurrentKernel',
  'bias',
  'denseKernel',
  'denseBias',
];

/** Lets the worker handle messages (Stop) between batches: a WebAssembly step never yields by itself. */
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function createWasmRun(args: {
  module: WebAssembly.Module;
  model: tf.LayersModel;
  maxlen: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
}): Promise<WasmRun> {
  const { module, model, maxlen, batchSize } = args;
  const [embeddings] = model.getLayer('embedding').getWeights();
  const units = model.getLayer('lstm').getConfig()['units'] as number;
  const [vocabularySize, embeddingDim] = embeddings!.shape as [number, number];
  const trainer = await WasmTrainer.create(
    module,
    { batchSize, maxlen, vocabularySize, embeddingDim, lstmUnits: units },
    optimizerSpec(args.optimizer, args.learningRate),
  );
  // model.getWeights() is in Keras order: embeddings, kernel, recurrent kernel, bias, dense kernel, dense bias.
  const values = model.getWeights().map((w) => w.dataSync() as Float32Array);
  trainer.setWeights(Object.fromEntries(WEIGHT_ORDER.map((key, i) => [key, values[i]!])) as unknown as LstmWeights);
  const runner: BatchRunner<LstmWeights> = {
    async trainBatch(ids, labels) {
      await yieldToEvents();
      return trainer.trainStep(ids, labels);
    },
    async predictBatch(ids, rows) {
      await yieldToEvents();
      const out = new Float32Array(rows);
      for (let from = 0; from < rows; from += batchSize) {
        const to = Math.min(rows, from + batchSize);
        out.set(trainer.predict(ids.subarray(from * maxlen, to * maxlen), to - from), from);
      }
      return out;
    },
    snapshot: () => trainer.getWeights(),
    restore: (weights) => trainer.setWeights(weights),
    release: () => {},
  };
  const finish = () => {
    const weights = trainer.getWeights();
    const tensors = model.getWeights().map((w, i) => tf.tensor(weights[WEIGHT_ORDER[i]!], w.shape));
    model.setWeights(tensors);
    tf.dispose(tensors);
  };
  const timeBatch = (ids: Int32Array, labels: Float32Array) => {
    const started = performance.now();
    trainer.gradients(ids, labels);
    return performance.now() - started;
  };
  return { runner, finish, timeBatch };
}
