import type { Browser } from '@playwright/test';
import { caseToSearch, type TrainingBenchCase, type TrainingBenchResult } from '../../tools/src/benchProtocol';
import {
  caseToSearch as wasmCaseToSearch,
  type WasmBenchCase,
  type WasmBenchResult,
} from '../../tools/src/wasm/protocol';

/** Runs one benchmark case in a fresh page (and so a fresh worker and WebGL context). */
export async function runBenchCase(
  browser: Browser,
  appUrl: string,
  c: TrainingBenchCase,
): Promise<TrainingBenchResult> {
  const page = await browser.newPage();
  try {
    await page.goto(`${appUrl}bench.html?${caseToSearch(c)}`);
    await page.waitForFunction(() => Boolean(window.__benchResult), null, {
      timeout: 60 * 60_000,
      polling: 1000,
    });
    return (await page.evaluate(() => window.__benchResult)) as TrainingBenchResult;
  } finally {
    await page.close();
  }
}

/** Runs one case of the WebAssembly engine (tools/wasm-bench.html) in a fresh, cross-origin isolated page. */
export async function runWasmBenchCase(browser: Browser, toolsUrl: string, c: WasmBenchCase): Promise<WasmBenchResult> {
  const page = await browser.newPage();
  try {
    await page.goto(`${toolsUrl}wasm-bench.html?${wasmCaseToSearch(c)}`);
    await page.waitForFunction(() => Boolean(window.__benchResult), null, { timeout: 30 * 60_000, polling: 500 });
    return (await page.evaluate(() => window.__benchResult)) as WasmBenchResult;
  } finally {
    await page.close();
  }
}
