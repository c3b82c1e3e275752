import type { LayersEngineName } from '../../src/model/engineChoice';
import type { ModelEngine } from '../../src/model/engine';
import { BACKENDS, type BackendName } from '../../src/model/backend';
import {
  flagField,
  numberField,
  readSearch,
  strictChoiceField,
  writeSearch,
  type Codecs,
} from '../../src/url/searchCodec';

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
  /** The LSTM engines that run inside tfjs's layers model (the WebAssembly one is measured by bench:wasm-kernels). */
  engine: LayersEngineName;
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
  engineInUse: ModelEngine['name'];
  dispatches: DispatchCounts | null;
  /** Median milliseconds of one-review predictions (ids upload to probability read back). */
  inferenceMs: number | null;
  error: string | null;
}

const DEFAULT_CASE: TrainingBenchCase = {
  backend: 'webgl',
  maxlen: 200,
  batchSize: 128,
  batches: 3,
  embeddingGradientFix: true,
  orthogonalOnCpu: true,
  recurrentActivation: 'sigmoid',
  engine: 'stock',
  profile: false,
  ids: 'zipf',
};

const CASE_CODECS: Codecs<TrainingBenchCase> = {
  backend: strictChoiceField(BACKENDS, DEFAULT_CASE.backend),
  maxlen: numberField,
  batchSize: numberField,
  batches: numberField,
  embeddingGradientFix: flagField,
  orthogonalOnCpu: flagField,
  recurrentActivation: strictChoiceField(['sigmoid', 'hardSigmoid'] as const, 'sigmoid'),
  engine: strictChoiceField(['fused', 'stock'] as const, 'stock'),
  profile: { parse: (raw) => raw === '1', format: flagField.format },
  ids: strictChoiceField(['zipf', 'uniform'] as const, 'zipf'),
};

export const caseFromSearch = (search: string): TrainingBenchCase => readSearch(search, CASE_CODECS, DEFAULT_CASE);
export const caseToSearch = (c: TrainingBenchCase): string => writeSearch(c, CASE_CODECS);
