/** The WebAssembly kernels for the browser: built by `npm run build:wasm`, bundled by Vite as assets. */
import kernelsUrl from './build/lstm.wasm?url';
import threadsKernelsUrl from './build/lstm-threads.wasm?url';

const compiled = new Map<boolean, Promise<WebAssembly.Module>>();

/**
 * Compiles the kernels once per worker: the plain build, or (`threads`) the build whose memory is
 * shared between worker threads. Rejects where WebAssembly SIMD is missing.
 */
export function compileKernels(threads = false): Promise<WebAssembly.Module> {
  let module = compiled.get(threads);
  if (!module) {
    module = fetch(threads ? threadsKernelsUrl : kernelsUrl)
      .then((response) => {
        if (!response.ok) throw new Error(`Could not fetch the WebAssembly kernels (${response.status})`);
        return response.arrayBuffer();
      })
      .then((bytes) => WebAssembly.compile(bytes));
    compiled.set(threads, module);
  }
  return module;
}
