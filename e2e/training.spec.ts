import { expect, test } from '@playwright/test';
import { expectNoFreeze, longTasks, recordLongTasks, resetLongTasks } from './helpers';

// Trains on the real shards built by `npm run data`, on WebGL (software-rendered here).
// engine=fused: this test is about training on WebGL (auto would pick WebAssembly on software WebGL).
const SMALL_RUN =
  'trainReviews=2000&testReviews=1000&maxlen=64&numWords=5000&epochs=2&batchSize=32&learningRate=0.003&engine=fused';

test('trains on WebGL with live charts and progress, evaluates on the test set, and stops on request', async ({
  page,
}) => {
  test.setTimeout(15 * 60_000);
  await recordLongTasks(page);
  await page.goto(`/?${SMALL_RUN}`);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
  await expect(page.getByTestId('backend')).toContainText('SwiftShader');
  await expect(page.locator('input[name=maxlen]')).toHaveValue('64');

  // Run 1: to the end.
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.dblclick();
  await expect(page.getByRole('button', { name: 'Train again' })).toBeDisabled();
  await expect(page.getByTestId('training-progress')).toBeVisible({ timeout: 120_000 });
  await resetLongTasks(page);
  await expect(page.getByTestId('loss-chart')).not.toHaveAttribute('data-points', '0', { timeout: 120_000 });
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 10 * 60_000 });
  const tasks = await longTasks(page);
  console.log(
    `long tasks during training: ${tasks.length ? tasks.map((t) => t.toFixed(0)).join(', ') + ' ms' : 'none'}`,
  );
  expectNoFreeze(tasks, 'during training');

  await expect(page.getByRole('progressbar', { name: 'Training' })).toHaveAttribute('aria-valuenow', '100');
  const points = Number(await page.getByTestId('accuracy-chart').getAttribute('data-points'));
  expect(points).toBe(2 * 57); // 1,800 training reviews in batches of 32, two epochs
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  const accuracy = Number((await page.getByTestId('test-accuracy').innerText()).replace('%', ''));
  console.log(`test accuracy after run 1: ${accuracy}%`);
  expect(accuracy).toBeGreaterThan(60);
  // Only the kept model's weights remain: 3 layers' kernels and biases plus the embedding.
  const summary = page.getByTestId('run-summary');
  await expect(summary).toContainText('Run 1 ·'); // the double click started one run, not two
  const tensorsAfterRun1 = Number(/numTensors (\d+)/.exec(await summary.innerText())![1]);
  expect(await page.evaluate(() => document.querySelectorAll('.recharts-wrapper').length)).toBeGreaterThanOrEqual(2);

  await page.getByRole('heading', { name: '2 · Train' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshot-training.png', fullPage: true });

  // Run 2: same settings, stopped mid-epoch; the weights are kept and no tensor is left behind.
  await page.getByRole('button', { name: 'Train again' }).click();
  await expect(summary).toBeHidden();
  await expect
    .poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')), { timeout: 120_000 })
    .toBeGreaterThanOrEqual(2);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(summary).toContainText('Run 2 · stopped by you', { timeout: 60_000 });
  await expect(summary).toContainText('No test evaluation');
  const tensorsAfterRun2 = Number(/numTensors (\d+)/.exec(await summary.innerText())![1]);
  expect(tensorsAfterRun2).toBe(tensorsAfterRun1);
  await expect(page.getByRole('button', { name: 'Train again' })).toBeEnabled();
});

test('invalid settings from the URL are named before anything starts', async ({ page }) => {
  await page.goto('/?batchSize=0&learningRate=-1');
  await expect(page.getByTestId('settings-invalid')).toBeVisible();
  await expect(page.getByText('Batch size must be from 1 to 4096.')).toBeVisible();
  await expect(page.getByText('Learning rate must be above 0 and up to 10.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await page.locator('input[name=batchSize]').fill('64');
  await page.locator('input[name=learningRate]').fill('0.001');
  await expect(page.getByTestId('settings-invalid')).toBeHidden();
  expect(page.url()).toContain('batchSize=64');
});

test('without WebGL the app trains on wasm, and says which backend it uses', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  await page.goto('/?backend=wasm&trainReviews=500&testReviews=500&maxlen=32&numWords=2000&epochs=1&batchSize=64');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 8 * 60_000 });
  await expect(page.getByTestId('run-summary')).toContainText('wasm');
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(1);
});

test('auto picks the WebAssembly engine on software WebGL, says why, keeps the page responsive, and stops', async ({
  page,
}) => {
  test.setTimeout(10 * 60_000);
  await recordLongTasks(page);
  // Long reviews and small batches: long enough an epoch for Stop to land in its middle.
  await page.goto('/?trainReviews=4000&testReviews=500&maxlen=200&epochs=2&batchSize=32');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await expect(page.locator('select[name=engine]')).toHaveValue('auto');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const engine = page.getByTestId('engine-in-use');
  await expect(engine).toHaveAttribute('data-engine', 'wasm', { timeout: 120_000 });
  await expect(engine).toContainText('because WebGL here is software-rendered');
  // One thread per core, sharing one WebAssembly memory (the page is cross-origin isolated).
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(engine).toHaveAttribute('data-threads', String(Math.min(cores, 32)));
  await resetLongTasks(page);
  await expect
    .poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')), { timeout: 120_000 })
    .toBeGreaterThanOrEqual(3);
  const stopAt = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Stop' }).click();
  const summary = page.getByTestId('run-summary');
  await expect(summary).toContainText('Run 1 · stopped by you', { timeout: 60_000 });
  const starts = await page.evaluate(() => window.__longTaskStarts);
  console.log(`long tasks started at ${starts.map((t) => (t - stopAt).toFixed(0)).join(', ')} ms from Stop`);
  await expect(summary).toContainText(
    'engine wasm (auto: the WebAssembly engine, because WebGL here is software-rendered',
  );
  // Stopped mid-epoch: fewer batches than one epoch's 113.
  const points = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
  expect(points).toBeLessThan(113);
  await expect(page.getByTestId('self-check')).toHaveAttribute('data-passed', 'true');
  const tasks = await longTasks(page);
  console.log(
    `auto → wasm: ${points} batches before Stop; long tasks ${tasks.map((t) => t.toFixed(0)).join(', ') || 'none'}`,
  );
  expectNoFreeze(tasks, 'while the WebAssembly engine trained and stopped');
});

test('a page that is not cross-origin isolated trains the WebAssembly engine on one thread, and says why', async ({
  page,
}) => {
  test.setTimeout(5 * 60_000);
  // The page as a static host without the isolation headers would serve it.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await page.goto('/?trainReviews=1000&testReviews=200&maxlen=32&numWords=2000&epochs=1&batchSize=32&engine=wasm');
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const engine = page.getByTestId('engine-in-use');
  await expect(engine).toHaveAttribute('data-engine', 'wasm', { timeout: 120_000 });
  await expect(engine).toHaveAttribute('data-threads', '1');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores > 1) await expect(engine).toContainText('this page is not cross-origin isolated');
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('run-summary')).toContainText('on 1 thread');
});

test('the presets set the Recommended settings and go back to the article\u2019s in one click', async ({ page }) => {
  await page.goto('/');
  const presets = page.getByTestId('presets');
  await expect(presets.getByRole('button', { name: "Keras article's (default)" })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await presets.getByRole('button', { name: 'Recommended' }).click();
  await expect(presets.getByRole('button', { name: 'Recommended' })).toHaveAttribute('aria-pressed', 'true');
  for (const part of [
    'maxlen=500',
    'maskZero=on',
    'batchOrder=bucketed',
    'windowShare=0.5',
    'windowEndShare=1',
    'learningRateDecay=0.6',
    'earlyStoppingPatience=3',
  ])
    expect(page.url()).toContain(part);
  await expect(page.locator('select[name=maskZero]')).toHaveValue('on');
  await presets.getByRole('button', { name: "Keras article's (default)" }).click();
  expect(new URL(page.url()).search).toBe('');
});
