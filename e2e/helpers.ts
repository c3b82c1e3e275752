import type { Page } from '@playwright/test';

declare global {
  interface Window {
    __longTasks: number[];
    __longTaskStarts: number[];
  }
}

/** Records every main-thread task over 50 ms (the Long Tasks API) into window.__longTasks. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__longTasks = [];
    window.__longTaskStarts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__longTasks.push(entry.duration);
        window.__longTaskStarts.push(entry.startTime);
      }
    }).observe({ type: 'longtask', buffered: true });
  });
}

export const resetLongTasks = (page: Page) =>
  page.evaluate(() => {
    window.__longTasks = [];
    window.__longTaskStarts = [];
  });
export const longTasks = (page: Page) => page.evaluate(() => window.__longTasks);

export async function chooseDataset(
  page: Page,
  options: { trainReviews?: number; testReviews?: number; maxlen?: number },
) {
  if (options.trainReviews) await page.fill('input[name=trainReviews]', String(options.trainReviews));
  if (options.testReviews) await page.fill('input[name=testReviews]', String(options.testReviews));
  if (options.maxlen) await page.fill('input[name=maxlen]', String(options.maxlen));
}
