/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { seededRandom } from '../../src/data/random';
import { buildSentimentModel } from '../../src/model/buildModel';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import type { ModelEngine } from '../../src/model/engine';
import { chooseEngine } from '../../src/model/engineChoice';
import { createOptimizer, trainStep } from '../../src/model/runner';
import { initBackend } from '../../src/model/backend';
import type { DispatchCounts, KernelTally, TrainingBenchCase, TrainingBenchResult } from './benchProtocol';
import { serve } from '../../src/workers/rpc';
import { zipfSampler } from './zipf';

const VOCABULARY = 20000;

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
  if (c.engine !== 'fused' && c.engine !== 'stock')
    throw new Error(
      'This benchmark compares the layers engines; npm run bench:wasm-kernels measures the WebAssembly step',
    );
  const { engine } = chooseEngine(c.engine, model);
  const optimizer = createOptimizer({ optimizer: 'rmsprop', learningRate: 0.001 });
  const random = seededRandom(7);
  const drawId = c.ids === 'zipf' ? zipfSampler(VOCABULARY - 1, random) : () => Math.floor(random() * (VOCABULARY - 1));
  const batch = () => ({
    ids: Int32Array.from({ length: c.batchSize * c.maxlen }, () => 1 + drawId()),
    labels: Float32Array.from({ length: c.batchSize }, () => (random() < 0.5 ? 0 : 1)),
  });
  // Two warm-up batches: the first compiles the shaders, and batches whose distinct-token count
  // falls in another bucket (see fusedEngine) compile a few more.
  const warmupStarted = performance.now();
  for (let i = 0; i < 2; i++) {
    const warm = batch();
    await trainStep(model, engine, optimizer, warm.ids, warm.labels, c.maxlen);
  }
  const warmupSeconds = (performance.now() - warmupStarted) / 1000;
  const batchMs: number[] = [];
  for (let i = 0; i < c.batches; i++) {
    const b = batch();
    const started = performance.now();
    await trainStep(model, engine, optimizer, b.ids, b.labels, c.maxlen);
    batchMs.push(performance.now() - started);
  }
  let dispatches: DispatchCounts | null = null;
  let inferenceMs: number | null = null;
  if (c.profile) {
    const b = batch();
    const review = b.ids.subarray(0, c.maxlen);
    // tf.profile returns the engine's one profile object, reset by the next call: read it at once.
    // Without GPU timer queries the profiler reads every kernel's output back to time it, which
    // adds draws (decoding packed outputs): the draws are counted on separate, unprofiled runs.
    const trainingProfile = await tf.profile(() => trainStep(model, engine, optimizer, b.ids, b.labels, c.maxlen));
    const trainingByKernel = countByName(trainingProfile.kernels);
    const trainingKernels = trainingProfile.kernels.length;
    const inferenceProfile = await tf.profile(() => predictOne(model, engine, review));
    const inferenceByKernel = countByName(inferenceProfile.kernels);
    const inferenceKernels = inferenceProfile.kernels.length;
    const trainingDraws = await countDraws(() => trainStep(model, engine, optimizer, b.ids, b.labels, c.maxlen));
    const inferenceDraws = await countDraws(() => predictOne(model, engine, review));
    dispatches = {
      trainingTotal: trainingKernels,
      inferenceTotal: inferenceKernels,
      trainingPerStep: trainingKernels / c.maxlen,
      inferencePerStep: inferenceKernels / c.maxlen,
      trainingDrawsPerStep: trainingDraws.draws === null ? null : trainingDraws.draws / c.maxlen,
      inferenceDrawsPerStep: inferenceDraws.draws === null ? null : inferenceDraws.draws / c.maxlen,
      trainingByKernel,
      inferenceByKernel,
      trainingDrawsByProgram: trainingDraws.byProgram,
      inferenceDrawsByProgram: inferenceDraws.byProgram,
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
  // The median: a batch that still compiles a shader variant is an outlier, not the steady state.
  const msPerBatch = [...batchMs].sort((a, b) => a - b)[Math.floor(batchMs.length / 2)]!;
  return {
    case: c,
    backendInUse: info.name,
    renderer: info.renderer,
    buildSeconds,
    warmupSeconds,
    msPerBatch,
    batchMs,
    examplesPerSecond: (c.batchSize * 1000) / msPerBatch,
    numTensorsBefore,
    numTensorsAfter: tf.memory().numTensors,
    engineInUse: engine.name,
    dispatches,
    inferenceMs,
    error: null,
  };
}

/** Kernels by name with their profiled milliseconds, the most frequent first. */
function countByName(kernels: ReadonlyArray<{ name: string; kernelTimeMs: unknown }>): KernelTally[] {
  const tally = new Map<string, KernelTally>();
  for (const { name, kernelTimeMs } of kernels) {
    const entry = tally.get(name) ?? { name, count: 0, ms: 0 };
    entry.count++;
    if (typeof kernelTimeMs === 'number') entry.ms += kernelTimeMs;
    tally.set(name, entry);
  }
  return [...tally.values()].sort((x, y) => y.count - x.count);
}

/** What a compiled program is called: its class (tfjs's own programs) or its inputs (ours are literals). */
function programLabel(program: { constructor: { name: string }; variableNames: string[] }): string {
  const className = program.constructor.name;
  return className && className !== 'Object' ? className : `(${program.variableNames.join(', ')})`;
}

/**
 * Counts the draw calls (shader dispatches) on tfjs's WebGL context while `run` runs, in total and
 * by program.
 */
async function countDraws<T>(
  run: () => Promise<T>,
): Promise<{ result: T; draws: number | null; byProgram: KernelTally[] }> {
  if (tf.getBackend() !== 'webgl') return { result: await run(), draws: null, byProgram: [] };
  const backend = tf.backend() as MathBackendWebGL;
  const gl = backend.gpgpu.gl;
  const { drawElements, useProgram } = gl;
  const labels = new Map<WebGLProgram, string>();
  const tally = new Map<string, KernelTally>();
  let current = '?';
  let draws = 0;
  gl.useProgram = (program: WebGLProgram | null) => {
    if (program && !labels.has(program)) {
      const cache = (backend as unknown as { binaryCache: Record<string, BinaryEntry> }).binaryCache;
      for (const binary of Object.values(cache)) labels.set(binary.webGLProgram, programLabel(binary.program));
    }
    current = (program && labels.get(program)) ?? 'tfjs internal (pack, unpack, upload)';
    useProgram.call(gl, program);
  };
  gl.drawElements = (...args: Parameters<WebGL2RenderingContext['drawElements']>) => {
    draws++;
    const entry = tally.get(current) ?? { name: current, count: 0, ms: 0 };
    entry.count++;
    tally.set(current, entry);
    drawElements.apply(gl, args);
  };
  try {
    const result = await run();
    return { result, draws, byProgram: [...tally.values()].sort((x, y) => y.count - x.count) };
  } finally {
    gl.drawElements = drawElements;
    gl.useProgram = useProgram;
  }
}

/** The part of tfjs's compiled-program cache entries used to name them. */
interface BinaryEntry {
  webGLProgram: WebGLProgram;
  program: { constructor: { name: string }; variableNames: string[] };
}

/** One review's probability, as the app would classify a typed review. */
async function predictOne(model: tf.LayersModel, engine: ModelEngine, review: Int32Array): Promise<number> {
  const probability = tf.tidy(() => engine.predict(model, tf.tensor2d(review, [1, review.length], 'int32'), false));
  const [value] = await probability.data();
  probability.dispose();
  return value!;
}

/** What the benchmark page calls, through the app's worker layer (src/workers/rpc.ts). */
export interface TrainingBenchApi {
  run(benchCase: TrainingBenchCase): Promise<TrainingBenchResult>;
}
serve<TrainingBenchApi>({ run });
