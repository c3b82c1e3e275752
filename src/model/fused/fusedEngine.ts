import * as tf from '@tensorflow/tfjs';
import type { ModelEngine } from '../engine';
import { fusedLstmInferenceFromRows, fusedLstmLastState, fusedLstmLastStateFromRows, projectInputs } from './fusedLstm';

interface SentimentWeights {
  embeddings: tf.Tensor2D;
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  denseKernel: tf.Tensor2D;
  denseBias: tf.Tensor1D;
  dropout: number;
}

/** The variables of the standard layers model; the engine computes with them, it never copies them. */
function sentimentWeights(model: tf.LayersModel): SentimentWeights {
  const [embeddings] = model.getLayer('embedding').weights;
  const lstm = model.getLayer('lstm');
  const [kernel, recurrentKernel, bias] = lstm.weights;
  const [denseKernel, denseBias] = model.getLayer('dense').weights;
  if (!embeddings || !kernel || !recurrentKernel || !bias || !denseKernel || !denseBias)
    throw new Error('The fused engine expects the Embedding → LSTM → Dense model with biases');
  return {
    embeddings: embeddings.read() as tf.Tensor2D,
    kernel: kernel.read() as tf.Tensor2D,
    recurrentKernel: recurrentKernel.read() as tf.Tensor2D,
    bias: bias.read() as tf.Tensor1D,
    denseKernel: denseKernel.read() as tf.Tensor2D,
    denseBias: denseBias.read() as tf.Tensor1D,
    dropout: Number(lstm.getConfig()['dropout'] ?? 0),
  };
}

/** Why the fused engine cannot run this model on the current backend; null when it can. */
export function fusedEngineUnsupportedReason(model: tf.LayersModel): string | null {
  if (tf.getBackend() !== 'webgl') return `the fused engine needs the webgl backend, not ${tf.getBackend()}`;
  const units = model.getLayer('lstm').getConfig()['units'];
  if (typeof units !== 'number' || units % 2 !== 0) return `the fused engine needs an even number of LSTM units`;
  if (model.getLayer('embedding').getConfig()['maskZero'] === true)
    return 'the fused engine does not take masked padding (mask_zero)';
  return null;
}

/** Distinct-token counts are rounded up to a multiple of this (see projectDistinctTokens). */
export const DISTINCT_TOKEN_BUCKET = 1024;

/**
 * x·W for each distinct token of the batch, and which of those rows each position reads: a batch
 * of 128 reviews × 200 positions holds far fewer distinct tokens than positions (most of a review's
 * words are common ones, and pre-padding repeats token 0), so the input projection, and in the
 * backward pass the kernel's and the embedding's gradients, are matmuls over the distinct tokens
 * only. Positions are time-major (t·B + b), as the recurrence reads them.
 */
function projectDistinctTokens(
  w: SentimentWeights,
  ids: tf.Tensor2D,
  training: boolean,
): { table: tf.Tensor2D; rowOfPosition: Int32Array } {
  const [batch, steps] = ids.shape;
  // The ids are uploaded from the CPU for each batch, so reading them back costs no GPU wait.
  const values = ids.dataSync();
  const rowOf = new Map<number, number>();
  const distinct: number[] = [];
  const rowOfPosition = new Int32Array(steps * batch);
  for (let t = 0; t < steps; t++)
    for (let b = 0; b < batch; b++) {
      const id = values[b * steps + t]!;
      let row = rowOf.get(id);
      if (row === undefined) {
        row = distinct.length;
        rowOf.set(id, row);
        distinct.push(id);
      }
      rowOfPosition[t * batch + b] = row;
    }
  // tfjs bakes a matmul's shared dimension into its shader, and the kernel's gradient is a matmul
  // over the distinct tokens: a new count every batch compiled a new shader every batch, until
  // SwiftShader failed to compile any more (epoch 2 of a full run). Padding the count up to a
  // multiple of DISTINCT_TOKEN_BUCKET (with id 0, which no position reads) bounds the variants.
  // Without a backward pass only the forward matmul's (few) variants matter; a single review has a
  // few hundred distinct tokens, and padding those to 1024 rows tripled the projection's cost, so
  // prediction rounds up to a power of two instead.
  const padded =
    training || distinct.length > DISTINCT_TOKEN_BUCKET
      ? Math.ceil(distinct.length / DISTINCT_TOKEN_BUCKET) * DISTINCT_TOKEN_BUCKET
      : 2 ** Math.ceil(Math.log2(Math.max(distinct.length, 16)));
  while (distinct.length < padded) distinct.push(0);
  const table = tf.matMul(tf.gather(w.embeddings, tf.tensor1d(distinct, 'int32')), w.kernel) as tf.Tensor2D;
  return { table, rowOfPosition };
}

/** x·W position by position; needed when input dropout gives each sequence its own mask. */
function projectEveryPosition(
  w: SentimentWeights,
  ids: tf.Tensor2D,
  batch: number,
  embeddingDim: number,
): tf.Tensor3D[] {
  let inputs: tf.Tensor = tf.gather(w.embeddings, tf.transpose(ids));
  // Keras applies one input-dropout mask per sequence, the same at every timestep.
  const keep = tf.greaterEqual(tf.randomUniform([1, batch, embeddingDim]), w.dropout);
  inputs = tf.mul(inputs, tf.div(tf.cast(keep, 'float32'), 1 - w.dropout));
  return projectInputs(inputs as tf.Tensor3D, w.kernel);
}

/**
 * Embedding → LSTM → Dense with our own recurrent kernels on WebGL. The embedding lookup, the
 * input projection of all timesteps and the Dense layer are ordinary tfjs ops (tfjs differentiates
 * them); the recurrence is `fusedLstmLastState`, whose gradient is written out explicitly.
 */
export const fusedEngine: ModelEngine = {
  name: 'fused',
  predict(model, ids, training) {
    const w = sentimentWeights(model);
    const batch = ids.shape[0];
    const embeddingDim = w.embeddings.shape[1];
    let lastState: tf.Tensor2D;
    if (training && w.dropout > 0) {
      const projected = projectEveryPosition(w, ids, batch, embeddingDim);
      lastState = fusedLstmLastState(projected, w.bias, w.recurrentKernel);
    } else {
      const { table, rowOfPosition } = projectDistinctTokens(w, ids, training);
      lastState = training
        ? fusedLstmLastStateFromRows(table, rowOfPosition, batch, w.bias, w.recurrentKernel)
        : fusedLstmInferenceFromRows(table, rowOfPosition, batch, w.bias, w.recurrentKernel);
    }
    return tf.sigmoid(tf.add(tf.matMul(lastState, w.denseKernel), w.denseBias)) as tf.Tensor2D;
  },
};
