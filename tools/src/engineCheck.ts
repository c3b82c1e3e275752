import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
import { seededRandom } from '../../src/data/random';
import { buildSentimentModel } from '../../src/model/buildModel';
import { stockEngine, type ModelEngine } from '../../src/model/engine';
import { fusedEngine } from '../../src/model/fused/fusedEngine';
import { binaryCrossentropy } from '../../src/model/loss';
import { createOptimizer, trainStep } from '../../src/model/runner';
import { fusedLstmInference, fusedLstmLastState, projectInputs } from '../../src/model/fused/fusedLstm';
import { oneStepLstm } from './referenceLstm';

/** One shape to compare the fused LSTM with tfjs's own LSTM layer on. */
export interface EngineCheckCase {
  batch: number;
  steps: number;
  units: number;
  inputDim: number;
}

export interface EngineCheckResult extends EngineCheckCase {
  /** max |fused − stock| / max(1, |stock|) over each compared tensor. */
  errors: { output: number; inference: number; dInput: number; dKernel: number; dRecurrent: number; dBias: number };
  /** Largest |value| of each stock gradient, to show the comparison is not between zeros. */
  magnitudes: { output: number; dInput: number; dKernel: number; dRecurrent: number; dBias: number };
  numTensorsLeaked: number;
}

function randomTensor(shape: number[], scale: number, seed: number): tf.Tensor {
  const random = seededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => (random() * 2 - 1) * scale),
    shape,
  );
}

async function relativeError(actual: tf.Tensor, expected: tf.Tensor): Promise<number> {
  const [a, e] = await Promise.all([actual.data(), expected.data()]);
  let worst = 0;
  for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!) / Math.max(1, Math.abs(e[i]!)));
  return worst;
}

async function maxAbs(t: tf.Tensor): Promise<number> {
  const values = await t.data();
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * Forward output and every gradient (input, kernel, recurrent kernel, bias) of the fused LSTM
 * against tfjs's `tf.layers.lstm` with the same weights, on random inputs and a random upstream
 * gradient (the loss is Σ h·R, so dL/dh = R).
 */
export async function checkFusedAgainstStock(c: EngineCheckCase, seed = 1): Promise<EngineCheckResult> {
  const before = tf.memory().numTensors;
  const { batch, steps, units, inputDim } = c;
  const x = randomTensor([batch, steps, inputDim], 1, seed);
  const kernel = randomTensor([inputDim, 4 * units], Math.sqrt(6 / (inputDim + 4 * units)), seed + 1);
  const recurrent = randomTensor([units, 4 * units], Math.sqrt(3 / units), seed + 2);
  const bias = randomTensor([4 * units], 0.5, seed + 3);
  const upstream = randomTensor([batch, units], 1, seed + 4);

  const layer = tf.layers.lstm({
    units,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    returnSequences: false,
    // Overwritten below; zeros spare the slow orthogonal initializer.
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
  });
  tf.dispose(layer.apply(x) as tf.Tensor); // builds the layer's weights
  layer.setWeights([kernel, recurrent, bias]);
  const [kVar, uVar, bVar] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const xVar = tf.variable(x);
  // tfjs's LSTM cannot be differentiated at L=1 (the gradient of its per-step unstack fails with
  // "Argument tensors passed to stack must be a Tensor[]"); there the reference is the same cell
  // written out with tfjs ops, which is what the layer computes for one step.
  const stockLastState = (input: tf.Tensor): tf.Tensor =>
    steps > 1 ? (layer.apply(input) as tf.Tensor) : oneStepLstm(input, kVar!, uVar!, bVar!, units);
  const stock = tf.variableGrads(
    () => tf.sum(tf.mul(stockLastState(xVar), upstream)) as tf.Scalar,
    [xVar, kVar!, uVar!, bVar!],
  );
  const stockOutput = layer.apply(x) as tf.Tensor;

  const fusedForward = (input: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor) => {
    const projected = projectInputs(tf.transpose(input, [1, 0, 2]) as tf.Tensor3D, k as tf.Tensor2D);
    return { projected, h: fusedLstmLastState(projected, b as tf.Tensor1D, u as tf.Tensor2D) };
  };
  const fusedGrads = tf.grads((input: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(fusedForward(input, k, u, b).h, upstream)),
  )([x, kernel, recurrent, bias]);
  const fusedOutput = tf.tidy(() => fusedForward(x, kernel, recurrent, bias).h);
  const inferenceOutput = tf.tidy(() =>
    fusedLstmInference(
      fusedForward(x, kernel, recurrent, bias).projected,
      bias as tf.Tensor1D,
      recurrent as tf.Tensor2D,
    ),
  );

  const g = stock.grads;
  const result: EngineCheckResult = {
    ...c,
    errors: {
      output: await relativeError(fusedOutput, stockOutput),
      inference: await relativeError(inferenceOutput, stockOutput),
      dInput: await relativeError(fusedGrads[0]!, g[xVar.name]!),
      dKernel: await relativeError(fusedGrads[1]!, g[kVar!.name]!),
      dRecurrent: await relativeError(fusedGrads[2]!, g[uVar!.name]!),
      dBias: await relativeError(fusedGrads[3]!, g[bVar!.name]!),
    },
    magnitudes: {
      output: await maxAbs(stockOutput),
      dInput: await maxAbs(g[xVar.name]!),
      dKernel: await maxAbs(g[kVar!.name]!),
      dRecurrent: await maxAbs(g[uVar!.name]!),
      dBias: await maxAbs(g[bVar!.name]!),
    },
    numTensorsLeaked: 0,
  };
  tf.dispose([x, kernel, recurrent, bias, upstream, xVar, stock.value, stockOutput, fusedOutput, inferenceOutput]);
  tf.dispose(Object.values(stock.grads));
  tf.dispose(fusedGrads);
  layer.dispose();
  result.numTensorsLeaked = tf.memory().numTensors - before;
  return result;
}

export interface ModelCheckCase {
  batch: number;
  steps: number;
  vocabulary: number;
  units: number;
  /** Row-major `[batch, steps]` token ids and the labels, e.g. real padded reviews; random when absent. */
  ids?: number[];
  labels?: number[];
  embeddingDim?: number;
}

export interface ModelCheckResult extends ModelCheckCase {
  /** Relative error (as above) of the probabilities and of each variable's gradient. */
  errors: Record<string, number>;
  numTensorsLeaked: number;
}

/**
 * The whole model through each engine: the fused engine's probabilities and the gradients of the
 * loss with respect to every weight (embedding, LSTM, Dense) against the stock layers model's,
 * with the same weights, on token ids that repeat (as words do).
 */
export async function checkEngineAgainstStock(c: ModelCheckCase, seed = 1): Promise<ModelCheckResult> {
  const before = tf.memory().numTensors;
  const model = buildSentimentModel({
    vocabularySize: c.vocabulary,
    maxlen: c.steps,
    embeddingDim: c.embeddingDim ?? 16,
    lstmUnits: c.units,
    dropout: 0,
    seed,
  });
  const random = seededRandom(seed + 10);
  const ids = tf.tensor2d(
    c.ids
      ? Int32Array.from(c.ids)
      : Int32Array.from({ length: c.batch * c.steps }, () => Math.floor(random() ** 2 * c.vocabulary)),
    [c.batch, c.steps],
    'int32',
  );
  const labels = tf.tensor2d(
    c.labels ? Float32Array.from(c.labels) : Float32Array.from({ length: c.batch }, () => (random() < 0.5 ? 0 : 1)),
    [c.batch, 1],
  );
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const run = (engine: ModelEngine) =>
    tf.variableGrads(() => binaryCrossentropy(labels, engine.predict(model, ids, true)), variables);
  const stock = run(stockEngine);
  const fused = run(fusedEngine);
  const stockProbabilities = tf.tidy(() => stockEngine.predict(model, ids, false));
  const fusedProbabilities = tf.tidy(() => fusedEngine.predict(model, ids, false));
  const errors: Record<string, number> = {
    probabilities: await relativeError(fusedProbabilities, stockProbabilities),
    loss: await relativeError(fused.value, stock.value),
  };
  for (const [i, v] of variables.entries())
    errors[model.trainableWeights[i]!.originalName] = await relativeError(fused.grads[v.name]!, stock.grads[v.name]!);
  tf.dispose([ids, labels, stock.value, fused.value, stockProbabilities, fusedProbabilities]);
  tf.dispose(Object.values(stock.grads));
  tf.dispose(Object.values(fused.grads));
  model.dispose();
  return { ...c, errors, numTensorsLeaked: tf.memory().numTensors - before };
}

export interface ShaderCacheCheck {
  /** Compiled WebGL programs after each training batch. */
  programsAfterBatch: number[];
  /** Distinct tokens in each batch. */
  distinctTokens: number[];
}

/**
 * Trains a small model through the fused engine on batches whose distinct-token counts all differ,
 * recording how many shader programs tfjs has compiled after each: a shape that changes with the
 * data would compile a new program every batch, without bound.
 */
export async function checkShaderCacheBounded(batches = 8): Promise<ShaderCacheCheck> {
  const model = buildSentimentModel({
    vocabularySize: 5000,
    maxlen: 64,
    embeddingDim: 16,
    lstmUnits: 16,
    dropout: 0,
    seed: 3,
  });
  const optimizer = createOptimizer({ optimizer: 'rmsprop', learningRate: 0.001 });
  const backend = tf.backend() as unknown as { binaryCache: Record<string, unknown> };
  const random = seededRandom(5);
  const result: ShaderCacheCheck = { programsAfterBatch: [], distinctTokens: [] };
  for (let b = 0; b < batches; b++) {
    const range = 100 + 110 * b; // up to ~870 distinct tokens: one bucket of DISTINCT_TOKEN_BUCKET
    const ids = Int32Array.from({ length: 32 * 64 }, () => 1 + Math.floor(random() * range));
    const labels = Float32Array.from({ length: 32 }, () => (random() < 0.5 ? 0 : 1));
    await trainStep(model, fusedEngine, optimizer, ids, labels, 64);
    result.distinctTokens.push(new Set(ids).size);
    result.programsAfterBatch.push(Object.keys(backend.binaryCache).length);
  }
  optimizer.dispose();
  model.dispose();
  return result;
}

export interface TrainingStepsCase {
  /** Row-major `[batch, maxlen]` padded ids of each batch, in order (real reviews in the tests). */
  batches: Array<{ ids: number[]; labels: number[] }>;
  maxlen: number;
  vocabulary: number;
  embeddingDim: number;
  units: number;
  optimizer: 'rmsprop' | 'adam' | 'sgd';
  learningRate: number;
}

export interface TrainingStepsResult {
  /** Each step's loss. */
  losses: number[];
  /** Every weight after the last step, read back from the backend as model.save reads it. */
  weights: Record<string, number[]>;
  /** After the last step: max |engine − stock layers| probability on the last batch, same weights. */
  predictionGap: number;
  numTensorsLeaked: number;
}

/**
 * Optimizer steps with one engine from the seeded initial weights on the given batches. The tests
 * run each engine in its own page (its own WebGL context and shader cache) and compare the results:
 * engines must stay the same run, and what a run leaves readable must be what it computed with.
 */
export async function trainStepsWith(
  engineName: 'stock' | 'fused',
  c: TrainingStepsCase,
  seed = 1,
): Promise<TrainingStepsResult> {
  const before = tf.memory().numTensors;
  const engine = engineName === 'fused' ? fusedEngine : stockEngine;
  const model = buildSentimentModel({
    vocabularySize: c.vocabulary,
    maxlen: c.maxlen,
    embeddingDim: c.embeddingDim,
    lstmUnits: c.units,
    dropout: 0,
    seed,
  });
  const optimizer = createOptimizer(c);
  const losses: number[] = [];
  for (const batch of c.batches)
    losses.push(
      (await trainStep(model, engine, optimizer, Int32Array.from(batch.ids), Float32Array.from(batch.labels), c.maxlen))
        .loss,
    );
  const weights: Record<string, number[]> = {};
  for (const w of model.weights) weights[w.originalName] = Array.from(await w.read().data());
  const last = c.batches.at(-1)!;
  const ids = tf.tensor2d(Int32Array.from(last.ids), [last.labels.length, c.maxlen], 'int32');
  const viaEngine = tf.tidy(() => engine.predict(model, ids, false));
  const viaStock = tf.tidy(() => stockEngine.predict(model, ids, false));
  const [pe, ps] = await Promise.all([viaEngine.data(), viaStock.data()]);
  let predictionGap = 0;
  for (let i = 0; i < pe.length; i++) predictionGap = Math.max(predictionGap, Math.abs(pe[i]! - ps[i]!));
  tf.dispose([ids, viaEngine, viaStock]);
  optimizer.dispose();
  model.dispose();
  return { losses, weights, predictionGap, numTensorsLeaked: tf.memory().numTensors - before };
}
