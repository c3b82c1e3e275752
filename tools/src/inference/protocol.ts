import type { BackendName } from '../../../src/model/backend';
import { numberField, readSearch, strictChoiceField, writeSearch, type Codecs } from '../../../src/url/searchCodec';

/**
 * What classifies one review with the default model: the Classify box's path (with the
 * word-by-word reading) on the WebAssembly kernels (`kernels`, after the idle-time fill of the
 * projection table) or on the plain TypeScript pass (`plain`), the plain pass for the probability
 * alone, or tfjs `model.predict` on a backend.
 */
export type InferenceRuntime = 'kernels' | 'plain' | 'probability-only' | Exclude<BackendName, 'cpu'>;

export interface InferenceBenchCase {
  runtime: InferenceRuntime;
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
  /** Model build (tfjs) or bundle validation + classifier set-up (plain, kernels). */
  setupMs: number;
  /** kernels: the idle-time fill of the projection table (done before timing), in slices. */
  fill: { milliseconds: number; slices: number; longestSliceMs: number } | null;
  timings: LengthTiming[];
  numTensorsBefore: number;
  numTensorsAfter: number;
  error: string | null;
}

export const BENCH_WORDS = [40, 174, 200] as const;

const CASE_CODECS: Codecs<InferenceBenchCase> = {
  runtime: strictChoiceField(['kernels', 'probability-only', 'wasm', 'webgl'] as const, 'plain'),
  runs: numberField,
};

export const caseFromSearch = (search: string): InferenceBenchCase =>
  readSearch(search, CASE_CODECS, { runtime: 'plain', runs: 15 });
export const caseToSearch = (c: InferenceBenchCase): string => writeSearch(c, CASE_CODECS);
