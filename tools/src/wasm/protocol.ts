import { numberField, readSearch, writeSearch, type Codecs } from '../../../src/url/searchCodec';

/** One case of the WebAssembly engine in the browser: the default model, one length, one thread count. */
export interface WasmBenchCase {
  maxlen: number;
  batchSize: number;
  /** Timed batches after one warm-up batch. */
  batches: number;
  /** Threads asked for (the page's cores at most; one where the page is not cross-origin isolated). */
  threads: number;
}

export interface WasmBenchResult {
  case: WasmBenchCase;
  /** Threads the engine actually ran on, and why fewer than asked when it did. */
  threads: number;
  threadsNote: string | null;
  hardwareConcurrency: number;
  crossOriginIsolated: boolean;
  /** Median of the timed batches. */
  msPerBatch: number;
  batchMs: number[];
  examplesPerSecond: number;
  error: string | null;
}

const CODECS: Codecs<WasmBenchCase> = {
  maxlen: numberField,
  batchSize: numberField,
  batches: numberField,
  threads: numberField,
};
export const caseFromSearch = (search: string): WasmBenchCase =>
  readSearch(search, CODECS, { maxlen: 200, batchSize: 128, batches: 5, threads: 1 });
export const caseToSearch = (c: WasmBenchCase): string => writeSearch(c, CODECS);
