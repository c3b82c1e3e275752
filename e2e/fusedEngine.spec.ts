import { expect, test } from '@playwright/test';

/**
 * The fused WebGL LSTM against tfjs's own LSTM layer: forward output and every gradient equal to
 * 1e-4 (relative where values exceed 1), on several shapes, including batch 1, odd batches and
 * lengths, and the default model's B=128, L=200, 128 units.
 */
const DEFAULT_CASES = [
  { batch: 1, steps: 1, units: 8, inputDim: 5 },
  { batch: 1, steps: 7, units: 8, inputDim: 6 },
  { batch: 7, steps: 7, units: 8, inputDim: 12 },
  { batch: 3, steps: 200, units: 8, inputDim: 4 },
  { batch: 1, steps: 200, units: 128, inputDim: 128 },
  { batch: 5, steps: 1, units: 128, inputDim: 16 },
  { batch: 128, steps: 7, units: 128, inputDim: 128 },
  { batch: 128, steps: 200, units: 128, inputDim: 128 },
  { batch: 40, steps: 200, units: 128, inputDim: 128 },
];
/** ENGINE_CASES='[{"batch":…}]' runs other shapes, e.g. while debugging. */
const CASES = process.env.ENGINE_CASES ? (JSON.parse(process.env.ENGINE_CASES) as typeof DEFAULT_CASES) : DEFAULT_CASES;

test('the fused LSTM matches tfjs stock forward and gradients on WebGL', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('engine-check.html');
  await page.waitForFunction(() => typeof window.__engineCheck === 'function');
  expect(await page.evaluate(() => window.__engineBackend)).toBe('webgl');
  const results = await page.evaluate((cases) => window.__engineCheck!(cases), CASES);
  const labelOf = (r: (typeof results)[number]) => `B=${r.batch} L=${r.steps} H=${r.units} E=${r.inputDim}`;
  for (const r of results)
    console.log(labelOf(r), 'errors', JSON.stringify(r.errors), 'magnitudes', JSON.stringify(r.magnitudes));
  for (const r of results) {
    const label = labelOf(r);
    for (const [name, error] of Object.entries(r.errors)) expect(error, `${label} ${name}`).toBeLessThan(1e-4);
    // A comparison between two zero tensors would prove nothing.
    // (At L=1 the recurrent kernel's gradient is exactly zero: it multiplies the zero initial state.)
    for (const [name, magnitude] of Object.entries(r.magnitudes))
      if (!(name === 'dRecurrent' && r.steps === 1)) expect(magnitude, `${label} ${name}`).toBeGreaterThan(1e-3);
    expect(r.numTensorsLeaked, label).toBe(0);
  }
});

// Same small configuration and seed as the training test, trained once with each engine.
const SMALL_RUN = 'trainReviews=2000&testReviews=1000&maxlen=64&numWords=5000&epochs=2&batchSize=32&learningRate=0.003';

test('training with the fused engine reaches the accuracy of stock tfjs on the same data and seed', async ({
  page,
}) => {
  test.setTimeout(15 * 60_000);
  await page.goto(`/?${SMALL_RUN}&engine=stock`);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
  const summary = page.getByTestId('run-summary');
  const accuracyOf = async (engine: 'stock' | 'fused', run: number) => {
    await expect(page.locator('select[name=engine]')).toHaveValue(engine);
    await page.getByRole('button', { name: run === 1 ? 'Train' : 'Train again', exact: true }).click();
    await expect(summary).toContainText(`Run ${run} ·`, { timeout: 10 * 60_000 });
    await expect(page.getByTestId('test-accuracy')).toBeVisible();
    await expect(summary).toContainText(`engine ${engine}`);
    const text = await summary.innerText();
    return {
      accuracy: Number((await page.getByTestId('test-accuracy').innerText()).replace('%', '')),
      numTensors: Number(/numTensors (\d+)/.exec(text)![1]),
      examplesPerSecond: Number(/([\d.]+) examples\/s/.exec(text)![1]),
    };
  };
  const stock = await accuracyOf('stock', 1);
  await page.locator('select[name=engine]').selectOption('fused');
  const fused = await accuracyOf('fused', 2);
  console.log(`test accuracy: stock ${stock.accuracy}%, fused ${fused.accuracy}%`);
  console.log(`examples/s: stock ${stock.examplesPerSecond}, fused ${fused.examplesPerSecond}`);
  expect(stock.accuracy).toBeGreaterThan(60);
  expect(fused.accuracy).toBeGreaterThan(60);
  // Same initial weights and batch order; only the order of float additions differs.
  expect(Math.abs(fused.accuracy - stock.accuracy)).toBeLessThan(3);
  expect(fused.numTensors).toBe(stock.numTensors);
});

test("the fused engine gives the stock model's probabilities and weight gradients", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('engine-check.html');
  await page.waitForFunction(() => typeof window.__modelCheck === 'function');
  const results = await page.evaluate(() =>
    window.__modelCheck!([
      { batch: 1, steps: 9, vocabulary: 50, units: 8 },
      // odd: a padded batch row; 230 steps: the projection gradient needs two scatter dispatches
      { batch: 7, steps: 33, vocabulary: 300, units: 16 },
      { batch: 6, steps: 230, vocabulary: 300, units: 16 },
      { batch: 128, steps: 200, vocabulary: 2000, units: 32 },
    ]),
  );
  for (const r of results) {
    const label = `B=${r.batch} L=${r.steps} V=${r.vocabulary} H=${r.units}`;
    console.log(label, JSON.stringify(r.errors));
    expect(Object.keys(r.errors)).toHaveLength(2 + 6); // probabilities, loss, and six weights
    for (const [name, error] of Object.entries(r.errors)) expect(error, `${label} ${name}`).toBeLessThan(1e-4);
    expect(r.numTensorsLeaked, label).toBe(0);
  }
});

test('batches with different distinct-token counts do not compile new shaders every batch', async ({ page }) => {
  await page.goto('engine-check.html');
  await page.waitForFunction(() => typeof window.__shaderCacheCheck === 'function');
  const { programsAfterBatch, distinctTokens } = await page.evaluate(() => window.__shaderCacheCheck!());
  console.log(`distinct tokens per batch ${distinctTokens.join(', ')}; programs ${programsAfterBatch.join(', ')}`);
  expect(new Set(distinctTokens).size).toBe(distinctTokens.length);
  // The first batches compile everything once; from then on the count must stay put.
  expect(programsAfterBatch.at(-1)).toBe(programsAfterBatch[2]);
});
