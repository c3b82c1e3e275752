import { expect, test } from '@playwright/test';

// The one spec with the service worker on (playwright.config.ts blocks it elsewhere, so routes
// and fresh downloads in the other specs see the network).
test.use({ serviceWorkers: 'allow' });

const SMALL_RUN = 'trainReviews=2000&testReviews=1000&maxlen=64&numWords=5000&epochs=1&batchSize=32&engine=wasm';

test('after one visit the app works offline: it reloads, loads the dataset, trains and classifies', async ({
  page,
  context,
}) => {
  test.setTimeout(6 * 60_000);
  await page.goto(`/?${SMALL_RUN}`);
  // The service worker has precached the app shell and controls the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Load dataset' }).click();
  await expect(page.getByTestId('train-total')).toHaveText('2,000');
  await expect(page.getByTestId('offline-copy')).toHaveAttribute('data-shards', '2');

  await context.setOffline(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await page.reload();
  // The network is really gone: what the service worker does not hold cannot be fetched.
  expect(
    await page.evaluate(() =>
      fetch('data/imdb/manifest.json', { cache: 'no-store' }).then(
        () => 'fetched',
        () => 'failed',
      ),
    ),
  ).toBe('failed');
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });
  // Cross-origin isolation survives the service worker: its cached responses keep COOP/COEP.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByRole('button', { name: 'Load dataset' }).click();
  await expect(page.getByTestId('train-total')).toHaveText('2,000');
  await expect(page.getByTestId('shards-from-store')).toContainText('2 shards from the offline copy');

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Run 1 ·', { timeout: 4 * 60_000 });
  await expect(page.getByTestId('run-summary')).toContainText('engine wasm');
  await expect(page.getByTestId('self-check')).toHaveAttribute('data-passed', 'true');
  await page.getByTestId('review-input').fill('A wonderful film, the best acting I have seen all year.');
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-stale', 'false');
  const probability = Number(await page.getByTestId('probability').getAttribute('data-probability'));
  expect(probability).toBeGreaterThan(0);
  expect(probability).toBeLessThan(1);

  // The offline copy can be cleared; the page says there is none left.
  await page.getByRole('button', { name: 'Clear offline copy' }).click();
  await expect(page.getByTestId('offline-copy')).toHaveAttribute('data-shards', '0');
  await context.setOffline(false);
});
