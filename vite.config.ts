import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { isolationHeaders } from './vite.shared';

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
    environment: 'node',
    testTimeout: 30000,
  },
});
