import type { Browser } from '@playwright/test';
import { caseToSearch, type TrainingBenchCase, type TrainingBenchResult } from '../../tools/src/benchProtocol';

/** Runs one benchmark case in a fresh page (and so a fresh worker and WebGL context). */
export async function runBenchCase(
  browser: Browser,
  appUrl: string,
  c: TrainingBenchCase,
): Promise<TrainingBenchResult> {
  const page = await browser.newPage();
  try {
    await page.goto(`${appUrl}bench.html?${caseToSearch(c)}`);
    await page.waitForFunction(() => Boolean(window.__benchResult), null, {
      timeout: 60 * 60_000,
      polling: 1000,
    });
    return (await page.evaluate(() => window.__benchResult)) as TrainingBenchResult;
  } finally {
    await page.close();
  }
}
