import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  scoreShortVersionsOutside,
  scoreZipOutside,
  startWasmInNode,
  type OutsideScore,
} from '../scripts/lib/outsideScore';
import { readSplit } from '../scripts/lib/shards';
import type { EngineName } from '../src/training/settings';

/**
 * The number the app shows must be the number a user gets from what they download. For every
 * engine: a small run on the real shards, then the downloaded zip is scored outside the app (plain
 * tfjs in Node, the zip's own tokenizer.json read with Keras's rules, the dataset's labels) on
 * exactly the test reviews the app evaluated. A later engine joins ENGINES and passes the same test
 * (TRUTH_ENGINES=wasm,stock runs a subset).
 */
const ENGINES: readonly EngineName[] = process.env.TRUTH_ENGINES
  ? (process.env.TRUTH_ENGINES.split(',') as EngineName[])
  : ['stock', 'fused', 'wasm'];
// Same small configuration and seed for every engine: same initial weights and batch order.
const SMALL_RUN = 'trainReviews=2000&testReviews=1000&maxlen=32&numWords=5000&epochs=2&batchSize=32&learningRate=0.003';

/** AUC by its definition, written apart from the app's: (positive, negative) pairs ranked right, ties half. */
function pairwiseAuc(p: readonly number[], y: readonly number[]): number {
  let right = 0;
  let pairs = 0;
  for (let i = 0; i < p.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < p.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      right += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
    }
  }
  return right / pairs;
}

interface EngineRun {
  accuracy: number;
  numTensors: number;
  examplesPerSecond: number;
  outside: OutsideScore;
}

async function trainAndScore(page: Page, engine: EngineName, run: number): Promise<EngineRun> {
  await page.locator('select[name=engine]').selectOption(engine);
  await page.getByRole('button', { name: run === 1 ? 'Train' : 'Train again', exact: true }).click();
  const summaryBox = page.getByTestId('run-summary');
  await expect(summaryBox).toContainText(`Run ${run} ·`, { timeout: 10 * 60_000 });
  await expect(summaryBox).toContainText(`engine ${engine}`);
  await expect(page.getByTestId('self-check')).toHaveAttribute('data-passed', 'true');
  const text = await summaryBox.innerText();
  const accuracy = Number((await page.getByTestId('test-accuracy').innerText()).replace('%', ''));
  const summary = (await page.evaluate(() => window.__sentimentLab!.summary))!;
  const predictions = summary.testPredictions!;
  expect(predictions.probabilities.length).toBe(1000);

  // The model the Models panel now holds is this run's (named after its test accuracy and end time).
  await expect(page.getByTestId('current-model-name')).toContainText(
    `test ${(summary.test!.accuracy * 100).toFixed(1)}% · ${summary.finishedAt.slice(0, 16).replace('T', ' ')}`,
  );
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download zip' }).click(),
  ]);
  const zip = new Uint8Array(readFileSync((await download.path())!));
  const outside = await scoreZipOutside(zip, predictions);
  console.log(
    `${engine}: app test accuracy ${accuracy}% · downloaded zip scored by plain tfjs ${(outside.accuracy * 100).toFixed(2)}% ` +
      `on the same ${outside.count} reviews · largest probability difference ${outside.maxDifference.toExponential(1)} · ` +
      `self-check ${summary.selfCheck!.maxDifference.toExponential(1)} on ${summary.selfCheck!.reviews}`,
  );
  // The test report's AUC, as shown, is the downloaded model's AUC against the dataset's labels.
  const outsideAuc = pairwiseAuc(outside.probabilities, outside.labels);
  const shownAuc = Number((await page.getByTestId('auc').innerText()).replace('AUC', ''));
  console.log(`${engine}: AUC shown ${shownAuc}, downloaded model's by pair counting ${outsideAuc.toFixed(4)}`);
  expect(Math.abs(shownAuc - outsideAuc), engine).toBeLessThan(1e-3);
  await expect(page.getByTestId('roc-chart')).toBeVisible();

  // The short versions' accuracy shown is the downloaded model's on the same rules, read outside.
  const shortShown = page.getByTestId('short-versions');
  const short = await scoreShortVersionsOutside(zip, predictions);
  const shownSentence = Number(await shortShown.getAttribute('data-last-sentence'));
  const shownWords = Number(await shortShown.getAttribute('data-last-words'));
  console.log(
    `${engine}: short versions shown: last sentence ${(shownSentence * 100).toFixed(2)}%, last 20 words ` +
      `${(shownWords * 100).toFixed(2)}%; downloaded model in Node ${(short.lastSentence * 100).toFixed(2)}%, ` +
      `${(short.last20Words * 100).toFixed(2)}%`,
  );
  // Probabilities agree to ~1e-7, so at most a review or two sitting on 0.5 can differ.
  expect(Math.abs(shownSentence - short.lastSentence), engine).toBeLessThanOrEqual(2 / short.count);
  expect(Math.abs(shownWords - short.last20Words), engine).toBeLessThanOrEqual(2 / short.count);
  expect(short.count).toBe(predictions.probabilities.length);

  // The most confident mistake shown is a review of the dataset the model got wrong: its stars and
  // label are the dataset's, and its probability is the downloaded model's.
  const mistake = page.getByTestId('mistake').first();
  await expect(mistake).toBeVisible();
  const [label, id] = (await mistake.getAttribute('data-review'))!.split(':').map(Number);
  const row = Array.from(predictions.reviewIds).findIndex((r, i) => r === id && predictions.labels[i] === label);
  const review = readSplit('test').find((r) => r.id === id && r.label === label)!;
  expect(label).toBe(0); // the first kind shown: said positive, actually negative
  expect(outside.probabilities[row]!).toBeGreaterThan(0.5);
  expect(Math.abs(Number(await mistake.getAttribute('data-probability')) - outside.probabilities[row]!)).toBeLessThan(
    1e-4,
  );
  await expect(mistake).toContainText(`${review.rating}/10 stars`);
  await expect(mistake.locator('.token[data-effect]').first()).toBeVisible();

  // Searching the test reviews finds exactly the loaded test reviews the shards say contain the phrase.
  const phrase = 'waste of time';
  const inRun = new Set(Array.from(predictions.reviewIds, (r, i) => `${predictions.labels[i]}:${r}`));
  const expected = readSplit('test').filter(
    (r) => inRun.has(`${r.label}:${r.id}`) && r.text.toLowerCase().includes(phrase),
  ).length;
  await page.locator('input[name=review-search]').fill(phrase);
  await expect(page.getByTestId('search-count')).toContainText(`${expected} test reviews contain “${phrase}”`);
  await expect(page.getByTestId('search-result')).toHaveCount(Math.min(expected, 10));
  return {
    accuracy,
    numTensors: Number(/numTensors (\d+)/.exec(text)![1]),
    examplesPerSecond: Number(/([\d.]+) examples\/s/.exec(text)![1]),
    outside,
  };
}

/** Within half a point on the same reviews, and review by review within 1e-4. */
function expectReproduced(run: EngineRun, what: string): void {
  expect(Math.abs(run.outside.accuracy * 100 - run.accuracy), what).toBeLessThan(0.5);
  expect(Math.abs(run.outside.appAccuracy * 100 - run.accuracy), what).toBeLessThan(0.01);
  expect(run.outside.maxDifference, what).toBeLessThan(1e-4);
  expect(run.accuracy, what).toBeGreaterThan(60);
}

test('every engine: the downloaded model, scored outside the app, reproduces the test accuracy the app shows', async ({
  page,
}) => {
  test.setTimeout(ENGINES.length * 10 * 60_000);
  await startWasmInNode();
  await page.goto(`/?${SMALL_RUN}`);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
  const runs = new Map<EngineName, EngineRun>();
  for (const [i, engine] of ENGINES.entries()) {
    const run = await trainAndScore(page, engine, i + 1);
    expectReproduced(run, engine);
    runs.set(engine, run);
  }
  console.log(
    `examples/s: ${[...runs].map(([engine, r]) => `${engine} ${r.examplesPerSecond}`).join(', ')}; test accuracy ` +
      [...runs].map(([engine, r]) => `${engine} ${r.accuracy}%`).join(', '),
  );
  // Same initial weights and batch order; only the order of float additions differs.
  const [first, ...others] = [...runs.values()];
  for (const other of others) {
    expect(Math.abs(other.accuracy - first!.accuracy)).toBeLessThan(3);
    expect(other.numTensors).toBe(first!.numTensors);
  }
});

test('masked padding, length-bucketed batches, capped random windows and a decaying rate: the download reproduces the app', async ({
  page,
}) => {
  test.setTimeout(10 * 60_000);
  await startWasmInNode();
  await page.goto(
    `/?${SMALL_RUN}&maskZero=on&batchOrder=bucketed&windowShare=0.3&windowEndShare=0.5&windowMaxWords=12&learningRateDecay=0.7`,
  );
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
  const run = await trainAndScore(page, 'wasm', 1);
  expectReproduced(run, 'wasm, masked, bucketed');
  // The saved model is the masked one: plain tfjs read mask_zero from its model.json.
  await expect(page.getByTestId('run-summary')).toContainText('masked');
  await expect(page.getByTestId('run-shape')).toContainText(
    "30% of the training reviews read as random windows each epoch (50% of them a review's last words), at most 12 words long",
  );
});
