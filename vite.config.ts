import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer) in a later step;
// both the dev server and the preview server send the same headers as a static host should.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  base: './',
  server: { port: 5173, headers: isolationHeaders },
  preview: { port: 4173, headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // bench.html hosts the training benchmark (scripts/bench-training.ts and bench.ts) next to the app,
    // inference-bench.html the inference one (scripts/bench-inference.ts), engine-check.html the
    // fused engine's correctness tests (e2e/fusedEngine.spec.ts).
    rollupOptions: {
      input: {
        app: 'index.html',
        bench: 'bench.html',
        inferenceBench: 'inference-bench.html',
        engineCheck: 'engine-check.html',
      },
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30000,
  },
});
