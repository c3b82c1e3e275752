import { expect, test } from '@playwright/test';

// Small runs on the real shards, on the WebAssembly engine.
const RUN =
  'trainReviews=1000&testReviews=500&maxlen=64&numWords=5000&epochs=2&batchSize=32&learningRate=0.003&engine=wasm';

test('two tabs training at once keep their own models and checkpoints', async ({ context }) => {
  test.setTimeout(8 * 60_000);
  const [first, second] = [await context.newPage(), await context.newPage()];
  await first.goto(`/?${RUN}&seed=1`);
  await second.goto(`/?${RUN}&seed=2`);
  for (const page of [first, second]) await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });
  await Promise.all([first, second].map((page) => page.getByRole('button', { name: 'Train', exact: true }).click()));
  const accuracies: string[] = [];
  for (const page of [first, second]) {
    await expect(page.getByTestId('run-summary')).toContainText('Run 1 ·', { timeout: 6 * 60_000 });
    accuracies.push(await page.getByTestId('test-accuracy').innerText());
  }
  // Each tab's run was saved: a new tab lists both, each under its own name, and neither left a checkpoint.
  const third = await context.newPage();
  await third.goto('/');
  await expect(third.getByTestId('saved-model')).toHaveCount(2, { timeout: 60_000 });
  const names = await third.getByTestId('saved-model-name').allInnerTexts();
  for (const accuracy of accuracies)
    expect(names.some((name) => name.includes(`test ${Number(accuracy.replace('%', '')).toFixed(1)}%`))).toBe(true);
  await expect(third.getByTestId('unfinished-runs')).toHaveCount(0);
});

test('a full storage quota while checkpointing: a clear message, the run goes on, the last checkpoint stays intact', async ({
  page,
}) => {
  test.setTimeout(6 * 60_000);
  // Epochs of a few seconds, so the run is still going when the storage fills and when it is read.
  await page.goto(`/?${RUN.replace('trainReviews=1000', 'trainReviews=4000').replace('epochs=2', 'epochs=5')}`);
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const status = page.getByTestId('checkpoint-status');
  await expect(status).toHaveAttribute('data-epoch', '1', { timeout: 3 * 60_000 });
  // From now on the training worker's IndexedDB writes fail as a full quota makes them.
  await page.evaluate(() => window.__sentimentLabFaults!.fillTrainingStorage());
  await expect(status).toContainText(/Checkpoints stopped after epoch [2-4]/, { timeout: 3 * 60_000 });
  const failed = Number(/Checkpoints stopped after epoch (\d)/.exec(await status.innerText())![1]);
  await expect(status).toContainText("the browser's storage quota for this site is full");
  await expect(status).toContainText('The run goes on; the last checkpoint written is intact.');
  // Read from the page while the run goes on.
  const stored = await page.evaluate(
    () =>
      new Promise<{ epoch: number; weights: number[] } | null>((resolve, reject) => {
        const open = indexedDB.open('sentiment-lab-checkpoints');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('checkpoints').objectStore('checkpoints').getAll();
          request.onsuccess = () => {
            const [record] = request.result as { checkpoint: { epoch: number; state: { weights: Float32Array[] } } }[];
            resolve(
              record
                ? { epoch: record.checkpoint.epoch, weights: record.checkpoint.state.weights.map((w) => w.length) }
                : null,
            );
            open.result.close();
          };
        };
      }),
  );
  // The checkpoint before the failed write, whole.
  expect(stored?.epoch).toBe(failed - 1);
  expect(stored?.weights).toEqual([5000 * 128, 128 * 512, 128 * 512, 512, 128, 1]);
  await expect(page.getByTestId('run-summary')).toContainText('Run 1 ·', { timeout: 3 * 60_000 });
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('self-check')).toHaveAttribute('data-passed', 'true');
});
