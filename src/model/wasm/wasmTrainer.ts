/**
 * TypeScript side of the WebAssembly training step (AssemblyScript sources in `assembly/`, built by
 * `npm run build:wasm` into the git-ignored `build/`). It lays out one memory per run shape, fills
 * the header the kernels read (`layout.ts`), prepares each batch's distinct-token tables and calls
 * the four phases. Environment-neutral: the caller compiles the module (from a fetch in the
 * browser, from a file in Node) and passes it in.
 *
 * The phases are public so a thread pool can call them: every thread instantiates the module over
 * the same shared memory (`instantiateKernels`) and runs its share of each phase with the header
 * pointer `cfg`; one thread prepares the batch (`loadBatch`) and the optimizer scalars
 * (`beginOptimize`/`endOptimize`) between phases.
 */
import { binaryMetrics } from '../../training/metrics';
import type { WasmOptimizerState } from '../../training/runnerState';
import * as S from './layout';

export interface WasmRunShape {
  /** Row capacity: batches of up to this many reviews. */
  batchSize: number;
  maxlen: number;
  vocabularySize: number;
  embeddingDim: number;
  lstmUnits: number;
  /** Embedding mask_zero: steps whose id is 0 carry the state over (default false). */
  maskZero?: boolean;
}

/** tfjs's optimizers with the defaults of `createOptimizer` (src/model/runner.ts). */
export type WasmOptimizer =
  | { kind: 'sgd'; learningRate: number }
  | { kind: 'rmsprop'; learningRate: number; decay?: number; momentum?: number; epsilon?: number }
  | { kind: 'adam'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number };

/** The model's weights in tfjs's layouts (the order of `model.getWeights()`). */
export interface LstmWeights {
  embeddings: Float32Array; // [V, E]
  kernel: Float32Array; // [E, 4H]
  recurrentKernel: Float32Array; // [H, 4H]
  bias: Float32Array; // [4H]
  denseKernel: Float32Array; // [H, 1]
  denseBias: Float32Array; // [1]
}

export interface WasmGradients extends Omit<LstmWeights, 'embeddings'> {
  /** The distinct token ids of the batch, and their embedding gradient rows ([tokens, E]). */
  embeddingTokens: Int32Array;
  embeddingRows: Float32Array;
}

/** The module's exports (see assembly/index.ts). Pointers are byte offsets into the memory. */
export interface WasmKernels {
  heapBase(): number;
  phasePrepare(cfg: number, thread: number, threads: number): void;
  /** Returns the leading timesteps whose backward pass was skipped (all gradients flushed to 0). */
  phaseForwardBackward(cfg: number, thread: number, from: number, to: number): number;
  /** Phase 1 for predictions: the distinct tokens' projections only. */
  phasePrepareForward(cfg: number, thread: number, threads: number): void;
  /** Phase 2 for predictions: forward pass and probabilities only. */
  phaseForward(cfg: number, thread: number, from: number, to: number): void;
  phaseEmbedding(cfg: number, thread: number, threads: number): void;
  phaseOptimize(cfg: number, thread: number, threads: number): void;
  simdPeak(iterations: number): number;
  gemm(
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    accumulate: number,
  ): void;
  gemmAtB(
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    rows: number,
    k: number,
    n: number,
  ): void;
}

/** Pages (64 KiB) the threads build declares as its maximum (scripts/build-wasm.ts): 2 GiB. */
export const SHARED_MAXIMUM_PAGES = 32768;
const PAGE = 65536;
/** Tokens per chunk in the projection and embedding phases (rows of their matrix products). */
const CHUNK = 64;

export async function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<WasmKernels> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as WasmKernels;
}

/** A fresh memory for the plain build, or a growable shared one for the threads build. */
export function createMemory(shared: boolean): WebAssembly.Memory {
  return shared
    ? new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAXIMUM_PAGES, shared: true })
    : new WebAssembly.Memory({ initial: 1 });
}

/**
 * With masking, the first timestep at which any row has a word (id ≠ 0): every step before it is
 * masked for the whole batch and is skipped. At most L - 1, so a batch of empty rows still runs
 * one (masked) step and ends in the zero state.
 */
export function firstReadStep(ids: Int32Array, rows: number, maxlen: number): number {
  let first = maxlen - 1;
  for (let b = 0; b < rows; b++) {
    const row = b * maxlen;
    for (let t = 0; t < first; t++)
      if (ids[row + t] !== 0) {
        first = t;
        break;
      }
  }
  return first;
}

interface Layout {
  slots: Map<number, number>;
  bytes: number;
  denseCount: number;
  denseStride: number;
  maxUnique: number;
  scratchStride: number;
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;

/** Byte offsets of every block, from `base`; 64-byte aligned (cache lines, and f32x4 needs 16). */
function planLayout(shape: WasmRunShape, threads: number, base: number): Layout {
  const { batchSize: B, maxlen: L, vocabularySize: V, embeddingDim: E, lstmUnits: H } = shape;
  const G = 4 * H;
  const denseCount = E * G + H * G + G + H + 1;
  const denseStride = align(denseCount, 16);
  const maxUnique = Math.min(V, B * L);
  const scratchStride = align(CHUNK * (E + G) * 4, 64);
  const slots = new Map<number, number>();
  let at = align(base, 64);
  const take = (slot: number | null, bytes: number) => {
    const start = at;
    if (slot !== null) slots.set(slot, start);
    at = align(at + bytes, 64);
    return start;
  };
  take(null, S.HEADER_SLOTS * 4); // the header itself
  const f = 4;
  take(S.SLOT_EMB, V * E * f);
  take(S.SLOT_DENSE, denseStride * f);
  take(S.SLOT_UT, G * H * f);
  take(S.SLOT_WT, G * E * f);
  take(S.SLOT_GRAD, threads * denseStride * f);
  take(S.SLOT_S1_DENSE, denseStride * f);
  take(S.SLOT_S2_DENSE, denseStride * f);
  take(S.SLOT_S1_EMB, V * E * f);
  take(S.SLOT_S2_EMB, V * E * f);
  take(S.SLOT_IDS, B * L * 4);
  take(S.SLOT_LABELS, B * f);
  take(S.SLOT_UNIQ_TOKEN, maxUnique * 4);
  take(S.SLOT_POS_UNIQUE, B * L * 4);
  take(S.SLOT_CSR_START, (maxUnique + 1) * 4);
  take(S.SLOT_CSR_POS, B * L * 4);
  take(S.SLOT_ROW_MAP, V * 4);
  take(S.SLOT_PROJ, maxUnique * G * f);
  take(S.SLOT_GEMB, maxUnique * E * f);
  take(S.SLOT_GATES, L * B * G * f);
  take(S.SLOT_CELL, L * B * H * f);
  take(S.SLOT_TANHC, L * B * H * f);
  take(S.SLOT_HIDDEN, L * B * H * f);
  take(S.SLOT_DH, B * H * f);
  take(S.SLOT_DC, B * H * f);
  take(S.SLOT_DH_MASKED, B * H * f);
  take(S.SLOT_PROB, B * f);
  take(S.SLOT_DLOGIT, B * f);
  take(S.SLOT_SCRATCH, threads * scratchStride);
  take(S.SLOT_ZERO, Math.max(E, H) * f);
  return { slots, bytes: at, denseCount, denseStride, maxUnique, scratchStride };
}

/**
 * The bytes a run of `shape` on `threads` threads needs in its memory, the module's own data below
 * `heapBase` included: what the memory must be grown to (callers that allocate it themselves, to
 * say how much could not be had).
 */
export function runMemoryBytes(shape: WasmRunShape, threads: number, heapBase: number): number {
  return planLayout(shape, threads, heapBase).bytes;
}

export interface WasmTrainerOptions {
  /** Threads that will run the phases (each gets a gradient and scratch block). Default 1. */
  threads?: number;
  /** The memory the module was built for: shared for the threads build. Default: a new plain one. */
  memory?: WebAssembly.Memory;
}

export class WasmTrainer {
  readonly shape: WasmRunShape;
  readonly threads: number;
  readonly memory: WebAssembly.Memory;
  readonly kernels: WasmKernels;
  /** Byte offset of the header: the first argument of every phase. */
  readonly cfg: number;
  /** Distinct tokens and rows of the batch last loaded. */
  unique = 0;
  rows = 0;
  private readonly layout: Layout;
  private optimizer: WasmOptimizer;
  private readonly tokenCounts: Int32Array;
  /** Adam's beta1^t and beta2^t, float32 like tfjs's accumulator variables. */
  private accBeta1 = 0;
  private accBeta2 = 0;

  private constructor(
    kernels: WasmKernels,
    memory: WebAssembly.Memory,
    shape: WasmRunShape,
    optimizer: WasmOptimizer,
    threads: number,
  ) {
    const { embeddingDim: E, lstmUnits: H, batchSize: B, maxlen: L, vocabularySize: V } = shape;
    for (const [name, value] of Object.entries({ E, H, B, L, V })) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
    }
    // The kernels process 4 floats per SIMD vector and assume 16-byte aligned rows.
    if (E % 4 !== 0 || H % 4 !== 0)
      throw new RangeError(`embeddingDim (${E}) and lstmUnits (${H}) must be multiples of 4`);
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
    this.kernels = kernels;
    this.memory = memory;
    this.shape = shape;
    this.optimizer = optimizer;
    this.threads = threads;
    this.layout = planLayout(shape, threads, kernels.heapBase());
    const have = memory.buffer.byteLength;
    if (have < this.layout.bytes) memory.grow(Math.ceil((this.layout.bytes - have) / PAGE));
    this.cfg = align(kernels.heapBase(), 64);
    this.tokenCounts = new Int32Array(this.layout.maxUnique);
    new Uint8Array(memory.buffer, this.cfg, this.layout.bytes - this.cfg).fill(0);

    const header = new Int32Array(memory.buffer, this.cfg, S.HEADER_SLOTS);
    header[S.SLOT_BATCH] = B;
    header[S.SLOT_MAXLEN] = L;
    header[S.SLOT_VOCAB] = V;
    header[S.SLOT_EMBED] = E;
    header[S.SLOT_UNITS] = H;
    header[S.SLOT_THREADS] = threads;
    header[S.SLOT_DENSE_COUNT] = this.layout.denseCount;
    header[S.SLOT_DENSE_STRIDE] = this.layout.denseStride;
    header[S.SLOT_CHUNK] = CHUNK;
    header[S.SLOT_SCRATCH_STRIDE] = this.layout.scratchStride;
    header[S.SLOT_MASK_ZERO] = shape.maskZero ? 1 : 0;
    for (const [slot, offset] of this.layout.slots) header[slot] = offset;
    this.configureOptimizer();
  }

  /**
   * Lays out `memory` (grown once to this shape's size) and instantiates `module` over it.
   * One trainer per run shape; batches reuse the same memory.
   */
  static async create(
    module: WebAssembly.Module,
    shape: WasmRunShape,
    optimizer: WasmOptimizer,
    options: WasmTrainerOptions = {},
  ): Promise<WasmTrainer> {
    const memory = options.memory ?? createMemory(false);
    const kernels = await instantiateKernels(module, memory);
    return new WasmTrainer(kernels, memory, shape, optimizer, options.threads ?? 1);
  }

  private f32(slot: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.layout.slots.get(slot)!, length);
  }

  private i32(slot: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.layout.slots.get(slot)!, length);
  }

  private header(): { ints: Int32Array; floats: Float32Array } {
    return {
      ints: new Int32Array(this.memory.buffer, this.cfg, S.HEADER_SLOTS),
      floats: new Float32Array(this.memory.buffer, this.cfg, S.HEADER_SLOTS),
    };
  }

  /** The rate of the next steps (the optimizer's moments are kept), read by every thread from the header. */
  setLearningRate(learningRate: number): void {
    this.optimizer = { ...this.optimizer, learningRate };
    const { floats } = this.header();
    floats[S.SLOT_LR] = learningRate;
    floats[S.SLOT_NEG_LR] = -learningRate;
  }

  /** Hyper-parameters as tfjs's float32 scalars; `1 - x` is computed in float64 first, as tfjs does. */
  private configureOptimizer(): void {
    const { ints, floats } = this.header();
    const o = this.optimizer;
    floats[S.SLOT_LR] = o.learningRate;
    floats[S.SLOT_NEG_LR] = -o.learningRate;
    switch (o.kind) {
      case 'sgd':
        ints[S.SLOT_OPTIMIZER] = S.OPTIMIZER_SGD;
        break;
      case 'rmsprop': {
        const decay = o.decay ?? 0.9;
        ints[S.SLOT_OPTIMIZER] = S.OPTIMIZER_RMSPROP;
        floats[S.SLOT_P1] = decay;
        floats[S.SLOT_ONE_MINUS_P1] = 1 - decay;
        floats[S.SLOT_P2] = o.momentum ?? 0;
        floats[S.SLOT_EPSILON] = o.epsilon ?? 1e-7;
        break;
      }
      case 'adam': {
        const beta1 = o.beta1 ?? 0.9;
        const beta2 = o.beta2 ?? 0.999;
        ints[S.SLOT_OPTIMIZER] = S.OPTIMIZER_ADAM;
        floats[S.SLOT_P1] = beta1;
        floats[S.SLOT_ONE_MINUS_P1] = 1 - beta1;
        floats[S.SLOT_P2] = beta2;
        floats[S.SLOT_ONE_MINUS_P2] = 1 - beta2;
        floats[S.SLOT_EPSILON] = o.epsilon ?? 1e-7;
        this.accBeta1 = Math.fround(beta1);
        this.accBeta2 = Math.fround(beta2);
        break;
      }
    }
  }

  private denseParts(base: number): Omit<LstmWeights, 'embeddings'> {
    const { embeddingDim: E, lstmUnits: H } = this.shape;
    const G = 4 * H;
    const at = (offset: number, length: number) => new Float32Array(this.memory.buffer, base + offset * 4, length);
    return {
      kernel: at(0, E * G),
      recurrentKernel: at(E * G, H * G),
      bias: at(E * G + H * G, G),
      denseKernel: at(E * G + H * G + G, H),
      denseBias: at(E * G + H * G + G + H, 1),
    };
  }

  /** Views of the weights inside the memory (valid until the next step changes them). */
  weightViews(): LstmWeights {
    const { vocabularySize: V, embeddingDim: E } = this.shape;
    return { embeddings: this.f32(S.SLOT_EMB, V * E), ...this.denseParts(this.layout.slots.get(S.SLOT_DENSE)!) };
  }

  /** Copies of the optimizer's accumulators and Adam's β powers (for a checkpoint). */
  getOptimizerState(): WasmOptimizerState {
    const { vocabularySize: V, embeddingDim: E } = this.shape;
    const stride = this.layout.denseStride;
    return {
      engine: 'wasm',
      s1Dense: this.f32(S.SLOT_S1_DENSE, stride).slice(),
      s2Dense: this.f32(S.SLOT_S2_DENSE, stride).slice(),
      s1Embeddings: this.f32(S.SLOT_S1_EMB, V * E).slice(),
      s2Embeddings: this.f32(S.SLOT_S2_EMB, V * E).slice(),
      accBeta1: this.accBeta1,
      accBeta2: this.accBeta2,
    };
  }

  setOptimizerState(state: WasmOptimizerState): void {
    const { vocabularySize: V, embeddingDim: E } = this.shape;
    const stride = this.layout.denseStride;
    const parts: [number, Float32Array, number][] = [
      [S.SLOT_S1_DENSE, state.s1Dense, stride],
      [S.SLOT_S2_DENSE, state.s2Dense, stride],
      [S.SLOT_S1_EMB, state.s1Embeddings, V * E],
      [S.SLOT_S2_EMB, state.s2Embeddings, V * E],
    ];
    for (const [slot, values, length] of parts) {
      if (values.length !== length) throw new RangeError(`Optimizer state of ${values.length} values for ${length}`);
      this.f32(slot, length).set(values);
    }
    this.accBeta1 = state.accBeta1;
    this.accBeta2 = state.accBeta2;
  }

  /** Copies of the weights. */
  getWeights(): LstmWeights {
    const v = this.weightViews();
    return {
      embeddings: v.embeddings.slice(),
      kernel: v.kernel.slice(),
      recurrentKernel: v.recurrentKernel.slice(),
      bias: v.bias.slice(),
      denseKernel: v.denseKernel.slice(),
      denseBias: v.denseBias.slice(),
    };
  }

  setWeights(weights: LstmWeights): void {
    const v = this.weightViews();
    for (const key of Object.keys(v) as (keyof LstmWeights)[]) {
      if (weights[key].length !== v[key].length) {
        throw new RangeError(`${key}: ${weights[key].length} values for ${v[key].length}`);
      }
      v[key].set(weights[key]);
    }
  }

  /**
   * Writes a batch (`ids` [rows, maxlen] row-major, rows ≤ batchSize) and its distinct-token
   * tables: the tokens, each position's token index, each token's positions (as timestep records
   * t·B + b; with mask_zero, masked positions are left out, as they get no gradient) and the
   * vocabulary's row → token index map for the embedding update.
   */
  loadBatch(ids: Int32Array, labels: ArrayLike<number>): void {
    const { batchSize: B, maxlen: L, vocabularySize: V } = this.shape;
    const rows = labels.length;
    if (rows < 1 || rows > B) throw new RangeError(`A batch of ${rows} rows for a capacity of ${B}`);
    if (ids.length !== rows * L) throw new RangeError(`${ids.length} ids for ${rows} rows of ${L}`);
    const masked = this.shape.maskZero === true;
    const rowMap = this.i32(S.SLOT_ROW_MAP, V);
    const tokens = this.i32(S.SLOT_UNIQ_TOKEN, this.layout.maxUnique);
    const posUnique = this.i32(S.SLOT_POS_UNIQUE, B * L);
    const counts = this.tokenCounts;
    rowMap.fill(-1);
    let unique = 0;
    for (let p = 0; p < rows * L; p++) {
      const token = ids[p]!;
      if (!(token >= 0 && token < V)) throw new RangeError(`Token id ${token} is outside the Embedding's 0…${V - 1}`);
      let u = rowMap[token]!;
      if (u < 0) {
        u = unique++;
        rowMap[token] = u;
        tokens[u] = token;
        counts[u] = 0;
      }
      // A masked position (id 0 with mask_zero) gets no gradient, so the embedding phase skips it.
      if (!masked || token !== 0) counts[u]!++;
      posUnique[p] = u;
    }
    const starts = this.i32(S.SLOT_CSR_START, this.layout.maxUnique + 1);
    let total = 0;
    for (let u = 0; u < unique; u++) {
      starts[u] = total;
      total += counts[u]!;
      counts[u] = starts[u]!; // now the fill cursor
    }
    starts[unique] = total;
    const positions = this.i32(S.SLOT_CSR_POS, B * L);
    for (let b = 0; b < rows; b++) {
      for (let t = 0; t < L; t++)
        if (!masked || ids[b * L + t] !== 0) positions[counts[posUnique[b * L + t]!]!++] = t * B + b;
    }
    this.i32(S.SLOT_IDS, B * L).set(ids);
    this.f32(S.SLOT_LABELS, B).set(labels);
    const { ints } = this.header();
    ints[S.SLOT_ROWS] = rows;
    ints[S.SLOT_UNIQUE] = unique;
    ints[S.SLOT_FIRST_STEP] = this.shape.maskZero ? firstReadStep(ids, rows, L) : 0;
    this.rows = rows;
    this.unique = unique;
  }

  /** Before phaseOptimize: Adam's bias corrections for this step (1 - β^t from float32 β^t). */
  beginOptimize(): void {
    if (this.optimizer.kind !== 'adam') return;
    const { floats } = this.header();
    floats[S.SLOT_ONE_MINUS_ACC_B1] = 1 - this.accBeta1;
    floats[S.SLOT_ONE_MINUS_ACC_B2] = 1 - this.accBeta2;
  }

  /** After phaseOptimize: advance β^t as tfjs does (accBeta = accBeta · β, in float32). */
  endOptimize(): void {
    if (this.optimizer.kind !== 'adam') return;
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.optimizer.beta1 ?? 0.9));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.optimizer.beta2 ?? 0.999));
  }

  /** Phases 1–3 on this thread alone: the gradients of the loaded batch, nothing updated. */
  computeGradientsInPlace(): void {
    const k = this.kernels;
    k.phasePrepare(this.cfg, 0, 1);
    k.phaseForwardBackward(this.cfg, 0, 0, this.rows);
    k.phaseEmbedding(this.cfg, 0, 1);
  }

  /** One optimizer step on one batch, on this thread; returns the batch's loss and accuracy. */
  trainStep(ids: Int32Array, labels: ArrayLike<number>): { loss: number; accuracy: number } {
    this.loadBatch(ids, labels);
    this.computeGradientsInPlace();
    this.beginOptimize();
    this.kernels.phaseOptimize(this.cfg, 0, 1);
    this.endOptimize();
    return this.batchMetrics();
  }

  /** P(positive) for `rows` rows of ids (rows ≤ batchSize), weights unchanged: phase 1 and the forward pass. */
  predict(ids: Int32Array, rows: number): Float32Array {
    this.loadBatch(ids, new Float32Array(rows));
    this.kernels.phasePrepareForward(this.cfg, 0, 1);
    this.kernels.phaseForward(this.cfg, 0, 0, rows);
    return this.probabilities().slice(0, rows);
  }

  /** The loaded batch's gradients (phases 1–3), summed over the threads' blocks; no update. */
  gradients(ids: Int32Array, labels: ArrayLike<number>): WasmGradients & { loss: number; probabilities: Float32Array } {
    this.loadBatch(ids, labels);
    this.computeGradientsInPlace();
    return { ...this.readGradients(), loss: this.batchMetrics().loss, probabilities: this.probabilities() };
  }

  /** Copies of the gradients after phases 1–3 (before phaseOptimize, which sums into block 0). */
  readGradients(): WasmGradients {
    const { embeddingDim: E } = this.shape;
    const stride = this.layout.denseStride;
    const base = this.layout.slots.get(S.SLOT_GRAD)!;
    const sum = new Float32Array(this.layout.denseCount);
    for (let k = 0; k < this.threads; k++) {
      const block = new Float32Array(this.memory.buffer, base + k * stride * 4, this.layout.denseCount);
      for (let i = 0; i < sum.length; i++) sum[i]! += block[i]!;
    }
    const views = this.denseParts(0);
    const part = (v: Float32Array) => sum.slice(v.byteOffset / 4, v.byteOffset / 4 + v.length);
    return {
      kernel: part(views.kernel),
      recurrentKernel: part(views.recurrentKernel),
      bias: part(views.bias),
      denseKernel: part(views.denseKernel),
      denseBias: part(views.denseBias),
      embeddingTokens: this.i32(S.SLOT_UNIQ_TOKEN, this.unique).slice(),
      embeddingRows: this.f32(S.SLOT_GEMB, this.unique * E).slice(),
    };
  }

  probabilities(): Float32Array {
    return this.f32(S.SLOT_PROB, this.rows).slice();
  }

  /** Loss (Keras-clipped binary cross-entropy, as src/model/loss.ts) and accuracy of the batch. */
  batchMetrics(): { loss: number; accuracy: number } {
    const { loss, accuracy } = binaryMetrics(this.f32(S.SLOT_PROB, this.rows), this.f32(S.SLOT_LABELS, this.rows));
    return { loss, accuracy };
  }

  /** Byte offset of a block (for benchmarks that call the matrix kernels directly). */
  offsetOf(slot: number): number {
    return this.layout.slots.get(slot)!;
  }

  get memoryBytes(): number {
    return this.layout.bytes;
  }
}
