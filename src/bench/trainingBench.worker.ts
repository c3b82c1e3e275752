/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { seededRandom } from '../data/random';
import { buildSentimentModel } from '../model/buildModel';
import { installEmbeddingGradient } from '../model/embeddingGradient';
import { chooseEngine, type ModelEngine } from '../model/engine';
import { createOptimizer, trainStep } from '../model/trainer';
import { initBackend } from '../worker/backend';
import type { DispatchCounts, TrainingBenchCase, TrainingBenchResult } from './benchProtocol';

declare const self: DedicatedWorkerGlobalScope;

const VOCABULARY = 20000;

/** Ranks 0…n−1 drawn with probability ∝ 1/(rank+1). */
function zipfSampler(n: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cumulative[r] = total += 1 / (r + 1);
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Trains the default model on random token ids, as the app would, and times it. */
async function run(c: TrainingBenchCase): Promise<TrainingBenchResult> {
  const info = await initBackend(c.backend);
  if (c.embeddingGradientFix) installEmbeddingGradient();
  const numTensorsBefore = tf.memory().numTensors;
  const buildStarted = performance.now();
  const model = buildSentimentModel(
    { vocabularySize: VOCABULARY, maxlen: c.maxlen, embeddingDim: 128, lstmUnits: 128, dropout: 0, seed: 1 },
    { orthogonalOnCpu: c.orthogonalOnCpu, recurrentActivation: c.recurrentActivation },
  );
  // Initialisers run lazily on some backends; reading one value waits for them.
  await model.getWeights()[1]!.data();
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const { engine } = chooseEngine(c.engine, model);
  const optimizer = createOptimizer({ optimizer: 'rmsprop', learningRate: 0.001 });
  const random = seededRandom(7);
  const drawId = c.ids === 'zipf' ? zipfSampler(VOCABULARY - 1, random) : () => Math.floor(random() * (VOCABULARY - 1));
  const batch = () => ({
    ids: Int32Array.from({ length: c.batchSize * c.maxlen }, () => 1 + drawId()),
    labels: Float32Array.from({ length: c.batchSize }, () => (random() < 0.5 ? 0 : 1)),
  });
  const warmupStarted = performance.now();
  const warm = batch();
  await trainStep(model, engine, optimizer, warm.ids, warm.labels, c.maxlen);
  const warmupSeconds = (performance.now() - warmupStarted) / 1000;
  let milliseconds = 0;
  for (let i = 0; i < c.batches; i++) {
    const b = batch();
    const started = performance.now();
    await trainStep(model, engine, optimizer, b.ids, b.labels, c.maxlen);
    milliseconds += performance.now() - started;
  }
  let dispatches: DispatchCounts | null = null;
  let inferenceMs: number | null = null;
  if (c.profile) {
    const b = batch();
    // tf.profile returns the engine's one profile object, reset by the next call: count at once.
    const training = await countDraws(() =>
      tf.profile(() => trainStep(model, engine, optimizer, b.ids, b.labels, c.maxlen)),
    );
    const trainingKernels = training.result.kernels.length;
    const review = b.ids.subarray(0, c.maxlen);
    const inference = await countDraws(() => tf.profile(() => predictOne(model, engine, review)));
    const inferenceKernels = inference.result.kernels.length;
    dispatches = {
      trainingTotal: trainingKernels,
      inferenceTotal: inferenceKernels,
      trainingPerStep: trainingKernels / c.maxlen,
      inferencePerStep: inferenceKernels / c.maxlen,
      trainingDrawsPerStep: training.draws === null ? null : training.draws / c.maxlen,
      inferenceDrawsPerStep: inference.draws === null ? null : inference.draws / c.maxlen,
    };
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      await predictOne(model, engine, review);
      times.push(performance.now() - started);
    }
    inferenceMs = times.sort((a, b) => a - b)[3]!;
  }
  model.dispose();
  optimizer.dispose();
  const msPerBatch = milliseconds / c.batches;
  return {
    case: c,
    backendInUse: info.name,
    renderer: info.renderer,
    buildSeconds,
    warmupSeconds,
    msPerBatch,
    examplesPerSecond: (c.batchSize * 1000) / msPerBatch,
    numTensorsBefore,
    numTensorsAfter: tf.memory().numTensors,
    engineInUse: engine.name,
    dispatches,
    inferenceMs,
    error: null,
  };
}

/** Counts the draw calls (shader dispatches) on tfjs's WebGL context while `run` runs. */
async function countDraws<T>(run: () => Promise<T>): Promise<{ result: T; draws: number | null }> {
  if (tf.getBackend() !== 'webgl') return { result: await run(), draws: null };
  const gl = (tf.backend() as MathBackendWebGL).gpgpu.gl;
  const drawElements = gl.drawElements;
  let draws = 0;
  gl.drawElements = (...args: Parameters<WebGL2RenderingContext['drawElements']>) => {
    draws++;
    drawElements.apply(gl, args);
  };
  try {
    return { result: await run(), draws };
  } finally {
    gl.drawElements = drawElements;
  }
}

/** One review's probability, as the app would classify a typed review. */
async function predictOne(model: tf.LayersModel, engine: ModelEngine, review: Int32Array): Promise<number> {
  const probability = tf.tidy(() => engine.predict(model, tf.tensor2d(review, [1, review.length], 'int32'), false));
  const [value] = await probability.data();
  probability.dispose();
  return value!;
}

self.onmessage = (event: MessageEvent<TrainingBenchCase>) => {
  run(event.data)
    .then((result) => self.postMessage(result))
    .catch((error: unknown) => {
      const result: Partial<TrainingBenchResult> = {
        case: event.data,
        error: error instanceof Error ? error.message : String(error),
      };
      self.postMessage(result);
    });
};
