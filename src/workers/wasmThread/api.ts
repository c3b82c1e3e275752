/** A WebAssembly engine helper thread's methods (served with workers/rpc.ts). */
import type { PhaseName } from '../../model/wasm/threads';

export interface WasmThreadApi {
  /** Instantiates the threads build over the run's shared memory (both are sent, not copied). */
  init(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<void>;
  /** Runs one phase of the step on this thread's share; resolves when it is done (the barrier). */
  run(phase: PhaseName, args: number[]): Promise<void>;
}
