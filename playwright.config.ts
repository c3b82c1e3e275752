import { defineConfig } from '@playwright/test';

/** Debian's Chromium: Playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-swiftshader',
];
const PORT = Number(process.env.E2E_PORT ?? 4173);
const TOOLS_PORT = Number(process.env.E2E_TOOLS_PORT ?? 4174);
/** The benchmark and test pages (tools/), served apart from the app: e2e/fusedEngine.spec.ts uses engine-check.html. */
export const TOOLS_URL = `http://127.0.0.1:${TOOLS_PORT}/`;

export default defineConfig({
  testDir: 'e2e',
  // These tests share 2 cores with a software-rendered GPU: one browser at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    viewport: { width: 1200, height: 900 },
    // The offline service worker would answer requests before a test's routes see them; the
    // one spec about it (e2e/offline.spec.ts) turns it on.
    serviceWorkers: 'block',
    trace: 'off',
  },
  webServer: [
    {
      command: `npx vite build && npx vite preview --strictPort --port ${PORT} --host 127.0.0.1`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      timeout: 180_000,
    },
    {
      command: `npx vite build --config tools/vite.config.ts && npx vite preview --config tools/vite.config.ts --strictPort --port ${TOOLS_PORT} --host 127.0.0.1`,
      url: `${TOOLS_URL}engine-check.html`,
      reuseExistingServer: false,
      timeout: 180_000,
    },
  ],
});
