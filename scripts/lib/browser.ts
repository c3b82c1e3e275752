import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { PROJECT_ROOT } from './paths';

/**
 * Builds the app into its own folder (so a test run rebuilding dist/ cannot change files under a
 * long benchmark) and serves it with Vite's preview server on a free port.
 */
export async function serveBuiltApp(name = 'scripts'): Promise<{ url: string; close: () => Promise<void> }> {
  const outDir = path.join(PROJECT_ROOT, '.cache', 'dist', `${name}-${process.pid}`);
  await build({ root: PROJECT_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    root: PROJECT_ROOT,
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('The preview server did not report its URL');
  const close = async () => {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  };
  return { url, close };
}

/** Debian's headless Chromium with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
