import type { BackendName } from '../worker/backend';

/** One benchmark case: the default model, one backend and sequence length, each fix on or off. */
export interface TrainingBenchCase {
  backend: BackendName;
  maxlen: number;
  batchSize: number;
  /** Timed batches after one warm-up batch (which compiles shaders). */
  batches: number;
  embeddingGradientFix: boolean;
  orthogonalOnCpu: boolean;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
}

export interface TrainingBenchResult {
  case: TrainingBenchCase;
  backendInUse: string;
  renderer: string | null;
  buildSeconds: number;
  warmupSeconds: number;
  msPerBatch: number;
  examplesPerSecond: number;
  numTensorsBefore: number;
  numTensorsAfter: number;
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
  }).toString();
}
