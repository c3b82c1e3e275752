import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

// The small configuration of e2e/training.spec.ts (the baseline reads words, so maxlen and numWords do not matter to it).
const SMALL_RUN = 'trainReviews=2000&testReviews=1000&maxlen=64&numWords=5000';
const OUT = path.resolve('test-results', 'baseline-e2e');
const ZIP = path.join(OUT, 'baseline.zip');
const REVIEWS = [
  'One of the best films I have seen in years. The acting is superb and the ending moved me.',
  'This is not a good movie. The plot makes no sense and the acting is wooden; a waste of time.',
];

async function classify(page: Page, text: string): Promise<number> {
  await page.getByTestId('review-input').fill(text);
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-stale', 'false');
  return Number(await page.getByTestId('probability').getAttribute('data-probability'));
}

/** Probabilities from scripts/baseline-predict.ts: its own reading of the zip, no app code. */
function outside(zip: string, texts: readonly string[]): number[] {
  const files = texts.map((text, i) => {
    const file = path.join(OUT, `review-${i}.txt`);
    writeFileSync(file, text);
    return file;
  });
  const stdout = execFileSync('npx', ['tsx', 'scripts/baseline-predict.ts', zip, ...files], { encoding: 'utf8' });
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  return (JSON.parse(line!) as { probabilities: number[] }).probabilities;
}

test('trains the baseline in one click, draws its line on the chart, classifies with it, downloads and loads it back', async ({
  page,
}) => {
  test.setTimeout(5 * 60_000);
  mkdirSync(OUT, { recursive: true });
  await page.goto(`/?${SMALL_RUN}`);
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Train the baseline' }).click();
  const block = page.getByTestId('baseline');
  await expect(block).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

  // Its figures: test accuracy and training time, beside the LSTM's row (not trained here).
  const accuracy = Number((await page.getByTestId('baseline-accuracy').innerText()).replace('%', ''));
  const seconds = Number((await page.getByTestId('baseline-seconds').innerText()).replace(' s', ''));
  console.log(`baseline on the small configuration: test accuracy ${accuracy}%, trained in ${seconds} s`);
  expect(accuracy).toBeGreaterThan(75);
  expect(seconds).toBeLessThan(60);
  await expect(page.getByTestId('baseline-summary')).toContainText('on 1,800 reviews'); // 2,000 less the 10% validation
  await expect(page.getByTestId('baseline-summary')).toContainText('on 1,000');
  await expect(page.getByTestId('lstm-accuracy')).toHaveText('not trained yet');

  // The accuracy chart: the article's 84% and the baseline's test accuracy as reference lines.
  const chart = page.getByTestId('accuracy-chart');
  const references = ((await chart.getAttribute('data-references')) ?? '').split(' ');
  expect(references[0]).toBe('article:0.84');
  expect(references[1]).toMatch(/^baseline:/);
  expect(Math.abs(Number(references[1]!.slice('baseline:'.length)) * 100 - accuracy)).toBeLessThan(0.005);
  await expect(chart.locator('.recharts-reference-line')).toHaveCount(2);
  await expect(chart).toContainText('Keras article 84%');
  await expect(chart).toContainText(`Baseline (NBSVM) test ${accuracy.toFixed(1)}%`);

  // The Classify box uses it, with its own word weights as the explanation.
  await expect(page.getByTestId('current-model')).toHaveAttribute('data-kind', 'baseline');
  await expect(page.getByTestId('classify-model')).toContainText('NBSVM baseline');
  const inPage: number[] = [];
  for (const review of REVIEWS) inPage.push(await classify(page, review));
  console.log(`page probabilities: ${inPage.join(', ')}`);
  expect(inPage[0]).toBeGreaterThan(0.5);
  expect(inPage[1]).toBeLessThan(0.5);
  await expect(page.getByTestId('forward-pass')).toContainText("by the baseline's linear model");
  await expect(page.getByTestId('baseline-reading')).toContainText('bigrams of its dictionary');
  await expect(page.getByTestId('word-by-word')).toBeVisible();
  // Each word's figures name the n-grams it added and their weights.
  await expect(page.locator('.tokens [title*="“acting”"]').first()).toBeVisible();

  await page.getByRole('heading', { name: '2 · Train' }).scrollIntoViewIfNeeded();
  const clip = await page.evaluate(() => {
    const section = document.getElementById('training-title')!.closest('section')!;
    const top = section.querySelector('[data-testid=baseline]')!.getBoundingClientRect();
    const bottom = section.querySelector('[data-testid=accuracy-chart]')!.getBoundingClientRect();
    const box = section.getBoundingClientRect();
    return { x: box.x, y: top.y + window.scrollY - 12, width: box.width, height: bottom.bottom - top.top + 24 };
  });
  await page.screenshot({ path: 'docs/screenshot-baseline.png', fullPage: true, clip });

  // Download: the zip, scored outside the app by its own reader, gives the page's probabilities.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download zip' }).click(),
  ]);
  await download.saveAs(ZIP);
  const zipped = unzipSync(new Uint8Array(readFileSync(ZIP)));
  expect(Object.keys(zipped).sort()).toEqual(['baseline.json', 'features.txt', 'weights.bin']);
  const plain = outside(ZIP, REVIEWS);
  console.log(`outside probabilities: ${plain.join(', ')}`);
  plain.forEach((p, i) => expect(Math.abs(p - inPage[i]!)).toBeLessThan(1e-6));

  // Saved in the browser: listed after a reload and brought back as the current model.
  await page.reload();
  await expect(page.getByTestId('saved-model')).toHaveCount(1);
  await expect(page.getByTestId('saved-model')).toContainText('NBSVM baseline');
  await expect(page.getByTestId('current-model')).toHaveAttribute('data-kind', 'baseline');
  expect(Math.abs((await classify(page, REVIEWS[0]!)) - inPage[0]!)).toBeLessThan(1e-9);

  // A broken copy is named and refused; the loaded model stays.
  const broken = path.join(OUT, 'broken.zip');
  writeFileSync(broken, zipSync({ ...zipped, 'weights.bin': zipped['weights.bin']!.slice(0, 40) }));
  await page.getByTestId('model-file-input').setInputFiles(broken);
  await expect(page.getByTestId('model-load-error')).toContainText('weights.bin holds 40 bytes');
  await expect(page.getByTestId('current-model')).toHaveAttribute('data-kind', 'baseline');
  const noFeatures = path.join(OUT, 'no-features.zip');
  writeFileSync(
    noFeatures,
    zipSync({ 'baseline.json': zipped['baseline.json']!, 'weights.bin': zipped['weights.bin']! }),
  );
  await page.getByTestId('model-file-input').setInputFiles(noFeatures);
  await expect(page.getByTestId('model-load-error')).toContainText('No features.txt was given');

  // Deleted from the list, then loaded back from the downloaded zip: the same probabilities.
  await page.getByTestId('saved-model').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('no-saved-models')).toBeVisible();
  await page.getByTestId('model-file-input').setInputFiles(ZIP);
  await expect(page.getByTestId('current-model')).toContainText('loaded from files');
  await expect(page.getByTestId('saved-model')).toHaveCount(1);
  for (const [i, review] of REVIEWS.entries())
    expect(Math.abs((await classify(page, review)) - inPage[i]!)).toBeLessThan(1e-9);
});
