import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { isolationHeaders } from '../vite.shared.ts';

/**
 * The benchmark and test pages, built and served apart from the app (never in its dist/):
 * bench.html (npm run bench, bench:training), inference-bench.html (bench:inference), wasm-bench.html
 * (bench:wasm) and
 * engine-check.html (e2e/fusedEngine.spec.ts). They import the app's modules from ../src.
 */
const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: './',
  // The pages need no static files (no dataset: the tests hand them their data).
  publicDir: false,
  server: { port: 5174, headers: isolationHeaders },
  preview: { port: 4174, headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: path.join(root, '..', '.cache', 'tools-dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: {
        bench: path.join(root, 'bench.html'),
        inferenceBench: path.join(root, 'inference-bench.html'),
        wasmBench: path.join(root, 'wasm-bench.html'),
        engineCheck: path.join(root, 'engine-check.html'),
      },
    },
  },
});
