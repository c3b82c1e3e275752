/** The WebAssembly kernels for the browser: built by `npm run build:wasm`, bundled by Vite as an asset. */
import kernelsUrl from './build/lstm.wasm?url';

let compiled: Promise<WebAssembly.Module> | null = null;

/** Compiles the single-thread kernels once per worker. Rejects where WebAssembly SIMD is missing. */
export function compileKernels(): Promise<WebAssembly.Module> {
  compiled ??= fetch(kernelsUrl)
    .then((response) => {
      if (!response.ok) throw new Error(`Could not fetch the WebAssembly kernels (${response.status})`);
      return response.arrayBuffer();
    })
    .then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}
