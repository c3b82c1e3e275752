import { expect, test } from '@playwright/test';
import { chooseDataset, expectNoFreeze, longTasks, recordLongTasks, resetLongTasks } from './helpers';

// These tests load the real shards that `npm run data` built from the aclImdb v1 tarball.

test.beforeEach(async ({ page }) => {
  await recordLongTasks(page);
  await page.goto('/');
});

test('loads the full IMDB dataset in the worker with progress, true counts and a responsive page', async ({ page }) => {
  await chooseDataset(page, { trainReviews: 25000, testReviews: 25000 });
  await resetLongTasks(page);
  await page.getByRole('button', { name: 'Load dataset' }).click();
  await expect(page.getByTestId('dataset-stats')).toBeVisible({ timeout: 120_000 });

  for (const label of ['Download', 'Verify', 'Tokenize']) {
    await expect(page.getByRole('progressbar', { name: label })).toHaveAttribute('aria-valuenow', '100');
  }
  await expect(page.getByTestId('train-positives')).toHaveText('12,500');
  await expect(page.getByTestId('train-negatives')).toHaveText('12,500');
  await expect(page.getByTestId('test-positives')).toHaveText('12,500');
  await expect(page.getByTestId('test-negatives')).toHaveText('12,500');
  await expect(page.getByTestId('vocabulary-size')).toHaveText('20,000');
  await expect(page.getByTestId('sample-review')).toHaveCount(4);
  await expect(page.getByTestId('length-histogram').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('length-histogram')).toContainText('maxlen 200');

  const tasks = await longTasks(page);
  console.log(
    `long tasks while loading 50,000 reviews: ${tasks.length ? tasks.map((t) => t.toFixed(0)).join(', ') + ' ms' : 'none'}`,
  );
  expectNoFreeze(tasks, 'while loading 50,000 reviews');

  await page.screenshot({ path: 'docs/screenshot-dataset.png', fullPage: true });
});

test('a missing shard gives a clear message and the app stays usable', async ({ page }) => {
  await chooseDataset(page, { trainReviews: 10000, testReviews: 5000 });
  await page.route('**/data/imdb/train-001.json.gzip', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.getByRole('button', { name: 'Load dataset' }).click();
  const alert = page.getByTestId('dataset-error');
  await expect(alert).toContainText('train-001.json.gzip');
  await expect(alert).toContainText('HTTP 404');

  await page.unroute('**/data/imdb/train-001.json.gzip');
  await page.getByRole('button', { name: 'Load dataset' }).click();
  await expect(page.getByTestId('train-total')).toHaveText('10,000');
  await expect(alert).toBeHidden();
});

test('a corrupt shard fails verification with a clear message and the app stays usable', async ({ page }) => {
  await chooseDataset(page, { trainReviews: 5000, testReviews: 5000 });
  await page.route('**/data/imdb/test-000.json.gzip', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    const middle = body.length >> 1;
    body.writeUInt8(body.readUInt8(middle) ^ 0xff, middle);
    await route.fulfill({ response, body });
  });
  await page.getByRole('button', { name: 'Load dataset' }).click();
  const alert = page.getByTestId('dataset-error');
  await expect(alert).toContainText('test-000.json.gzip is corrupt');
  await expect(alert).toContainText('sha256');

  await page.unroute('**/data/imdb/test-000.json.gzip');
  await page.getByRole('button', { name: 'Load dataset' }).click();
  await expect(page.getByTestId('test-total')).toHaveText('5,000');
  await expect(page.getByTestId('train-positives')).toHaveText('2,500');
});

test('a shard download cut mid-way is retried with backoff, and a partial response is never used', async ({ page }) => {
  await chooseDataset(page, { trainReviews: 5000, testReviews: 5000 });
  let requests = 0;
  await page.route('**/data/imdb/train-000.json.gzip', async (route) => {
    requests++;
    if (requests === 1) {
      // The server closes the connection after half the bytes.
      const response = await route.fetch();
      const body = await response.body();
      await route.fulfill({ status: 200, body: body.subarray(0, body.length >> 1) });
    } else if (requests === 2) {
      await route.abort('connectionreset'); // the connection drops
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Load dataset' }).click();
  await expect(page.getByTestId('train-total')).toHaveText('5,000');
  await expect(page.getByTestId('train-positives')).toHaveText('2,500');
  expect(requests).toBe(3);
  await expect(page.getByRole('progressbar', { name: 'Download' })).toHaveAttribute('aria-valuenow', '100');
  // Only verified shards are kept offline: both, the retried one included.
  await expect(page.getByTestId('offline-copy')).toHaveAttribute('data-shards', '2');
});

test('a download that fails every try says so and offers Retry, which loads once the network is back', async ({
  page,
}) => {
  await chooseDataset(page, { trainReviews: 5000, testReviews: 5000 });
  await page.route('**/data/imdb/test-000.json.gzip', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Load dataset' }).click();
  const alert = page.getByTestId('dataset-error');
  await expect(alert).toContainText('Could not download shard test-000.json.gzip after 4 tries');
  await expect(alert).toContainText('press Retry');
  await page.unroute('**/data/imdb/test-000.json.gzip');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('test-total')).toHaveText('5,000');
  await expect(alert).toBeHidden();
});
