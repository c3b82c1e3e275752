import type { BackendName } from '../../../src/model/backend';

/** One way to classify one review with the default model: our forward pass, or tfjs `model.predict`. */
export type InferenceEngine = 'plain' | Exclude<BackendName, 'cpu'>;

export interface InferenceBenchCase {
  engine: InferenceEngine;
  /** Timed predictions per review length, after warm-up. */
  runs: number;
}

export interface LengthTiming {
  /** Words in the review (before padding to maxlen 200). */
  words: number;
  /** Median ms of one prediction of a review never seen before (plain: no cached projections). */
  coldMs: number;
  /** Median ms when the review grows by one word, as with each keystroke (plain: earlier words cached). */
  keystrokeMs: number;
  /** P(positive) of the fixed review of this length, to compare engines. */
  probability: number;
}

export interface InferenceBenchResult {
  case: InferenceBenchCase;
  backendInUse: string;
  renderer: string | null;
  /** Model build (tfjs) or bundle validation + classifier set-up (plain). */
  setupMs: number;
  timings: LengthTiming[];
  numTensorsBefore: number;
  numTensorsAfter: number;
  error: string | null;
}

export const BENCH_WORDS = [40, 174, 200] as const;

export function caseFromSearch(search: string): InferenceBenchCase {
  const p = new URLSearchParams(search);
  const engine = p.get('engine');
  return {
    engine: engine === 'wasm' || engine === 'webgl' ? engine : 'plain',
    runs: Number(p.get('runs') ?? 15),
  };
}

export const caseToSearch = (c: InferenceBenchCase) =>
  new URLSearchParams({ engine: c.engine, runs: String(c.runs) }).toString();
