/**
 * The WebAssembly training step as a BatchRunner: the run's weights move into WebAssembly memory
 * at the start, every step and prediction runs there, and `finish` writes them back into the
 * standard layers model, which is what is saved, downloaded and self-checked.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchRunner } from '../../training/trainer';
import type { OptimizerName } from '../../training/settings';
import { rowShare, type KernelHelpers, type PhaseName, type StartHelpers, type ThreadPlan } from './threads';
import { createMemory, WasmTrainer, type LstmWeights, type WasmOptimizer } from './wasmTrainer';

export interface WasmRun {
  runner: BatchRunner<LstmWeights>;
  /** Threads the run's steps are split over (the training worker and its helpers). */
  threads: number;
  /** Writes the current weights into the layers model (before saving it). */
  finish(): void;
  /** Milliseconds for one batch's forward and backward pass, weights left unchanged (calibration). */
  timeBatch(ids: Int32Array, labels: Float32Array): Promise<number>;
  /** Stops the helper threads (after the last prediction of the run). */
  release(): void;
}

/**
 * Runs each phase of a step on every thread: the helpers get their shares first, then this thread
 * does its own, then it waits for the helpers (the barrier between phases).
 */
class ThreadTeam {
  constructor(
    private readonly trainer: WasmTrainer,
    private readonly helpers: KernelHelpers | null,
  ) {}

  get threads(): number {
    return 1 + (this.helpers?.count ?? 0);
  }

  private async all(phase: PhaseName, argsOf: (thread: number) => number[]): Promise<void> {
    const others = this.helpers?.run(phase, argsOf);
    const [cfg = 0, thread = 0, a = 0, b = 0] = argsOf(0);
    this.trainer.kernels[phase](cfg, thread, a, b);
    await others;
  }

  /** Phases 1–3 of the loaded batch: its gradients, weights unchanged. */
  async gradients(): Promise<void> {
    const { cfg, rows } = this.trainer;
    const n = this.threads;
    await this.all('phasePrepare', (t) => [cfg, t, n]);
    await this.all('phaseForwardBackward', (t) => [cfg, t, ...rowShare(rows, t, n)]);
    await this.all('phaseEmbedding', (t) => [cfg, t, n]);
  }

  async step(ids: Int32Array, labels: Float32Array): Promise<{ loss: number; accuracy: number }> {
    const trainer = this.trainer;
    trainer.loadBatch(ids, labels);
    await this.gradients();
    trainer.beginOptimize();
    await this.all('phaseOptimize', (t) => [trainer.cfg, t, this.threads]);
    trainer.endOptimize();
    return trainer.batchMetrics();
  }

  async predict(ids: Int32Array, rows: number): Promise<Float32Array> {
    const { cfg } = this.trainer;
    const n = this.threads;
    this.trainer.loadBatch(ids, new Float32Array(rows));
    await this.all('phasePrepareForward', (t) => [cfg, t, n]);
    await this.all('phaseForward', (t) => [cfg, t, ...rowShare(rows, t, n)]);
    return this.trainer.probabilities().slice(0, rows);
  }
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
  /** The plain build, or (`threads`) the build over shared memory. */
  compile: (threads: boolean) => Promise<WebAssembly.Module>;
  model: tf.LayersModel;
  maxlen: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** How many threads to use, and how to start the helpers; absent: one thread. */
  threads?: { plan: ThreadPlan; start: StartHelpers };
}): Promise<WasmRun> {
  const { model, maxlen, batchSize } = args;
  const [embeddings] = model.getLayer('embedding').getWeights();
  const units = model.getLayer('lstm').getConfig()['units'] as number;
  const [vocabularySize, embeddingDim] = embeddings!.shape as [number, number];
  const threads = args.threads?.plan.threads ?? 1;
  const module = await args.compile(threads > 1);
  const memory = createMemory(threads > 1);
  const trainer = await WasmTrainer.create(
    module,
    { batchSize, maxlen, vocabularySize, embeddingDim, lstmUnits: units },
    optimizerSpec(args.optimizer, args.learningRate),
    { threads, memory },
  );
  const helpers = threads > 1 ? await args.threads!.start(module, memory, threads - 1) : null;
  const team = new ThreadTeam(trainer, helpers);
  // model.getWeights() is in Keras order: embeddings, kernel, recurrent kernel, bias, dense kernel, dense bias.
  const values = model.getWeights().map((w) => w.dataSync() as Float32Array);
  trainer.setWeights(Object.fromEntries(WEIGHT_ORDER.map((key, i) => [key, values[i]!])) as unknown as LstmWeights);
  const runner: BatchRunner<LstmWeights> = {
    async trainBatch(ids, labels) {
      await yieldToEvents();
      return team.step(ids, labels);
    },
    async predictBatch(ids, rows) {
      await yieldToEvents();
      const out = new Float32Array(rows);
      for (let from = 0; from < rows; from += batchSize) {
        const to = Math.min(rows, from + batchSize);
        out.set(await team.predict(ids.subarray(from * maxlen, to * maxlen), to - from), from);
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
  const timeBatch = async (ids: Int32Array, labels: Float32Array) => {
    const started = performance.now();
    trainer.loadBatch(ids, labels);
    await team.gradients();
    return performance.now() - started;
  };
  return { runner, threads, finish, timeBatch, release: () => helpers?.dispose() };
}
