import type { KernelHelpers, StartHelpers } from '../../model/wasm/threads';
import { connect, type Connection } from '../rpc';
import type { WasmThreadApi } from './api';

/**
 * Starts the WebAssembly engine's helper threads from the training worker: one worker each, every
 * one instantiating the threads build over the same shared memory. A helper that dies rejects the
 * phase it was running with `WorkerFailed` (its error event, see rpc.ts); what the run does then is
 * the engine's business (src/model/wasm/wasmRunner.ts ends every helper and stops training).
 */
export const startWasmHelpers: StartHelpers = async (module, memory, count) => {
  const connections: Connection<WasmThreadApi>[] = [];
  const dispose = () => connections.forEach((connection) => connection.dispose());
  try {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), {
        type: 'module',
        name: `wasm-thread-${i + 1}`,
      });
      connections.push(connect<WasmThreadApi>(worker, `WebAssembly thread ${i + 1}`));
    }
    await Promise.all(connections.map((connection) => connection.call((api) => api.init(module, memory))));
  } catch (error) {
    dispose();
    throw error;
  }
  const helpers: KernelHelpers = {
    count,
    run(thread, phase, args) {
      const connection = connections[thread - 1];
      if (!connection) return Promise.reject(new RangeError(`No WebAssembly helper thread ${thread} of ${count}`));
      return connection.call((api) => api.run(phase, args));
    },
    dispose,
  };
  return helpers;
};
