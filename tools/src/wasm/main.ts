import { runBenchPage } from '../hooks';
import { caseFromSearch, type WasmBenchCase, type WasmBenchResult } from './protocol';

/** The WebAssembly engine benchmark page: runs the case in its URL in a worker, as the app does, and publishes the result. */
runBenchPage<WasmBenchCase, WasmBenchResult>(
  caseFromSearch(window.location.search),
  new Worker(new URL('./wasmBench.worker.ts', import.meta.url), { type: 'module' }),
);
