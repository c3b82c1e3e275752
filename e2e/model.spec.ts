import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoFreeze, longTasks, recordLongTasks, resetLongTasks } from './helpers';

// A tiny run on the real shards (npm run data): enough for a model whose outputs differ by review.
const TINY_RUN = 'trainReviews=400&testReviews=200&maxlen=48&numWords=3000&epochs=1&batchSize=32&learningRate=0.003';
const OUT = path.resolve('test-results', 'model-e2e');
const ZIP = path.join(OUT, 'downloaded-model.zip');
const REVIEWS = [
  'The visuals are stunning and the score is beautiful, but the story is thin. Worth seeing once, maybe.',
  // Longer than maxlen: exercises truncation on both sides of the comparison.
  'An awful, boring film with wooden acting and a silly plot. '.repeat(8) + 'Yet the last scene was great.',
];

test.describe.configure({ mode: 'serial' });

async function classify(page: Page, text: string): Promise<number> {
  await page.getByTestId('review-input').fill(text);
  const outcome = page.getByTestId('outcome');
  await expect(outcome).toHaveAttribute('data-stale', 'false');
  return Number(await page.getByTestId('probability').getAttribute('data-probability'));
}

/** Probabilities from scripts/plain-tfjs-predict.ts: plain @tensorflow/tfjs in Node, no app code. */
function plainTfjs(zip: string, texts: readonly string[]): number[] {
  const files = texts.map((text, i) => {
    const file = path.join(OUT, `review-${i}.txt`);
    writeFileSync(file, text);
    return file;
  });
  const stdout = execFileSync('npx', ['tsx', 'scripts/plain-tfjs-predict.ts', zip, ...files], { encoding: 'utf8' });
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  return (JSON.parse(line!) as { probabilities: number[] }).probabilities;
}

let trainedProbabilities: number[] = [];

test('trains a tiny model, classifies as you type, downloads it, and plain tfjs agrees to 1e-5', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  mkdirSync(OUT, { recursive: true });
  await page.goto(`/?${TINY_RUN}`);
  await expect(page.getByTestId('no-model')).toBeVisible();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 8 * 60_000 });
  await expect(page.getByTestId('current-model')).toContainText('trained in this page');

  // Typing: every keystroke may start a prediction; the last text's result is what stays.
  const input = page.getByTestId('review-input');
  await input.pressSequentially('This film was not good', { delay: 30 });
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-stale', 'false');
  await expect(page.getByTestId('tokens')).toHaveText(/this\s*film\s*was\s*not\s*good$/);
  await expect(page.getByTestId('prediction-time')).toContainText('ms in the worker');
  // The Classify box runs on the WebAssembly kernels (the probabilities below are held to plain tfjs).
  await expect(page.getByTestId('forward-pass')).toHaveText('by the WebAssembly SIMD kernels');

  trainedProbabilities = [];
  for (const review of REVIEWS) trainedProbabilities.push(await classify(page, review));
  console.log(`page probabilities: ${trainedProbabilities.join(', ')}`);
  expect(trainedProbabilities[0]).not.toBe(trainedProbabilities[1]);
  await expect(page.getByTestId('truncated-note')).toContainText('the last 48 of');

  // Kept in the browser as soon as it is trained.
  await expect(page.getByTestId('saved-model')).toHaveCount(1);

  await page.getByRole('button', { name: 'Mixed' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-stale', 'false');
  // The Classify and Models panels, in page coordinates.
  const clip = await page.evaluate(() => {
    const box = (id: string) => document.getElementById(id)!.closest('section')!.getBoundingClientRect();
    const top = box('classify-title');
    const bottom = box('models-title');
    return {
      x: top.x - 12,
      y: top.y + window.scrollY - 12,
      width: top.width + 24,
      height: bottom.bottom - top.top + 24,
    };
  });
  await page.screenshot({ path: 'docs/screenshot-classify.png', fullPage: true, clip });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download zip' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  await download.saveAs(ZIP);
  for (const name of ['model.json', 'model.weights.bin', 'tokenizer.json', 'metadata.json']) {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name, exact: true }).click(),
    ]);
    expect(file.suggestedFilename()).toBe(name);
    await file.saveAs(path.join(OUT, 'separate', name));
  }
  const metadata = JSON.parse(readFileSync(path.join(OUT, 'separate', 'metadata.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  expect(metadata).toMatchObject({ maxlen: 48, padding: 'pre', truncating: 'pre', numWords: 3000 });
  expect((metadata.dataset as { sourceSha256: string }).sourceSha256).toMatch(/^[0-9a-f]{64}$/);

  const plain = plainTfjs(ZIP, REVIEWS);
  console.log(`plain tfjs probabilities: ${plain.join(', ')}`);
  plain.forEach((p, i) => expect(Math.abs(p - trainedProbabilities[i]!)).toBeLessThan(1e-5));
});

test('after a reload the saved model is listed, loaded and gives the same probabilities', async ({ page }) => {
  // Same browser storage as a reload: a fresh context would have none, so this test saves its own
  // model by loading the zip, then reloads.
  await page.goto('/');
  await page.getByTestId('model-file-input').setInputFiles(ZIP);
  await expect(page.getByTestId('current-model')).toContainText('loaded from files');
  for (const [i, review] of REVIEWS.entries()) {
    expect(Math.abs((await classify(page, review)) - trainedProbabilities[i]!)).toBeLessThan(1e-5);
  }
  await expect(page.getByTestId('saved-model')).toHaveCount(1);

  await page.reload();
  await expect(page.getByTestId('current-model')).toContainText('loaded from this browser');
  await expect(page.getByTestId('saved-model')).toHaveCount(1);
  await expect(page.getByTestId('saved-model')).toHaveAttribute('data-current', 'true');
  for (const [i, review] of REVIEWS.entries()) {
    expect(Math.abs((await classify(page, review)) - trainedProbabilities[i]!)).toBeLessThan(1e-5);
  }

  // Rename survives a reload; delete empties the list.
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('New name').fill('my tiny model');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByTestId('saved-model-name')).toHaveText('my tiny model');
  await page.reload();
  await expect(page.getByTestId('current-model-name')).toHaveText('my tiny model');
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('no-saved-models')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('no-model')).toBeVisible();
});

test('separate files load too; malformed files get a clear message and the old model keeps working', async ({
  page,
}) => {
  await page.goto('/');
  const separate = (name: string) => path.join(OUT, 'separate', name);
  const payload = (name: string) => ({
    name,
    mimeType: 'application/octet-stream',
    buffer: readFileSync(separate(name)),
  });
  await page
    .getByTestId('model-file-input')
    .setInputFiles(['model.json', 'model.weights.bin', 'tokenizer.json', 'metadata.json'].map(separate));
  await expect(page.getByTestId('current-model')).toContainText('loaded from files');
  const before = await classify(page, REVIEWS[0]!);
  expect(Math.abs(before - trainedProbabilities[0]!)).toBeLessThan(1e-5);

  const zip = readFileSync(ZIP);
  const error = page.getByTestId('model-load-error');
  const cases: Array<{ files: Parameters<Page['setInputFiles']>[1]; message: RegExp }> = [
    {
      files: { name: 'broken.zip', mimeType: 'application/zip', buffer: zip.subarray(0, zip.length >> 1) },
      message: /broken\.zip is not a readable zip file/,
    },
    {
      files: [separate('model.json'), separate('model.weights.bin'), separate('metadata.json')],
      message: /No tokenizer\.json was given/,
    },
    {
      files: [
        payload('model.json'),
        payload('tokenizer.json'),
        payload('metadata.json'),
        { name: 'model.weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1000) },
      ],
      message: /The weights file holds 1,000 bytes, but model\.json describes 6 float32 weights/,
    },
    {
      files: { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"modelTopology": [') },
      message: /model\.json is not valid JSON/,
    },
  ];
  for (const c of cases) {
    await page.getByTestId('model-file-input').setInputFiles(c.files);
    await expect(error).toContainText(c.message);
    await expect(error).toContainText('is still loaded');
    expect(await classify(page, REVIEWS[0]!)).toBe(before);
  }

  // Drag and drop: the zip dropped on the drop zone replaces the failed attempt's message.
  await page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped.zip', { type: 'application/zip' }));
    const zone = document.querySelector('[data-testid=drop-zone]')!;
    for (const type of ['dragover', 'drop'])
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, zip.toString('base64'));
  await expect(error).toBeHidden();
  await expect(page.getByTestId('current-model')).toContainText('loaded from files');
  expect(await classify(page, REVIEWS[0]!)).toBe(before);
  // The same model loaded twice is saved once.
  await expect(page.getByTestId('saved-model')).toHaveCount(1);
});

test('bad input gets an answer, not a crash', async ({ page }) => {
  await recordLongTasks(page);
  await page.goto('/');
  await page.getByTestId('model-file-input').setInputFiles(ZIP);
  await expect(page.getByTestId('current-model')).toBeVisible();
  const input = page.getByTestId('review-input');

  await input.fill('');
  await expect(page.getByTestId('classify-hint')).toContainText('Type or paste a review');
  await expect(page.getByTestId('probability')).toHaveCount(0);
  await input.fill('?!... ---');
  await expect(page.getByTestId('classify-hint')).toContainText('No words to read');
  await expect(page.getByTestId('probability')).toHaveCount(0);

  await classify(page, 'zzqxv blorptang quuxify');
  await expect(page.getByTestId('oov-note')).toBeVisible();
  await expect(page.getByTestId('oov-count')).toHaveText('3');

  // Markup is text: shown, never run.
  await classify(page, '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> great');
  await expect(page.getByTestId('review-input')).toHaveValue(/<script>/);
  await expect(page.getByTestId('tokens')).toContainText('onerror');
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('img[src=x]').count()).toBe(0);

  await classify(page, 'Loved it 😍 素晴らしい映画 Фильм отличный');
  await expect(page.getByTestId('tokens')).toContainText('😍');
  await expect(page.getByTestId('tokens')).toContainText('фильм');

  // A 1 MB paste: truncated as trained, answered, and the page stays responsive.
  const huge = 'a truly wonderful and moving film '.repeat(31_000);
  await resetLongTasks(page);
  await classify(page, huge);
  await expect(page.getByTestId('truncated-note')).toContainText('the last 48 of');
  const tasks = await longTasks(page);
  console.log(`long tasks around a 1 MB paste: ${tasks.map((t) => t.toFixed(0)).join(', ') || 'none'}`);
  expectNoFreeze(tasks, 'around a 1 MB paste');
  await input.pressSequentially(' bad', { delay: 20 });
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-stale', 'false');
});

test('explains a prediction word by word, and plain tfjs on the download agrees with every figure', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('model-file-input').setInputFiles(ZIP);
  await expect(page.getByTestId('current-model')).toBeVisible();
  const text = 'The visuals are stunning and the score is beautiful, but the story is thin.';
  await classify(page, text);
  const explanation = page.getByTestId('word-by-word');
  await expect(explanation).toBeVisible();
  const words = (await page.getByTestId('tokens').locator('.token').allInnerTexts()).map((w) => w.trim());
  await expect(page.getByTestId('prefix-chart')).toHaveAttribute('data-points', String(words.length));
  await expect(page.getByTestId('tokens').locator('.token[data-effect]')).toHaveCount(words.length);
  await expect(page.getByTestId('word-legend')).toContainText('towards positive');

  // As read: P(positive) after each word is the downloaded model's prediction for the text cut there.
  await explanation.getByText('Every word in numbers').click();
  const rows = page.getByTestId('word-table').locator('tbody tr');
  await expect(rows).toHaveCount(words.length);
  const prefixP = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-p'))));
  const prefixes = words.map((_, k) => words.slice(0, k + 1).join(' '));
  // tfjs computes in float32 and the page in float64: within 1e-4, as the truth tests (measured: ~2e-5 at most).
  const prefixGaps = plainTfjs(ZIP, prefixes).map((p, k) => Math.abs(p - prefixP[k]!));
  console.log(`prefix probabilities: largest gap to plain tfjs ${Math.max(...prefixGaps).toExponential(1)}`);
  prefixGaps.forEach((gap, k) => expect(gap, prefixes[k]).toBeLessThan(1e-4));
  expect(
    Math.abs(prefixP.at(-1)! - Number(await page.getByTestId('probability').getAttribute('data-probability'))),
  ).toBeLessThan(1e-6);

  // Leave one out: each figure is the downloaded model's prediction for the text without that word.
  await page.getByLabel('Leave one word out').check();
  await expect(page.getByTestId('leave-one-out-time')).toContainText(`${words.length} predictions`);
  const withoutP = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-p'))));
  const withouts = words.map((_, k) => [...words.slice(0, k), ...words.slice(k + 1)].join(' '));
  const withoutGaps = plainTfjs(ZIP, withouts).map((p, k) => Math.abs(p - withoutP[k]!));
  console.log(`leave-one-out probabilities: largest gap to plain tfjs ${Math.max(...withoutGaps).toExponential(1)}`);
  withoutGaps.forEach((gap, k) => expect(gap, withouts[k]).toBeLessThan(1e-4));

  const clip = await page.evaluate(() => {
    const box = document.getElementById('classify-title')!.closest('section')!.getBoundingClientRect();
    return { x: box.x - 12, y: box.y + window.scrollY - 12, width: box.width + 24, height: box.height + 24 };
  });
  await page.screenshot({ path: 'docs/screenshot-explain.png', fullPage: true, clip });
});

test('a full browser storage gives a clear message and the model still works', async ({ page }) => {
  await page.addInitScript(() => {
    IDBObjectStore.prototype.add = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.goto('/');
  await page.getByTestId('model-file-input').setInputFiles(ZIP);
  await expect(page.getByTestId('storage-error')).toContainText('storage quota for this site is full');
  await expect(page.getByTestId('current-model')).toContainText('loaded from files');
  expect(Math.abs((await classify(page, REVIEWS[0]!)) - trainedProbabilities[0]!)).toBeLessThan(1e-5);
});
