import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { isolationHeaders } from './vite.shared.ts';

export default defineConfig({
  plugins: [react()],
  base: './',
  server: { port: 5173, headers: isolationHeaders },
  preview: { port: 4173, headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    // Builds the WebAssembly kernels (skipped when up to date) before tests/unit/wasm*.test.ts load them.
    globalSetup: ['scripts/build-wasm.ts'],
    environment: 'node',
    testTimeout: 30000,
  },
});
