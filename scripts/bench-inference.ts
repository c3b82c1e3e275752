/**
 * npm run bench:inference [-- --runs N]
 *
 * Time to classify one review with the default model (Embedding(20000,128) → LSTM(128) → Dense,
 * maxlen 200) in a Web Worker of headless Debian Chromium: the app's forward pass on our
 * WebAssembly SIMD kernels (the Classify box's default) and on the plain TypeScript fallback, vs
 * tfjs `model.predict` on wasm and on WebGL. Reviews of 40 words (typed), 174 (the IMDB median)
 * and 200 (a full row); "cold" is a review never seen, "keystroke" the same review one word longer.
 * Each time includes tokenizing and padding. Figures are printed, never asserted.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { caseToSearch, type InferenceBenchCase, type InferenceBenchResult } from '../tools/src/inference/protocol';
import { launchChromium, serveBuilt } from './lib/browser';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);

async function main(): Promise<void> {
  const { url, close } = await serveBuilt('tools', 'bench-inference');
  const browser = await launchChromium();
  const results: InferenceBenchResult[] = [];
  try {
    for (const runtime of ['kernels', 'plain', 'probability-only', 'wasm', 'webgl'] as const) {
      const c: InferenceBenchCase = { runtime, runs };
      const page = await browser.newPage();
      await page.goto(`${url}inference-bench.html?${caseToSearch(c)}`);
      await page.waitForFunction(() => Boolean(window.__benchResult), null, {
        timeout: 30 * 60_000,
        polling: 500,
      });
      const result = await page.evaluate(() => window.__benchResult as InferenceBenchResult);
      await page.close();
      results.push(result);
      console.log(
        result.error ? `${runtime}: FAILED: ${result.error}` : `${runtime}: ${JSON.stringify(result.timings)}`,
      );
    }
  } finally {
    await browser.close();
    await close();
  }
  console.log(
    `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, headless Debian Chromium; median of ${runs} predictions`,
  );
  const renderer = results.find((r) => r.renderer)?.renderer;
  if (renderer) console.log(`WebGL renderer: ${renderer}`);
  const plain = results.find((r) => r.case.runtime === 'plain' && !r.error);
  console.log('| runtime | words | cold ms | keystroke ms | set-up | max abs diff to plain | numTensors |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    if (r.error) {
      console.log(`| ${r.case.runtime} | fails: ${r.error} | | | | | |`);
      continue;
    }
    for (const t of r.timings) {
      const reference = plain?.timings.find((p) => p.words === t.words);
      const diff = reference && r !== plain ? Math.abs(reference.probability - t.probability).toExponential(1) : '–';
      console.log(
        `| ${r.case.runtime === 'probability-only' ? `${r.backendInUse}, probability only` : r.backendInUse} | ${t.words} | ${ms(t.coldMs)} | ${ms(t.keystrokeMs)} | ${r.setupMs.toFixed(0)} ms | ${diff} | ${r.numTensorsBefore}→${r.numTensorsAfter} |`,
      );
    }
  }
  const kernels = results.find((r) => r.case.runtime === 'kernels' && !r.error);
  if (kernels?.fill)
    console.log(
      `WebAssembly kernels: the projection table (every token's x·W + b) filled in ${kernels.fill.milliseconds.toFixed(0)} ms ` +
        `of idle time, ${kernels.fill.slices} slices of at most ${kernels.fill.longestSliceMs.toFixed(1)} ms, before the timings above`,
    );
  printWordByWordCost(results);
}

/** Sub-millisecond figures keep two decimals. */
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 1);

/** What the word-by-word reading adds to a prediction: the Classify box's path against the probability alone. */
function printWordByWordCost(results: InferenceBenchResult[]): void {
  const withWords = results.find((r) => r.case.runtime === 'plain' && !r.error);
  const alone = results.find((r) => r.case.runtime === 'probability-only' && !r.error);
  if (!withWords || !alone) return;
  for (const t of withWords.timings) {
    const base = alone.timings.find((a) => a.words === t.words);
    if (!base) continue;
    console.log(
      `${t.words} words: the word-by-word reading adds ${(t.coldMs - base.coldMs).toFixed(2)} ms cold, ` +
        `${(t.keystrokeMs - base.keystrokeMs).toFixed(2)} ms per keystroke (medians, side by side)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
