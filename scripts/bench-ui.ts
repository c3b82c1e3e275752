/**
 * npm run bench:ui [-- --rounds N] [--engine fused]
 *
 * How responsive the page stays while it works, measured as a user's browser sees it (headless
 * Debian Chromium, the built app): every main-thread task over 50 ms (the Long Tasks API) and,
 * for frames over 100 ms, what ran in them (the Long Animation Frames API's script attribution).
 * Three moments, each `--rounds` times in a fresh page:
 *   1. loading the whole dataset (25,000 + 25,000 reviews) in the data worker;
 *   2. a small training run on the chosen engine, from the first batch to the test accuracy;
 *   3. a 1 MB paste into the Classify box, with the model that run trained.
 * Prints, per moment: the number of long tasks, the longest, the median one, and the budget they
 * are measured against (50 ms is a long task; 100 ms is where an interaction feels delayed).
 * Nothing is asserted: the e2e tests only fail on a freeze (500 ms), since wall time is noisy here.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { launchChromium, serveBuiltApp } from './lib/browser';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '2' }, engine: { type: 'string', default: 'fused' } },
});
const rounds = Number(values.rounds);
const SMALL_RUN = `trainReviews=2000&testReviews=1000&maxlen=64&numWords=5000&epochs=2&batchSize=32&learningRate=0.003&engine=${values.engine}`;

interface FrameRecord {
  start: number;
  duration: number;
  scripts: string[];
}

declare global {
  interface Window {
    __uiBench: { tasks: number[]; frames: FrameRecord[] };
  }
}

/** Observers installed before the app's own scripts run. */
function recordMainThread(): void {
  window.__uiBench = { tasks: [], frames: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__uiBench.tasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration < 100) continue;
      const frame = entry as PerformanceEntry & {
        scripts?: { invoker: string; sourceFunctionName: string; duration: number }[];
      };
      window.__uiBench.frames.push({
        start: entry.startTime,
        duration: entry.duration,
        scripts: (frame.scripts ?? []).map(
          (s) => `${s.invoker} ${s.sourceFunctionName || '(anonymous)'} ${s.duration.toFixed(0)} ms`,
        ),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
}

const reset = (page: Page) =>
  page.evaluate(() => {
    window.__uiBench.tasks = [];
    window.__uiBench.frames = [];
  });
const collect = (page: Page) => page.evaluate(() => window.__uiBench);

interface Moment {
  name: string;
  tasks: number[];
  frames: FrameRecord[];
}

const results: Moment[] = [];

async function measure(page: Page, name: string, act: () => Promise<void>): Promise<void> {
  await reset(page);
  await act();
  const { tasks, frames } = await collect(page);
  results.push({ name, tasks, frames });
}

async function round(page: Page, url: string): Promise<void> {
  await page.goto(`${url}?${SMALL_RUN}`);
  await page.getByTestId('backend').waitFor({ timeout: 120_000 });

  await page.fill('input[name=trainReviews]', '25000');
  await page.fill('input[name=testReviews]', '25000');
  await measure(page, 'loading 50,000 reviews', async () => {
    await page.getByRole('button', { name: 'Load dataset' }).click();
    await page.getByTestId('dataset-stats').waitFor({ timeout: 300_000 });
  });

  await page.goto(`${url}?${SMALL_RUN}`);
  await page.getByTestId('backend').waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('training-progress').waitFor({ timeout: 300_000 });
  await measure(page, `training (${values.engine}), first batch to test accuracy`, async () => {
    await page.getByTestId('test-accuracy').waitFor({ timeout: 30 * 60_000 });
  });

  const huge = 'a truly wonderful and moving film '.repeat(31_000);
  await measure(page, 'a 1 MB paste into the Classify box', async () => {
    await page.getByTestId('review-input').fill(huge);
    await page.getByTestId('truncated-note').waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-testid=outcome]')?.getAttribute('data-stale') === 'false',
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
}

async function main(): Promise<void> {
  const { url, close } = await serveBuiltApp('bench-ui');
  const browser = await launchChromium();
  try {
    for (let r = 0; r < rounds; r++) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.addInitScript(recordMainThread);
      await round(page, url);
      await page.close();
    }
  } finally {
    await browser.close();
    await close();
  }
  console.log(
    `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; headless Chromium; ${rounds} round(s); ` +
      `budgets: 50 ms (a long task), 100 ms (a delayed interaction), 500 ms (a freeze: the e2e limit)`,
  );
  for (const name of [...new Set(results.map((m) => m.name))]) {
    const moments = results.filter((m) => m.name === name);
    const tasks = moments.flatMap((m) => m.tasks);
    console.log(
      `${name}: ${tasks.length} long task(s) over ${moments.length} round(s); longest ${Math.max(0, ...tasks).toFixed(0)} ms, ` +
        `median ${median(tasks).toFixed(0)} ms; over 100 ms: ${tasks.filter((t) => t > 100).length}`,
    );
    for (const frame of moments
      .flatMap((m) => m.frames)
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 3))
      console.log(`    frame ${frame.duration.toFixed(0)} ms: ${frame.scripts.join('; ') || 'rendering only'}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
