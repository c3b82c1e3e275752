import { chromium, type Browser } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { PROJECT_ROOT } from './paths';

/** Builds the app and serves it with Vite's preview server on a free port. */
export async function serveBuiltApp(): Promise<{ server: PreviewServer; url: string }> {
  await build({ root: PROJECT_ROOT, logLevel: 'warn' });
  const server = await preview({ root: PROJECT_ROOT, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('The preview server did not report its URL');
  return { server, url };
}

/** Debian's headless Chromium with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
