import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoFreeze, longTasks, recordLongTasks, resetLongTasks } from './helpers';

// The small configuration of e2e/training.spec.ts, on the engine auto picks here (two epochs, so the curves have a shape).
const SMALL_RUN = 'trainReviews=2000&testReviews=1000&maxlen=64&numWords=5000&epochs=2&batchSize=32&learningRate=0.003';

interface RunFigures {
  accuracy: number;
  auc: number | null;
  threshold: number | null;
  valLoss: (number | null)[];
}

/** What the LSTM run itself reported (the page's record of the training worker's summary). */
const lstmRun = (page: Page): Promise<RunFigures> =>
  page.evaluate(() => {
    const summary = window.__sentimentLab!.summary!;
    return {
      accuracy: summary.test!.accuracy,
      auc: summary.report?.test?.auc ?? null,
      threshold: summary.report?.threshold?.value ?? null,
      valLoss: summary.history.map((e) => e.valLoss),
    };
  });

const baselineRun = (page: Page): Promise<RunFigures> =>
  page.evaluate(() => {
    const summary = window.__sentimentLabBaseline!.summary!;
    return {
      accuracy: summary.test!.accuracy,
      auc: null,
      threshold: null,
      valLoss: summary.history.map((e) => e.validationLoss),
    };
  });

const savedRow = (page: Page, kind: 'LSTM' | 'NBSVM'): Locator =>
  page.getByTestId('saved-model').filter({ hasText: kind === 'LSTM' ? 'Embedding(' : 'NBSVM baseline' });

/** A screenshot of one element with a margin of the page around it (as docs/ shows the other panels). */
async function screenshotWithMargin(page: Page, element: Locator, path: string): Promise<void> {
  await element.scrollIntoViewIfNeeded();
  const box = (await element.boundingBox())!;
  const scroll = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
  const clip = { x: box.x + scroll.x - 16, y: box.y + scroll.y - 8, width: box.width + 32, height: box.height + 16 };
  await page.screenshot({ path, fullPage: true, clip });
}

/** Opens a saved model's report and waits for it; returns the accuracy it computed, exactly. */
async function openReport(page: Page, row: Locator): Promise<number> {
  const id = (await row.getAttribute('data-saved-id'))!;
  await row.getByRole('button', { name: 'Test report' }).click();
  // This model's report (not the one shown before it), finished.
  const report = page.locator(`[data-testid=model-report][data-saved-id="${id}"]`);
  await expect(report).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  return Number(await report.getByTestId('report-accuracy').getAttribute('data-accuracy'));
}

test('a saved model’s test report on demand reproduces its run, and two saved runs compare side by side', async ({
  page,
}) => {
  test.setTimeout(12 * 60_000);
  await recordLongTasks(page);
  await page.goto(`/?${SMALL_RUN}`);
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });

  // Two runs, saved as they finish: the LSTM, then the baseline on the same reviews.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 8 * 60_000 });
  await expect(page.getByTestId('saved-model')).toHaveCount(1);
  const lstm = await lstmRun(page);
  await page.getByRole('button', { name: 'Train the baseline' }).click();
  await expect(page.getByTestId('baseline')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('saved-model')).toHaveCount(2);
  const baseline = await baselineRun(page);
  console.log(`run figures: LSTM ${JSON.stringify(lstm)}, baseline ${JSON.stringify(baseline)}`);

  // The LSTM's report, read again from its saved bundle in a worker of its own: the run's numbers.
  const report = page.getByTestId('model-report');
  await resetLongTasks(page);
  const lstmAccuracy = await openReport(page, savedRow(page, 'LSTM'));
  expectNoFreeze(await longTasks(page), 'while the report read the test reviews');
  const auc = await report.getByTestId('auc').innerText();
  console.log(`on-demand LSTM report: accuracy ${lstmAccuracy} (run ${lstm.accuracy}), ${auc} (run ${lstm.auc})`);
  expect(lstmAccuracy).toBe(lstm.accuracy);
  // Shown to 4 digits: the run's AUC to 4 digits (the two forward passes agree to ~1e-7).
  expect(auc).toBe(`AUC ${lstm.auc!.toFixed(4)}`);
  await expect(report.getByTestId('report-basis')).toContainText('On the 1,000 loaded test reviews');
  await expect(report.getByTestId('roc-chart').locator('.recharts-line')).not.toHaveCount(0);
  await expect(report.getByTestId('pr-chart')).toBeVisible();
  await expect(report.getByTestId('calibration-chart')).toBeVisible();
  // Same training reviews loaded: the validation split is rebuilt and picks the run's threshold.
  const threshold = Number(/at ([0-9.]+) \(best/.exec(await report.getByTestId('threshold').innerText())![1]);
  expect(Math.abs(threshold - lstm.threshold!)).toBeLessThan(1e-3);
  await expect(report.getByTestId('short-versions')).toBeVisible();
  // The most confident mistakes: each is wrong at 0.5, by the probability the report shows.
  const first = report.getByTestId('mistake').first();
  await expect(first).toContainText('actually negative');
  expect(Number(await first.getAttribute('data-probability'))).toBeGreaterThan(0.5);
  await expect(first).toContainText('the model said P(positive)');
  await expect(report.getByTestId('mistake')).toHaveCount(3);
  await screenshotWithMargin(page, report, 'docs/screenshot-model-report.png');
  await report.getByRole('searchbox').fill('waste of time');
  await expect(report.getByTestId('search-count')).toContainText('test reviews contain “waste of time”');
  await expect(report.getByTestId('search-result').first()).toContainText('the model said P(positive)');

  // The baseline's report: its run's accuracy too.
  const baselineAccuracy = await openReport(page, savedRow(page, 'NBSVM'));
  console.log(`on-demand baseline report: accuracy ${baselineAccuracy} (run ${baseline.accuracy})`);
  expect(baselineAccuracy).toBe(baseline.accuracy);
  await report.getByRole('button', { name: 'Close' }).click();
  await expect(report).toHaveCount(0);

  // Compare: both ticked, both in the overlay's table, with their own validation losses.
  const compare = page.getByTestId('compare');
  await expect(page.getByTestId('compare-hint')).toBeVisible();
  await page.getByRole('checkbox', { name: /^Compare LSTM/ }).check();
  await page.getByRole('checkbox', { name: /^Compare NBSVM/ }).check();
  const table = compare.getByTestId('compare-curves-table');
  await expect(table).toBeVisible();
  const names = await savedRow(page, 'LSTM').getByTestId('saved-model-name').innerText();
  const baselineName = await savedRow(page, 'NBSVM').getByTestId('saved-model-name').innerText();
  await expect(table.getByTestId('compare-run-heading')).toHaveText([names, baselineName]);
  const epochs = Math.max(lstm.valLoss.length, baseline.valLoss.length);
  await expect(table.locator('tbody tr')).toHaveCount(epochs);
  for (let e = 0; e < epochs; e++) {
    const cells = table.locator('tbody tr').nth(e).locator('td');
    const shown = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(4));
    await expect(cells.nth(0)).toHaveText(shown(lstm.valLoss[e]));
    await expect(cells.nth(2)).toHaveText(shown(baseline.valLoss[e]));
  }
  await expect(compare.getByTestId('compare-loss-chart').locator('.recharts-line')).toHaveCount(2);
  await expect(compare.getByTestId('compare-accuracy-chart').locator('.recharts-line')).toHaveCount(2);
  const accuracyRow = compare.getByTestId('compare-metrics').locator('tr[data-metric="test accuracy"] td');
  await expect(accuracyRow.nth(0)).toHaveText(`${(lstm.accuracy * 100).toFixed(2)}% (1,000 reviews)`);
  await expect(accuracyRow.nth(1)).toHaveText(`${(baseline.accuracy * 100).toFixed(2)}% (1,000 reviews)`);
  const aucRow = compare.getByTestId('compare-metrics').locator('tr[data-metric="AUC"] td');
  await expect(aucRow.nth(0)).toHaveText(lstm.auc!.toFixed(4));
  await screenshotWithMargin(page, compare, 'docs/screenshot-compare.png');

  // After a reload no dataset is loaded: the report says so, loads it on request, and gives the same figure.
  await page.reload();
  await expect(page.getByTestId('saved-model')).toHaveCount(2);
  await savedRow(page, 'LSTM').getByRole('button', { name: 'Test report' }).click();
  await expect(page.getByTestId('report-needs-data')).toContainText('No test reviews are loaded');
  await page.getByTestId('report-needs-data').getByRole('button', { name: 'Load the dataset' }).click();
  await expect(report).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
  expect(Number(await report.getByTestId('report-accuracy').getAttribute('data-accuracy'))).toBe(lstm.accuracy);
});
