import type { EngineName } from '../../src/training/settings';
import type { BackendName } from '../../src/model/backend';

/** One benchmark case: the default model, one backend and sequence length, each fix on or off. */
export interface TrainingBenchCase {
  backend: BackendName;
  maxlen: number;
  batchSize: number;
  /** Timed batches after two warm-up batches (which compile shaders). */
  batches: number;
  embeddingGradientFix: boolean;
  orthogonalOnCpu: boolean;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
  engine: EngineName;
  /**
   * How token ids are drawn: `zipf` (rank r with weight 1/r, as word frequencies in text roughly
   * are) or `uniform` over the vocabulary (the worst case for work that scales with distinct tokens).
   */
  ids: 'zipf' | 'uniform';
  /** Also count kernel dispatches with tfjs's profiler and time one-review inference. */
  profile: boolean;
}

export interface DispatchCounts {
  /** Kernels run by one training step (forward, backward, optimizer), divided by the timesteps. */
  trainingPerStep: number;
  /** Kernels run by one review's prediction, divided by the timesteps. */
  inferencePerStep: number;
  trainingTotal: number;
  inferenceTotal: number;
  /**
   * Shader programs actually drawn on the WebGL context (tfjs's profiler also counts kernels that
   * draw nothing, such as reshapes, and misses tfjs's own pack/unpack passes). Null off WebGL.
   */
  trainingDrawsPerStep: number | null;
  inferenceDrawsPerStep: number | null;
  /**
   * Kernels of one training step and of one review's prediction by name, most frequent first, with
   * the profiler's milliseconds (wall time: without GPU timer queries it reads each output back).
   */
  trainingByKernel: KernelTally[];
  inferenceByKernel: KernelTally[];
  /** Draw calls by shader program (tfjs's classes by name, ours by their inputs). */
  trainingDrawsByProgram: KernelTally[];
  inferenceDrawsByProgram: KernelTally[];
}

export interface KernelTally {
  name: string;
  count: number;
  ms: number;
}

export interface TrainingBenchResult {
  case: TrainingBenchCase;
  backendInUse: string;
  renderer: string | null;
  buildSeconds: number;
  warmupSeconds: number;
  /** Median of the timed batches. */
  msPerBatch: number;
  batchMs: number[];
  examplesPerSecond: number;
  numTensorsBefore: number;
  numTensorsAfter: number;
  /** The engine that ran (the fused one falls back to stock off WebGL). */
  engineInUse: string;
  dispatches: DispatchCounts | null;
  /** Median milliseconds of one-review predictions (ids upload to probability read back). */
  inferenceMs: number | null;
  error: string | null;
}

export function caseFromSearch(search: string): TrainingBenchCase {
  const p = new URLSearchParams(search);
  return {
    backend: (p.get('backend') ?? 'webgl') as BackendName,
    maxlen: Number(p.get('maxlen') ?? 200),
    batchSize: Number(p.get('batchSize') ?? 128),
    batches: Number(p.get('batches') ?? 3),
    embeddingGradientFix: p.get('embeddingGradientFix') !== '0',
    orthogonalOnCpu: p.get('orthogonalOnCpu') !== '0',
    recurrentActivation: p.get('recurrentActivation') === 'hardSigmoid' ? 'hardSigmoid' : 'sigmoid',
    engine: p.get('engine') === 'fused' ? 'fused' : 'stock',
    profile: p.get('profile') === '1',
    ids: p.get('ids') === 'uniform' ? 'uniform' : 'zipf',
  };
}

export function caseToSearch(c: TrainingBenchCase): string {
  return new URLSearchParams({
    backend: c.backend,
    maxlen: String(c.maxlen),
    batchSize: String(c.batchSize),
    batches: String(c.batches),
    embeddingGradientFix: c.embeddingGradientFix ? '1' : '0',
    orthogonalOnCpu: c.orthogonalOnCpu ? '1' : '0',
    recurrentActivation: c.recurrentActivation,
    engine: c.engine,
    profile: c.profile ? '1' : '0',
    ids: c.ids,
  }).toString();
}
