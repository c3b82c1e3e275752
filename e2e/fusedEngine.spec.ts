import { expect, test } from '@playwright/test';
import { TOOLS_URL } from '../playwright.config';
import { realBatches } from './lib/realBatches';

const ENGINE_CHECK = `${TOOLS_URL}engine-check.html`;

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
  await page.goto(ENGINE_CHECK);
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

test("the fused engine gives the stock model's probabilities and weight gradients", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(ENGINE_CHECK);
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
  await page.goto(ENGINE_CHECK);
  await page.waitForFunction(() => typeof window.__shaderCacheCheck === 'function');
  const { programsAfterBatch, distinctTokens } = await page.evaluate(() => window.__shaderCacheCheck!());
  console.log(`distinct tokens per batch ${distinctTokens.join(', ')}; programs ${programsAfterBatch.join(', ')}`);
  expect(new Set(distinctTokens).size).toBe(distinctTokens.length);
  // The first batches compile everything once; from then on the count must stay put.
  expect(programsAfterBatch.at(-1)).toBe(programsAfterBatch[2]);
});

/** max |actual − expected| / max |expected|: one tolerance for a whole weight tensor. */
function relativeToLargest(actual: readonly number[], expected: readonly number[]): number {
  let worst = 0;
  let largest = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
    largest = Math.max(largest, Math.abs(expected[i]!));
  }
  return worst / Math.max(largest, 1e-12);
}

test('the whole model through each engine on real padded reviews: probabilities and gradients', async ({ page }) => {
  test.setTimeout(300_000);
  // numWords 20,000: the embedding is the app's size, stored by tfjs in a squarified texture.
  const numWords = 20_000;
  // At maxlen 200 a third of IMDB reviews are shorter: long runs of padding in front of them.
  const { batches } = realBatches({ sizes: [32, 7, 128], maxlen: 200, numWords });
  const cases = batches.map(({ ids, labels }) => ({
    batch: labels.length,
    steps: 200,
    vocabulary: numWords,
    units: 16,
    ids,
    labels,
  }));
  for (const c of cases) expect(c.ids.filter((id) => id === 0).length, 'padding in the batch').toBeGreaterThan(0);
  await page.goto(ENGINE_CHECK);
  await page.waitForFunction(() => typeof window.__modelCheck === 'function');
  const results = await page.evaluate((cs) => window.__modelCheck!(cs), cases);
  for (const r of results) {
    const label = `real ids B=${r.batch} L=${r.steps}`;
    console.log(label, JSON.stringify(r.errors));
    expect(Object.keys(r.errors)).toHaveLength(2 + 6);
    for (const [name, error] of Object.entries(r.errors)) expect(error, `${label} ${name}`).toBeLessThan(1e-4);
    expect(r.numTensorsLeaked, label).toBe(0);
  }
});

test('50 optimizer steps on real batches: the fused engine stays the stock run, and its weights read back right', async ({
  browser,
}) => {
  test.setTimeout(15 * 60_000);
  // Batches of 32, then an odd last one; the app's vocabulary size (a squarified embedding texture).
  const { batches, vocabulary } = realBatches({
    sizes: [...Array<number>(50).fill(32), 21],
    maxlen: 64,
    numWords: 20_000,
  });
  const c = {
    batches,
    maxlen: 64,
    vocabulary,
    embeddingDim: 16,
    units: 16,
    optimizer: 'rmsprop' as const,
    learningRate: 0.003,
  };
  // Each engine in its own page: its own WebGL context and shader cache, as in the app's worker.
  const runWith = async (engine: 'stock' | 'fused') => {
    const page = await browser.newPage();
    await page.goto(ENGINE_CHECK);
    await page.waitForFunction(() => typeof window.__trainSteps === 'function');
    const result = await page.evaluate(([e, cs]) => window.__trainSteps!(e, cs), [engine, c] as const);
    await page.close();
    return result;
  };
  const stock = await runWith('stock');
  const fused = await runWith('fused');
  const lossGap = Math.max(...stock.losses.map((loss, i) => Math.abs(loss - fused.losses[i]!)));
  console.log(
    `losses: stock ${stock.losses.at(-1)}, fused ${fused.losses.at(-1)} after ${stock.losses.length} steps; largest gap ${lossGap}`,
  );
  expect(fused.losses).toHaveLength(51);
  expect(lossGap).toBeLessThan(1e-3);
  for (const [name, weights] of Object.entries(stock.weights)) {
    const error = relativeToLargest(fused.weights[name]!, weights);
    console.log(`${name}: relative difference ${error.toExponential(2)}`);
    expect(error, name).toBeLessThan(1e-3);
  }
  // The trained model through the engine and through tfjs's own layers, in the same page.
  expect(fused.predictionGap).toBeLessThan(1e-5);
  expect(fused.numTensorsLeaked).toBe(0);
  expect(stock.numTensorsLeaked).toBe(0);
});
