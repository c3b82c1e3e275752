import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';

// A small run of 3 epochs on the real shards, on the WebAssembly engine (2 threads here).
const RUN =
  'trainReviews=2000&testReviews=1000&maxlen=64&numWords=5000&epochs=3&batchSize=32&learningRate=0.003&engine=wasm';

/** The finished run's downloaded weights (model.weights.bin of the zip), as floats. */
async function downloadedWeights(page: Page): Promise<Float32Array> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download zip' }).click(),
  ]);
  const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const bin = files['model.weights.bin']!;
  return new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
}

test('a run cut by a reload, or stopped, goes on from its checkpoint and ends with the uninterrupted run’s weights', async ({
  page,
}) => {
  test.setTimeout(10 * 60_000);
  await page.goto(`/?${RUN}`);
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });

  // The same run, left alone.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Run 1 ·', { timeout: 4 * 60_000 });
  const straight = await downloadedWeights(page);
  // A finished run leaves no checkpoint behind.
  await expect(page.getByTestId('unfinished-runs')).toHaveCount(0);

  await page.getByRole('button', { name: 'Train again', exact: true }).click();
  await expect(page.getByTestId('checkpoint-status')).toHaveAttribute('data-epoch', '1', { timeout: 4 * 60_000 });
  // Cut as soon as epoch 1 is checkpointed; on a fast machine epoch 2 may still finish first, so the run resumes
  // from whichever checkpoint the reload left (it must be before the last epoch).
  await page.reload();

  const unfinished = page.getByTestId('unfinished-run');
  await expect(unfinished).toHaveCount(1, { timeout: 60_000 });
  const epoch = Number(await unfinished.getAttribute('data-epoch'));
  expect([1, 2]).toContain(epoch);
  await unfinished.getByRole('button', { name: `Resume from epoch ${epoch} of 3` }).click();
  await expect(page.getByTestId('checkpoint-status')).toContainText(`Resumed from the checkpoint after epoch ${epoch}`);
  await expect(page.getByTestId('run-summary')).toContainText('Run 1 ·', { timeout: 4 * 60_000 });
  // The whole run's history: all three epochs in the table, the first ones from before the reload.
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(3);
  const resumed = await downloadedWeights(page);

  expect(resumed.length).toBe(straight.length);
  let largest = 0;
  for (let i = 0; i < straight.length; i++) largest = Math.max(largest, Math.abs(resumed[i]! - straight[i]!));
  console.log(
    `resumed from epoch ${epoch} vs the uninterrupted run: ${straight.length} weights, largest difference ${largest.toExponential(1)}`,
  );
  expect(largest).toBeLessThanOrEqual(1e-5);
  await expect(page.getByTestId('unfinished-runs')).toHaveCount(0);

  // Stopped by the user part-way through the run: the Stop's checkpoint stays, and going on from it
  // trains only the batches after it and ends with the same weights again. Stop is clicked as soon
  // as epoch 1 shows; on a fast machine it may land in a later epoch, so the test reads where.
  await page.getByRole('button', { name: 'Train again', exact: true }).click();
  await expect(page.getByTestId('training-progress')).toContainText(/epoch 1\/3 · batch \d+/, { timeout: 4 * 60_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-summary')).toContainText('stopped by you', { timeout: 60_000 });
  const stopped = page.getByTestId('unfinished-run');
  await expect(stopped).toHaveCount(1);
  await expect(stopped).toContainText('A stopped run');
  await page.getByTestId('unfinished-runs').screenshot({ path: 'docs/screenshot-stopped-run.png' });
  const done = Number(await stopped.getAttribute('data-epoch'));
  expect([0, 1, 2]).toContain(done);
  const batch = Number(await stopped.getAttribute('data-batch'));
  await stopped.getByRole('button', { name: `Go on from epoch ${done + 1} of 3` }).click();
  await expect(page.getByTestId('checkpoint-status')).toContainText(
    new RegExp(
      `Resumed from the checkpoint (after batch ${batch} of \\d+ of epoch ${done + 1}|at the start of epoch ${done + 1}|after epoch ${done + 1}'s last batch)`,
    ),
  );
  await expect(page.getByTestId('run-summary')).toContainText('completed all epochs', { timeout: 4 * 60_000 });
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(3);
  const wentOn = await downloadedWeights(page);
  let largestAfterStop = 0;
  for (let i = 0; i < straight.length; i++)
    largestAfterStop = Math.max(largestAfterStop, Math.abs(wentOn[i]! - straight[i]!));
  console.log(
    `stopped after batch ${batch} of epoch ${done + 1} and went on: largest difference ${largestAfterStop.toExponential(1)}`,
  );
  expect(largestAfterStop).toBeLessThanOrEqual(1e-5);
  await expect(page.getByTestId('unfinished-runs')).toHaveCount(0);
});

test('a WebGL context lost mid-run: the page restarts the worker and resumes from the last checkpoint', async ({
  page,
}) => {
  test.setTimeout(10 * 60_000);
  // The stock engine: tfjs's own LSTM on WebGL, so the lost context is the one it trains on.
  await page.goto(
    '/?trainReviews=600&testReviews=500&maxlen=64&numWords=5000&epochs=2&batchSize=32&learningRate=0.003&engine=stock',
  );
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('checkpoint-status')).toHaveAttribute('data-epoch', '1', { timeout: 6 * 60_000 });
  await expect(page.getByTestId('training-progress')).toContainText(/epoch 2\/2 · batch [1-9]/, { timeout: 60_000 });
  expect(await page.evaluate(() => window.__sentimentLabFaults!.loseTrainingContext())).toBe(true);

  const notice = page.getByTestId('recovery-notice');
  await expect(notice).toContainText('The WebGL context was lost', { timeout: 60_000 });
  await expect(notice).toContainText(
    /at epoch 2, batch \d+\. The training worker was restarted on a new webgl context/,
  );
  await expect(notice).toContainText(/resumed from its checkpoint after epoch 1: \d+ batches are trained again/);
  await expect(page.getByTestId('run-summary')).toContainText('Run', { timeout: 6 * 60_000 });
  await expect(page.getByTestId('self-check')).toHaveAttribute('data-passed', 'true');
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('unfinished-runs')).toHaveCount(0);
});
