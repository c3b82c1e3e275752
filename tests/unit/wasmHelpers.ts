/**
 * Shared pieces of the WebAssembly kernel tests: loading the built modules, weights and
 * review-like token ids, the tfjs reference gradients, and the error measure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../../src/data/random';
import { buildSentimentModel } from '../../src/model/buildModel';
import { binaryCrossentropy } from '../../src/model/loss';
import type { LstmWeights } from '../../src/model/wasm/wasmTrainer';
import { wasmBuildDir } from '../../scripts/build-wasm';
import { oneStepLstm } from '../../tools/src/referenceLstm';

/** The module built by Vitest's global setup (scripts/build-wasm.ts). */
export function loadWasmModule(threads = false): WebAssembly.Module {
  return new WebAssembly.Module(readFileSync(join(wasmBuildDir, threads ? 'lstm-threads.wasm' : 'lstm.wasm')));
}

export interface CaseShape {
  batch: number;
  maxlen: number;
  vocab: number;
  embed: number;
  units: number;
}

/**
 * Pre-padded rows like tokenized reviews: each row's length is drawn from [0, L] (some rows all
 * padding, some full), the words from a Zipf-like law over 1…V-1 so frequent words repeat; id 0
 * is padding and an ordinary embedding row.
 */
export function reviewLikeIds(shape: CaseShape, seed: number): Int32Array {
  const { batch, maxlen, vocab } = shape;
  const random = seededRandom(seed);
  const ids = new Int32Array(batch * maxlen);
  for (let b = 0; b < batch; b++) {
    const r = random();
    const length = r < 0.15 ? maxlen : r < 0.25 ? 0 : Math.floor(random() * (maxlen + 1));
    for (let t = maxlen - length; t < maxlen; t++) {
      const word = Math.floor(Math.exp(random() * Math.log(vocab - 1)));
      ids[b * maxlen + t] = Math.min(vocab - 1, Math.max(1, word));
    }
  }
  return ids;
}

/** A learnable toy task of `count` review-like rows: the reviews containing token 7 are positive. */
export function toyTask(shape: CaseShape, count: number, seed: number) {
  const ids = reviewLikeIds({ ...shape, batch: count }, seed);
  const labels = new Uint8Array(count);
  const noise = randomLabels(count, seed + 1);
  for (let r = 0; r < count; r++) {
    if (noise[r] === 1) ids[(r + 1) * shape.maxlen - 1 - (r % 3)] = 7;
    labels[r] = ids.subarray(r * shape.maxlen, (r + 1) * shape.maxlen).includes(7) ? 1 : 0;
  }
  return { ids, labels, count, maxlen: shape.maxlen };
}

export function randomLabels(batch: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: batch }, () => (random() < 0.5 ? 1 : 0));
}

function uniform(length: number, scale: number, random: () => number): Float32Array {
  return Float32Array.from({ length }, () => (2 * random() - 1) * scale);
}

/**
 * Random weights larger than a fresh model's, so the gates are not all near 0.5 and gradients
 * still reach the first timesteps after 200 of them (the recurrent scale keeps the recurrence
 * from exploding).
 */
export function randomWeights(shape: CaseShape, seed: number): LstmWeights {
  const { vocab: V, embed: E, units: H } = shape;
  const random = seededRandom(seed);
  return {
    embeddings: uniform(V * E, 0.5, random),
    kernel: uniform(E * 4 * H, Math.sqrt(6 / (E + 4 * H)) * 2, random),
    recurrentKernel: uniform(H * 4 * H, Math.sqrt(3 / H), random),
    bias: uniform(4 * H, 0.5, random),
    denseKernel: uniform(H, Math.sqrt(6 / (H + 1)) * 2, random),
    denseBias: uniform(1, 0.5, random),
  };
}

export function buildModelFor(shape: CaseShape, seed = 1, maskZero = false): tf.LayersModel {
  return buildSentimentModel({
    vocabularySize: shape.vocab,
    maxlen: shape.maxlen,
    embeddingDim: shape.embed,
    lstmUnits: shape.units,
    dropout: 0,
    seed,
    maskZero,
  });
}

export function modelWeights(model: tf.LayersModel): LstmWeights {
  const [embeddings, kernel, recurrentKernel, bias, denseKernel, denseBias] = model
    .getWeights()
    .map((w) => w.dataSync() as Float32Array);
  return {
    embeddings: embeddings!,
    kernel: kernel!,
    recurrentKernel: recurrentKernel!,
    bias: bias!,
    denseKernel: denseKernel!,
    denseBias: denseBias!,
  };
}

export function setModelWeights(model: tf.LayersModel, w: LstmWeights): void {
  const shapes = model.getWeights().map((t) => t.shape);
  const values = [w.embeddings, w.kernel, w.recurrentKernel, w.bias, w.denseKernel, w.denseBias];
  const tensors = values.map((v, i) => tf.tensor(v, shapes[i]));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

export interface ReferenceResult {
  probabilities: Float32Array;
  loss: number;
  /** dL/dx for every position, [B, L, E]: the LSTM's input gradient. */
  input: Float32Array;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
  denseKernel: Float32Array;
  denseBias: Float32Array;
}

/**
 * Forward output, loss and gradients from tfjs (the app's model: Embedding → LSTM with sigmoid
 * gates → Dense(1, sigmoid), loss from src/model/loss.ts), with the embedded inputs as a variable
 * so the LSTM's input gradient is visible per position.
 */
export function tfjsReference(
  shape: CaseShape,
  weights: LstmWeights,
  ids: Int32Array,
  labels: Float32Array,
  options: { maskZero?: boolean } = {},
): ReferenceResult {
  const { batch, maxlen, units } = shape;
  const model = buildModelFor(shape);
  setModelWeights(model, weights);
  const lstm = model.getLayer('lstm');
  const dense = model.getLayer('dense');
  const [kernel, recurrent, bias] = lstm.trainableWeights.map((w) => w.read() as tf.Variable);
  const [denseKernel, denseBias] = dense.trainableWeights.map((w) => w.read() as tf.Variable);
  const idTensor = tf.tensor2d(ids, [batch, maxlen], 'int32');
  const x = tf.variable(tf.gather(model.getWeights()[0]!, idTensor));
  const labelTensor = tf.tensor2d(labels, [batch, 1]);
  // Embedding mask_zero as Keras passes it on: the LSTM's mask is ids ≠ 0.
  const mask = options.maskZero ? tf.notEqual(idTensor, 0) : null;
  const forward = () => {
    if (mask && maxlen === 1) throw new Error('no masked reference at L=1');
    const h =
      maxlen > 1
        ? (lstm.apply(x, mask ? { mask } : {}) as tf.Tensor)
        : oneStepLstm(x, kernel!, recurrent!, bias!, units);
    return dense.apply(h) as tf.Tensor;
  };
  const { value, grads } = tf.variableGrads(
    () => binaryCrossentropy(labelTensor, forward()),
    [x, kernel!, recurrent!, bias!, denseKernel!, denseBias!],
  );
  const probabilities = tf.tidy(forward);
  const read = (v: tf.Variable) => grads[v.name]!.dataSync() as Float32Array;
  const result: ReferenceResult = {
    probabilities: probabilities.dataSync() as Float32Array,
    loss: value.dataSync()[0]!,
    input: read(x),
    kernel: read(kernel!),
    recurrentKernel: read(recurrent!),
    bias: read(bias!),
    denseKernel: read(denseKernel!),
    denseBias: read(denseBias!),
  };
  tf.dispose([value, ...Object.values(grads), probabilities, idTensor, x, labelTensor, ...(mask ? [mask] : [])]);
  model.dispose();
  return result;
}

/**
 * The error measure of these tests: max |a - b| over the tensor divided by the tensor's largest
 * |b| (relative to its scale, so tiny gradients are held to the same relative standard).
 */
export function scaledError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`${actual.length} values vs ${expected.length}`);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    if (!Number.isFinite(actual[i]!)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? worst : worst / scale;
}
