/**
 * npm run accuracy [-- --params "epochs=5&backend=webgl"] [--timeout-minutes N] [--quick]
 *
 * Trains the default configuration (the Keras article's: 25,000 training reviews less a 10%
 * validation split, maxlen 200, 5 epochs, batch 128, RMSprop 1e-3) in headless Debian Chromium
 * through the app itself, then evaluates on the 25,000 test reviews. Prints per-epoch validation
 * accuracy and the final test accuracy. Then it downloads the model as a user would and scores the
 * zip outside the app (plain tfjs in Node, its own tokenizer reading, the dataset's labels) on the
 * same test reviews, and reads the Classify panel's clear examples in the page and outside it.
 * `--quick` stops after the app's own figures (for trying settings; the figures a README quotes come
 * with the outside scoring). Slow on a machine without a GPU: run it in the background.
 * `--baseline` trains the NBSVM baseline instead (scripts/lib/baselineAccuracy.ts), in seconds.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import { EXAMPLES } from '../src/ui/classify/examples';
import { predictFromZip } from './plain-tfjs-predict';
import { scoreShortVersionsOutside, scoreZipOutside, startWasmInNode } from './lib/outsideScore';
import { PROJECT_ROOT } from './lib/paths';
import type { LabState } from '../src/testHooks';
import type { RunSummary } from '../src/workers/train/api';
import { launchChromium, serveBuiltApp } from './lib/browser';
import { baselineAccuracy } from './lib/baselineAccuracy';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      params: { type: 'string', default: '' },
      'timeout-minutes': { type: 'string', default: '600' },
      quick: { type: 'boolean', default: false },
      baseline: { type: 'boolean', default: false },
    },
  });
  const deadline = Date.now() + Number(values['timeout-minutes']) * 60_000;
  if (values.baseline) return baselineAccuracy(values.params, deadline);
  const { url, close } = await serveBuiltApp();
  const browser = await launchChromium();
  const started = Date.now();
  const stamp = () => `[${((Date.now() - started) / 60000).toFixed(1)} min]`;
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`${stamp()} page error: ${error.message}`));
    await page.goto(`${url}${values.params ? `?${values.params}` : ''}`);
    await page.getByTestId('backend').waitFor({ timeout: 120_000 });
    console.log(`${stamp()} ${(await page.getByTestId('backend').innerText()).split('\n')[0]}`);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    let printedEpochs = 0;
    let lastProgress = '';
    for (;;) {
      if (Date.now() > deadline) throw new Error('Timed out');
      await page.waitForTimeout(15_000);
      const state: LabState | null = await page.evaluate(() => window.__sentimentLab ?? null);
      const progress = (
        await page
          .getByTestId('training-progress')
          .innerText()
          .catch(() => '')
      ).replace(/\s*\n\s*/g, ' | ');
      if (progress && progress !== lastProgress && Date.now() % 4 < 2) console.log(`${stamp()} ${progress}`);
      lastProgress = progress;
      for (const e of state?.epochs.slice(printedEpochs) ?? []) {
        console.log(
          `${stamp()} epoch ${e.epoch}: loss ${e.loss.toFixed(4)} acc ${(e.accuracy * 100).toFixed(2)}% | ` +
            `val loss ${e.valLoss?.toFixed(4)} val acc ${((e.valAccuracy ?? Number.NaN) * 100).toFixed(2)}% | ${e.seconds.toFixed(0)} s`,
        );
        printedEpochs++;
      }
      if (state?.error) throw new Error(state.error);
      if (state?.summary) {
        const s = state.summary;
        console.log(
          `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; backend ${s.backend.name} (${s.backend.renderer ?? 'no renderer'}); engine ${s.engine}`,
        );
        console.log(`Settings: ${JSON.stringify(s.settings)}`);
        console.log(
          `Stopped: ${s.stopReason}; ${s.trainExamples} training, ${s.validationExamples} validation examples`,
        );
        console.log(
          `Training ${(s.trainingSeconds / 60).toFixed(1)} min at ${s.examplesPerSecond.toFixed(1)} examples/s`,
        );
        if (s.test) {
          console.log(
            `TEST ACCURACY ${(s.test.accuracy * 100).toFixed(2)}% (loss ${s.test.loss.toFixed(4)}) on ${s.test.count} test reviews`,
          );
          console.log(`Confusion: ${JSON.stringify(s.test.confusion)}`);
        }
        if (s.shortVersions)
          console.log(
            `SHORT VERSIONS in the app (${s.shortVersions.count} test reviews): last sentence ` +
              `${(s.shortVersions.lastSentence * 100).toFixed(2)}%, last ${s.shortVersions.words} words ` +
              `${(s.shortVersions.lastWords * 100).toFixed(2)}%`,
          );
        if (s.selfCheck)
          console.log(
            `Self-check (engine vs saved model, ${s.selfCheck.reviews} test reviews): ` +
              `${s.selfCheck.passed ? 'passed' : 'FAILED'}, largest difference ${s.selfCheck.maxDifference.toExponential(1)}`,
          );
        if (!values.quick) await checkDownloadedModel(page, s, stamp);
        break;
      }
    }
  } finally {
    await browser.close();
    await close();
  }
}

const CLEAR_EXAMPLES = EXAMPLES.filter((e) => e.label.startsWith('Clearly'));

/** The Classify panel's reading of one example (its button fills the box). */
async function classifyExample(page: Page, label: string): Promise<number> {
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid=outcome]')?.getAttribute('data-stale') === 'false',
  );
  return Number(await page.getByTestId('probability').getAttribute('data-probability'));
}

/** Downloads the run's zip as a user would and scores it outside the app. */
async function checkDownloadedModel(page: Page, summary: RunSummary, stamp: () => string): Promise<void> {
  const out = path.join(PROJECT_ROOT, '.cache', 'accuracy');
  mkdirSync(out, { recursive: true });
  const zipPath = path.join(out, `run-${new Date().toISOString().replace(/[:.]/g, '-')}.zip`);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download zip' }).click();
  await (await download).saveAs(zipPath);
  console.log(`${stamp()} downloaded ${zipPath}`);
  const zip = new Uint8Array(readFileSync(zipPath));
  await startWasmInNode();

  for (const example of CLEAR_EXAMPLES) {
    const inPage = await classifyExample(page, example.label);
    const [outside] = await predictFromZip(zip, [example.text]);
    console.log(
      `${example.label}: P(positive) ${inPage.toFixed(4)} in the Classify panel, ${outside!.toFixed(4)} by plain tfjs on the zip`,
    );
  }

  const predictions = summary.testPredictions;
  if (!predictions || !summary.test) return;
  const started = Date.now();
  const score = await scoreZipOutside(zip, predictions);
  console.log(
    `${stamp()} OUTSIDE THE APP (plain tfjs ${tf.getBackend()} in Node on the downloaded zip, ${score.count} test reviews, ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s): TEST ACCURACY ${(score.accuracy * 100).toFixed(2)}% ` +
      `(the app reported ${(summary.test.accuracy * 100).toFixed(2)}%); largest probability difference ` +
      `${score.maxDifference.toExponential(1)}`,
  );
  const short = await scoreShortVersionsOutside(zip, predictions);
  console.log(
    `${stamp()} SHORT VERSIONS of the same ${short.count} test reviews (src/text/shortVersions.ts), downloaded model in Node: ` +
      `last sentence ${(short.lastSentence * 100).toFixed(2)}%, last 20 words ${(short.last20Words * 100).toFixed(2)}%`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
