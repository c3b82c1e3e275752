/**
 * npm run accuracy -- --baseline [--params "trainReviews=25000"]: the NBSVM baseline through the
 * app in headless Chromium (one click on "Train the baseline", on the full 25,000 training reviews
 * less the validation split, tested on the 25,000 test reviews), then its downloaded zip scored
 * outside the app by scripts/baseline-predict.ts (its own reader) against the dataset's labels.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { BaselineLabState } from '../../src/testHooks';
import { loadBaselineZip } from '../baseline-predict';
import { launchChromium, serveBuiltApp } from './browser';
import { PROJECT_ROOT } from './paths';
import { readSplit, reviewLookup } from './shards';
import { lastSentence, lastWords } from '../../src/text/shortVersions';

export async function baselineAccuracy(params: string, deadline: number): Promise<void> {
  const { url, close } = await serveBuiltApp();
  const browser = await launchChromium();
  const started = Date.now();
  const stamp = () => `[${((Date.now() - started) / 1000).toFixed(0)} s]`;
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`${stamp()} page error: ${error.message}`));
    await page.goto(`${url}${params ? `?${params}` : ''}`);
    await page.getByTestId('backend').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Train the baseline' }).click();
    let state: BaselineLabState | null = null;
    let lastProgress = '';
    for (;;) {
      if (Date.now() > deadline) throw new Error('Timed out');
      await page.waitForTimeout(1000);
      state = await page.evaluate(() => window.__sentimentLabBaseline ?? null);
      if (state?.error) throw new Error(state.error);
      if (state?.summary) break;
      const progress = await page
        .getByTestId('progress-baseline')
        .innerText()
        .catch(() => '');
      const line = progress.replace(/\s*\n\s*/g, ' | ');
      if (line && line !== lastProgress) console.log(`${stamp()} ${line}`);
      lastProgress = line;
    }
    const s = state.summary!;
    console.log(
      `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(`Options: ${JSON.stringify(s.options)}`);
    console.log(
      `${s.trainExamples} training, ${s.validationExamples} validation reviews; ${s.unigrams} unigrams + ${s.bigrams} bigrams`,
    );
    for (const e of s.history)
      console.log(
        `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} | val loss ${e.validationLoss?.toFixed(4)} val acc ${((e.validationAccuracy ?? Number.NaN) * 100).toFixed(2)}% | ${e.seconds.toFixed(1)} s`,
      );
    console.log(
      `TRAINING ${s.trainingSeconds.toFixed(1)} s (reading, dictionary, ratios, optimizer); test evaluation ${s.testSeconds.toFixed(1)} s`,
    );
    if (s.validation) console.log(`Validation accuracy ${(s.validation.accuracy * 100).toFixed(2)}%`);
    if (s.test)
      console.log(
        `TEST ACCURACY ${(s.test.accuracy * 100).toFixed(2)}% (loss ${s.test.loss.toFixed(4)}) on ${s.test.count} test reviews; confusion ${JSON.stringify(s.test.confusion)}`,
      );

    await page.waitForFunction(
      () => document.querySelector('[data-testid=current-model]')?.getAttribute('data-kind') === 'baseline',
    );
    const out = path.join(PROJECT_ROOT, '.cache', 'accuracy');
    mkdirSync(out, { recursive: true });
    const zipPath = path.join(out, `baseline-${new Date().toISOString().replace(/[:.]/g, '-')}.zip`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download zip' }).click();
    await (await download).saveAs(zipPath);
    const zip = new Uint8Array(readFileSync(zipPath));
    const sizes = Object.entries(unzipSync(zip)).map(
      ([name, bytes]) => `${name} ${(bytes.length / 1e6).toFixed(2)} MB`,
    );
    console.log(
      `${stamp()} downloaded ${zipPath}: ${(statSync(zipPath).size / 1e6).toFixed(2)} MB (${sizes.join(', ')})`,
    );

    const loadStarted = performance.now();
    const model = loadBaselineZip(zip);
    const loadMs = performance.now() - loadStarted;
    const find = reviewLookup(readSplit('test'));
    const { reviewIds, labels, probabilities } = s.testPredictions;
    const reviews = Array.from(reviewIds, (id, i) => find(id, labels[i]!));
    const scoreStarted = performance.now();
    const outside = model.predict(reviews.map((r) => r.text));
    let correct = 0;
    let maxDifference = 0;
    outside.forEach((p, i) => {
      if ((p > 0.5 ? 1 : 0) === reviews[i]!.label) correct++;
      maxDifference = Math.max(maxDifference, Math.abs(p - probabilities[i]!));
    });
    console.log(
      `${stamp()} OUTSIDE THE APP (scripts/baseline-predict.ts on the zip: loaded in ${loadMs.toFixed(0)} ms, ` +
        `${reviews.length} reviews in ${((performance.now() - scoreStarted) / 1000).toFixed(1)} s): TEST ACCURACY ` +
        `${((correct / reviews.length) * 100).toFixed(2)}% against the dataset's labels (the app reported ` +
        `${((s.test?.accuracy ?? Number.NaN) * 100).toFixed(2)}%); largest probability difference ${maxDifference.toExponential(1)}`,
    );
    const accuracyOn = (texts: string[]) => {
      const p = model.predict(texts);
      return p.filter((q, i) => (q > 0.5 ? 1 : 0) === reviews[i]!.label).length / reviews.length;
    };
    console.log(
      `${stamp()} SHORT VERSIONS of the same ${reviews.length} test reviews (src/text/shortVersions.ts), zip outside the app: ` +
        `last sentence ${(accuracyOn(reviews.map((r) => lastSentence(r.text))) * 100).toFixed(2)}%, ` +
        `last 20 words ${(accuracyOn(reviews.map((r) => lastWords(r.text, 20))) * 100).toFixed(2)}%`,
    );
  } finally {
    await browser.close();
    await close();
  }
}
