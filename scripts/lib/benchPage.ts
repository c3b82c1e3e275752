import type { Browser } from '@playwright/test';
import { caseToSearch, type TrainingBenchCase, type TrainingBenchResult } from '../../src/bench/benchProtocol';

/** Runs one benchmark case in a fresh page (and so a fresh worker and WebGL context). */
export async function runBenchCase(
  browser: Browser,
  appUrl: string,
  c: TrainingBenchCase,
): Promise<TrainingBenchResult> {
  const page = await browser.newPage();
  try {
    await page.goto(`${appUrl}bench.html?${caseToSearch(c)}`);
    await page.waitForFunction(() => Boolean((window as unknown as { __benchResult?: unknown }).__benchResult), null, {
      timeout: 60 * 60_000,
      polling: 1000,
    });
    return await page.evaluate(() => (window as unknown as { __benchResult: TrainingBenchResult }).__benchResult);
  } finally {
    await page.close();
  }
}
