/**
 * Logistic regression on r ∘ x (x binary, r the naive-Bayes ratios) with an L2 penalty:
 *   J(w, b) = mean_i BCE(y_i, σ(z_i)) + (λ/2)‖w‖²,  z_i = b + Σ_{j ∈ row i} r_j w_j,
 * trained by mini-batch Adam. The penalty's gradient touches every weight, so each step updates
 * all of them (a dense pass: ~1 ms per million features), which keeps the optimizer exact.
 */
import { seededRandom, shuffleInPlace } from '../data/random';
import type { SparseRows } from './sparseRows';

export interface LogisticModel {
  weights: Float64Array;
  bias: number;
}

export interface LogisticData {
  rows: SparseRows;
  labels: ArrayLike<number>;
  /** The naive-Bayes ratio of each feature: the value of feature j where present. */
  scale: Float64Array;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** BCE from the logit, without forming σ(z) first (exact for large |z|). */
export const logLoss = (z: number, y: number): number => Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));

/** The logit of row i. */
export function logitOf(model: LogisticModel, data: LogisticData, i: number): number {
  const { offsets, indices } = data.rows;
  let z = model.bias;
  for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
    const j = indices[k]!;
    z += data.scale[j]! * model.weights[j]!;
  }
  return z;
}

/**
 * J over the rows `batch` and its gradient, written into `gradient` (dense, every weight: the
 * penalty's λw plus the rows' part); returns the loss and the bias's gradient.
 */
export function lossAndGradient(
  model: LogisticModel,
  data: LogisticData,
  batch: ArrayLike<number>,
  l2: number,
  gradient: Float64Array,
): { loss: number; biasGradient: number } {
  const { weights } = model;
  const { offsets, indices } = data.rows;
  let penalty = 0;
  for (let j = 0; j < weights.length; j++) {
    penalty += weights[j]! * weights[j]!;
    gradient[j] = l2 * weights[j]!;
  }
  let lossSum = 0;
  let biasSum = 0;
  const n = batch.length;
  for (let u = 0; u < n; u++) {
    const i = batch[u]!;
    const z = logitOf(model, data, i);
    const y = data.labels[i]!;
    lossSum += logLoss(z, y);
    const error = (sigmoid(z) - y) / n;
    biasSum += error;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const j = indices[k]!;
      gradient[j]! += error * data.scale[j]!;
    }
  }
  return { loss: lossSum / n + (l2 / 2) * penalty, biasGradient: biasSum };
}

export interface LogisticOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export interface EpochReport {
  epoch: number;
  /** Mean of the batches' J during the epoch. */
  loss: number;
  seconds: number;
}

/**
 * Trains from zero weights with Adam (β₁ 0.9, β₂ 0.999, ε 1e-7; the bias correction folded into
 * the step size, Kingma & Ba's section 2 form) on the rows `use`, shuffled each epoch by a seeded
 * shuffle. `onEpoch` may throw to stop the run.
 */
export function trainLogistic(
  data: LogisticData,
  use: ArrayLike<number>,
  options: LogisticOptions,
  onEpoch?: (report: EpochReport, model: LogisticModel) => void,
): LogisticModel {
  const features = data.scale.length;
  const model: LogisticModel = { weights: new Float64Array(features), bias: 0 };
  const gradient = new Float64Array(features);
  const m = new Float64Array(features);
  const v = new Float64Array(features);
  let mBias = 0;
  let vBias = 0;
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-7];
  let step = 0;
  const order = Array.from(use);
  const random = seededRandom(options.seed);
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const started = performance.now();
    shuffleInPlace(order, random);
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start < order.length; start += options.batchSize) {
      const batch = order.slice(start, start + options.batchSize);
      const { loss, biasGradient } = lossAndGradient(model, data, batch, options.l2, gradient);
      lossSum += loss;
      batches++;
      step++;
      const rate = (options.learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
      for (let j = 0; j < features; j++) {
        const g = gradient[j]!;
        m[j] = beta1 * m[j]! + (1 - beta1) * g;
        v[j] = beta2 * v[j]! + (1 - beta2) * g * g;
        model.weights[j]! -= (rate * m[j]!) / (Math.sqrt(v[j]!) + epsilon);
      }
      mBias = beta1 * mBias + (1 - beta1) * biasGradient;
      vBias = beta2 * vBias + (1 - beta2) * biasGradient * biasGradient;
      model.bias -= (rate * mBias) / (Math.sqrt(vBias) + epsilon);
    }
    onEpoch?.({ epoch, loss: lossSum / batches, seconds: (performance.now() - started) / 1000 }, model);
  }
  return model;
}
