/**
 * A page that cannot run while the training worker goes on: the run keeps training, and when the
 * page runs again the charts catch up with every batch, none lost. A background tab has its timers
 * throttled (to once a second, later once a minute) and draws nothing; Playwright cannot hide a
 * page (every page it drives is visible, microsoft/playwright#2286) and CDP's
 * Page.setWebLifecycleState('frozen') left this page's timers running here, so the test does more
 * than a background tab would: it blocks the page's main thread outright for six seconds.
 */
import { expect, test } from '@playwright/test';

// 1,800 training reviews in batches of 32: 57 batches per epoch, 4 epochs.
const RUN =
  'trainReviews=2000&testReviews=500&maxlen=64&numWords=5000&epochs=4&batchSize=32&learningRate=0.003&engine=wasm';
const BATCHES = 4 * 57;
const BLOCKED_MS = 6000;

test('a page that stands still: the worker trains on, and the charts catch up with every batch when it runs again', async ({
  page,
}) => {
  test.setTimeout(6 * 60_000);
  await page.goto(`/?${RUN}`);
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const chartPoints = async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
  await expect.poll(chartPoints, { timeout: 120_000 }).toBeGreaterThanOrEqual(3);

  // A timer in the page notes the longest gap between its ticks: proof that the page stood still.
  await page.evaluate(() => {
    const ticks = { last: Date.now(), longestGap: 0 };
    (window as unknown as { __ticks: typeof ticks }).__ticks = ticks;
    window.setInterval(() => {
      const now = Date.now();
      ticks.longestGap = Math.max(ticks.longestGap, now - ticks.last);
      ticks.last = now;
    }, 50);
  });
  const blockedAt = Date.now();
  // No timer, message, render or input is handled while this runs.
  await page.evaluate((ms) => {
    const end = Date.now() + ms;
    while (Date.now() < end);
  }, BLOCKED_MS);
  const activeAt = Date.now();

  // The gap is noted by the first tick after the block, which may run after this test's next call.
  const readLongestGap = () =>
    page.evaluate(() => (window as unknown as { __ticks: { longestGap: number } }).__ticks.longestGap);
  await expect.poll(readLongestGap, { timeout: 10_000 }).toBeGreaterThan(BLOCKED_MS - 1000);
  const longestGap = await readLongestGap();

  await expect(page.getByTestId('run-summary')).toContainText('completed all epochs', { timeout: 4 * 60_000 });
  const ends = await page.evaluate(() => window.__sentimentLab!.batchEndTimes);
  // Batches the worker finished while the page stood still (a second's margin at either end).
  const whileBlocked = ends.filter((t) => t > blockedAt + 1000 && t < activeAt - 1000).length;
  console.log(
    `page blocked ${activeAt - blockedAt} ms (its timer stood still ${longestGap} ms); the worker trained ${whileBlocked} ` +
      `batches meanwhile; ${ends.length} of ${BATCHES} batches reached the page`,
  );
  expect(whileBlocked).toBeGreaterThan(0);
  expect(ends).toHaveLength(BATCHES);
  await expect.poll(chartPoints).toBe(BATCHES);
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(4);
});
