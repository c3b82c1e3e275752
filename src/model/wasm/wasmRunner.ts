/**
 * The WebAssembly training step as a BatchRunner: the run's weights move into WebAssembly memory
 * at the start, every step and prediction runs there, and `finish` writes them back into the
 * standard layers model, which is what is saved, downloaded and self-checked.
 */
import * as tf from '@tensorflow/tfjs';
import { RunnerFault, type BatchRunner } from '../../training/trainer';
import type { OptimizerName } from '../../training/settings';
import { rowShare, type KernelHelpers, type PhaseName, type StartHelpers, type ThreadPlan } from './threads';
import {
  createMemory,
  instantiateKernels,
  runMemoryBytes,
  WasmTrainer,
  type LstmWeights,
  type WasmOptimizer,
  type WasmRunShape,
} from './wasmTrainer';

export interface WasmRun {
  runner: BatchRunner<LstmWeights>;
  /** Threads the run's steps are split over (the training worker and its helpers). */
  threads: number;
  /** Writes the current weights into the layers model (before saving it). */
  finish(): void;
  /** Milliseconds for one batch's forward and backward pass, weights left unchanged (calibration). */
  timeBatch(ids: Int32Array, labels: Float32Array): Promise<number>;
  /** Stops the helper threads that are left (after the last prediction of the run). */
  release(): void;
}

/**
 * Runs each phase of a step on every thread: the helpers get their shares first, then this thread
 * does its own, then it waits for the helpers (the barrier between phases).
 *
 * A helper that fails or dies (its phase rejects) is a lost thread. The team waits until every
 * other helper has answered for that phase, so none is still writing the shared memory, ends all
 * of them and goes on with this thread alone (the kernels take any number of threads up to the
 * layout's gradient blocks). The call that lost it throws a RunnerFault: the training loop ends
 * the run, keeping the weights or restoring the last good ones, and the predictions after it run
 * here. Only phaseOptimize writes the weights (and the optimizer's accumulators): a thread lost
 * in any other phase leaves them exactly as before the step; one lost in phaseOptimize leaves
 * them part-updated (this thread's share applied, the lost one's partly or not at all).
 */
class ThreadTeam {
  private helpers: KernelHelpers | null;

  constructor(
    private readonly trainer: WasmTrainer,
    helpers: KernelHelpers | null,
  ) {
    this.helpers = helpers;
  }

  get threads(): number {
    return 1 + (this.helpers?.count ?? 0);
  }

  private async all(phase: PhaseName, argsOf: (thread: number) => number[]): Promise<void> {
    const helpers = this.helpers;
    const others = helpers
      ? Array.from({ length: helpers.count }, (_, i) => helpers.run(i + 1, phase, argsOf(i + 1)))
      : [];
    // Observed from the start: a helper may fail while this thread runs its own share.
    const settled = Promise.allSettled(others);
    const [cfg = 0, thread = 0, a = 0, b = 0] = argsOf(0);
    let own: { error: unknown } | null = null;
    try {
      this.trainer.kernels[phase](cfg, thread, a, b);
    } catch (error) {
      own = { error }; // thrown once the helpers are done with the memory too
    }
    const results = await settled;
    const lost = results.findIndex((result) => result.status === 'rejected');
    if (lost >= 0) throw this.lose(lost + 1, phase, (results[lost] as PromiseRejectedResult).reason);
    if (own) throw own.error;
  }

  /** Ends every helper after helper `thread` failed in `phase`; the fault the call throws. */
  private lose(thread: number, phase: PhaseName, reason: unknown): RunnerFault {
    const helpers = this.helpers!;
    helpers.dispose();
    this.helpers = null;
    const cause = reason instanceof Error ? reason.message : String(reason);
    return new RunnerFault(
      'A WebAssembly thread was lost',
      `helper thread ${thread} of ${helpers.count} failed in ${phase}: ${cause}`,
      phase !== 'phaseOptimize',
    );
  }

  /** Ends the helpers that are left. */
  release(): void {
    this.helpers?.dispose();
    this.helpers = null;
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

/** WebAssembly memories grow by whole pages of 64 KiB. */
const PAGE_BYTES = 65536;

/**
 * The run's one WebAssembly memory, grown here to the run shape's full size before the trainer
 * lays it out, so that a memory the browser cannot give fails saying how much was asked for and
 * what to change (the trainer would grow it too, but say only that it could not). It is the
 * engine's only WebAssembly allocation: the kernels (AssemblyScript's stub runtime) never grow it,
 * and every batch, prediction and helper thread reuses it, so nothing later in a run that started
 * can run out of WebAssembly memory. It happens before any helper thread starts, so a failure
 * leaves nothing running, and before the weights are copied, so the model keeps its own.
 */
async function allocateMemory(
  module: WebAssembly.Module,
  shape: WasmRunShape,
  threads: number,
  create: (shared: boolean) => WebAssembly.Memory,
): Promise<WebAssembly.Memory> {
  const advice = 'a smaller batch size or maxlen needs less, or choose another LSTM engine';
  const need = (bytes: number) =>
    `${Math.ceil(bytes / 2 ** 20)} MB of WebAssembly memory that batch size ${shape.batchSize} and maxlen ${shape.maxlen} need`;
  const cause = (error: unknown) => (error instanceof Error ? error.message : String(error));
  let memory: WebAssembly.Memory;
  try {
    memory = create(threads > 1);
  } catch (error) {
    // Without an instance the module's own few KB below its heap base are left out of the figure.
    const bytes = runMemoryBytes(shape, threads, 0);
    throw new Error(`it could not create a memory for the ${need(bytes)} — ${cause(error)}; ${advice}`, {
      cause: error,
    });
  }
  // The layout starts above the module's own data, whose end only an instance can tell.
  const bytes = runMemoryBytes(shape, threads, (await instantiateKernels(module, memory)).heapBase());
  const missing = bytes - memory.buffer.byteLength;
  try {
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
  } catch (error) {
    throw new Error(`it could not allocate the ${need(bytes)} — ${cause(error)}; ${advice}`, { cause: error });
  }
  return memory;
}

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
  /** Makes the run's memory (plain, or shared for threads); default wasmTrainer's createMemory. */
  createMemory?: (shared: boolean) => WebAssembly.Memory;
}): Promise<WasmRun> {
  const { model, maxlen, batchSize } = args;
  const [embeddings] = model.getLayer('embedding').getWeights();
  const units = model.getLayer('lstm').getConfig()['units'] as number;
  const [vocabularySize, embeddingDim] = embeddings!.shape as [number, number];
  const threads = args.threads?.plan.threads ?? 1;
  const module = await args.compile(threads > 1);
  const maskZero = model.getLayer('embedding').getConfig()['maskZero'] === true;
  const shape: WasmRunShape = { batchSize, maxlen, vocabularySize, embeddingDim, lstmUnits: units, maskZero };
  const memory = await allocateMemory(module, shape, threads, args.createMemory ?? createMemory);
  const trainer = await WasmTrainer.create(module, shape, optimizerSpec(args.optimizer, args.learningRate), {
    threads,
    memory,
  });
  const helpers = threads > 1 ? await args.threads!.start(module, memory, threads - 1) : null;
  const team = new ThreadTeam(trainer, helpers);
  try {
    // model.getWeights() is in Keras order: embeddings, kernel, recurrent kernel, bias, dense kernel, dense bias.
    const values = model.getWeights().map((w) => w.dataSync() as Float32Array);
    trainer.setWeights(Object.fromEntries(WEIGHT_ORDER.map((key, i) => [key, values[i]!])) as unknown as LstmWeights);
  } catch (error) {
    team.release(); // a run that could not start leaves no thread running
    throw error;
  }
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
    setLearningRate: (learningRate) => trainer.setLearningRate(learningRate),
    async captureState() {
      const weights = trainer.getWeights();
      return { weights: WEIGHT_ORDER.map((key) => weights[key]), optimizer: trainer.getOptimizerState() };
    },
    async restoreState(state) {
      trainer.setWeights(
        Object.fromEntries(WEIGHT_ORDER.map((key, i) => [key, state.weights[i]!])) as unknown as LstmWeights,
      );
      if (!state.optimizer) return;
      if (state.optimizer.engine !== 'wasm')
        throw new Error(`A checkpoint of the ${state.optimizer.engine} engine cannot resume on WebAssembly.`);
      trainer.setOptimizerState(state.optimizer);
    },
    snapshotArrays: (snapshot) => WEIGHT_ORDER.map((key) => snapshot[key]),
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
  return { runner, threads, finish, timeBatch, release: () => team.release() };
}
