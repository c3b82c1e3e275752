import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { PROJECT_ROOT } from './paths';

/** What a benchmark or script serves: the app itself, or the benchmark and test pages (tools/). */
export type Site = 'app' | 'tools';

const CONFIG_FILES: Record<Site, string> = {
  app: path.join(PROJECT_ROOT, 'vite.config.ts'),
  tools: path.join(PROJECT_ROOT, 'tools', 'vite.config.ts'),
};

/**
 * Builds the app or the tools into a folder of their own (so a test run rebuilding dist/ cannot
 * change files under a long benchmark) and serves it with Vite's preview server on a free port.
 */
export async function serveBuilt(site: Site, name = 'scripts'): Promise<{ url: string; close: () => Promise<void> }> {
  const configFile = CONFIG_FILES[site];
  const outDir = path.join(PROJECT_ROOT, '.cache', 'dist', `${site}-${name}-${process.pid}`);
  // The app's config takes the project root; the tools' config sets its own.
  const root = site === 'app' ? PROJECT_ROOT : undefined;
  await build({ configFile, root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    configFile,
    root,
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

export const serveBuiltApp = (name?: string) => serveBuilt('app', name);

/** Debian's headless Chromium with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
