import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { isolationHeaders } from './vite.shared.ts';

export default defineConfig({
  plugins: [
    react(),
    // The app shell offline: a Workbox service worker precaches every built file (scripts, workers,
    // WebAssembly, styles). The dataset is not precached: the data worker keeps the shards it
    // loaded, verified, in the Cache API (src/data/shardStore.ts).
    VitePWA({
      strategies: 'generateSW',
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,svg}'],
        globIgnores: ['data/**'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/\/data\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
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
