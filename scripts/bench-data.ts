/**
 * npm run bench:data [-- --runs N]
 *
 * Times the data worker in headless Chromium on the real shards: fetch + verify + decompress, and
 * tokenize + pad, for all 25,000 training and 25,000 test reviews. Each run reloads the page, so
 * nothing is served from the worker's memory. Figures are printed, never asserted.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import type { DatasetTimings } from '../src/testHooks';
import { launchChromium, serveBuiltApp } from './lib/browser';

type Timings = DatasetTimings;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  const { url, close } = await serveBuiltApp();
  const browser = await launchChromium();
  const results: Timings[] = [];
  try {
    const page = await browser.newPage();
    for (let run = 0; run < runs; run++) {
      await page.goto(url);
      await page.getByRole('button', { name: 'Load dataset' }).click();
      await page.getByTestId('dataset-stats').waitFor({ timeout: 120_000 });
      // The worker's own measurements, exposed for tools like this one.
      const timings = await page.evaluate(() => window.__datasetTimings!);
      results.push(timings);
      console.log(
        `run ${run + 1}: fetch+verify+decompress ${timings.fetchVerifyDecompressMs.toFixed(0)} ms, ` +
          `tokenize+pad train ${timings.trainTokenizePadMs.toFixed(0)} ms, test ${timings.testTokenizePadMs.toFixed(0)} ms`,
      );
    }
  } finally {
    await browser.close();
    await close();
  }
  const m = (key: keyof Timings) => median(results.map((r) => r[key])).toFixed(0);
  console.log(`\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}; headless Debian Chromium`);
  console.log(`Median of ${runs} runs, 25,000 train + 25,000 test reviews:`);
  console.log(`  fetch + sha256 verify + gunzip (10 shards): ${m('fetchVerifyDecompressMs')} ms`);
  console.log(
    `  tokenizer fit + tokenize + pad, 25,000 training reviews: ${m('trainTokenizePadMs')} ms (goal < 1500 ms)`,
  );
  console.log(`  tokenize + pad, 25,000 test reviews: ${m('testTokenizePadMs')} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
