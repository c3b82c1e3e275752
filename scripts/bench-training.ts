/**
 * npm run bench:training [-- --batches N] [--slow]
 *
 * Examples per second of the default model (Embedding(20000,128) → LSTM(128) → Dense, batch 128)
 * training on random ids in headless Debian Chromium, at L=200 and L=100, on WebGL and wasm, with
 * each fix of the training issue turned off in turn, plus the time to build the model. Each case
 * runs in a fresh page and worker; cases are interleaved by backend so drift hits all alike.
 * Without the Embedding-gradient fix one WebGL batch takes minutes (and wasm cannot run it at all),
 * so those cases run only with --slow. Figures are printed, never asserted.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { TrainingBenchCase, TrainingBenchResult } from '../tools/src/benchProtocol';
import { runBenchCase } from './lib/benchPage';
import { launchChromium, serveBuilt } from './lib/browser';

const { values } = parseArgs({
  options: { batches: { type: 'string', default: '3' }, slow: { type: 'boolean', default: false } },
});
const batches = Number(values.batches);

function cases(): Array<{ label: string; c: TrainingBenchCase }> {
  const out: Array<{ label: string; c: TrainingBenchCase }> = [];
  const base = {
    batchSize: 128,
    batches,
    embeddingGradientFix: true,
    orthogonalOnCpu: true,
    recurrentActivation: 'sigmoid' as const,
    // This benchmark measures the training issue's fixes on tfjs's own LSTM; npm run bench compares engines.
    engine: 'stock' as const,
    profile: false,
    ids: 'uniform' as const,
  };
  for (const maxlen of [100, 200]) {
    for (const backend of ['webgl', 'wasm'] as const) {
      out.push({ label: 'all fixes', c: { ...base, backend, maxlen } });
      out.push({
        label: 'hardSigmoid gates (tfjs default)',
        c: { ...base, backend, maxlen, recurrentActivation: 'hardSigmoid' },
      });
      out.push({
        label: 'tfjs Orthogonal initializer',
        c: { ...base, backend, maxlen, orthogonalOnCpu: false, batches: 1 },
      });
      if (values.slow)
        out.push({
          label: 'stock Embedding gradient',
          c: { ...base, backend, maxlen, embeddingGradientFix: false, batches: 1 },
        });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const { url, close } = await serveBuilt('tools', 'bench-training');
  const browser = await launchChromium();
  const rows: Array<{ label: string; result: TrainingBenchResult }> = [];
  try {
    for (const { label, c } of cases()) {
      const result = await runBenchCase(browser, url, c);
      rows.push({ label, result });
      const r = result;
      console.log(
        r.error
          ? `${c.backend} L=${c.maxlen} ${label}: FAILED: ${r.error}`
          : `${c.backend} L=${c.maxlen} ${label}: ${r.examplesPerSecond.toFixed(1)} ex/s, ${r.msPerBatch.toFixed(0)} ms/batch, ` +
              `build ${r.buildSeconds.toFixed(2)} s, two warm-up batches ${r.warmupSeconds.toFixed(1)} s, numTensors ${r.numTensorsBefore}→${r.numTensorsAfter}`,
      );
    }
  } finally {
    await browser.close();
    await close();
  }
  console.log(
    `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, headless Debian Chromium; batch 128, ${batches} timed batches (median) after two warm-ups`,
  );
  const renderer = rows.find((r) => r.result.renderer)?.result.renderer;
  if (renderer) console.log(`WebGL renderer: ${renderer}`);
  console.log('| backend | L | case | ex/s | ms/batch | ratio to all fixes | model build |');
  console.log('|---|---|---|---|---|---|---|');
  for (const { label, result: r } of rows) {
    const reference = rows.find(
      (x) =>
        x.label === 'all fixes' && x.result.case.backend === r.case.backend && x.result.case.maxlen === r.case.maxlen,
    );
    const ratio = reference && !r.error ? (r.examplesPerSecond / reference.result.examplesPerSecond).toFixed(2) : '–';
    console.log(
      r.error
        ? `| ${r.case.backend} | ${r.case.maxlen} | ${label} | fails: ${r.error} | | | |`
        : `| ${r.backendInUse} | ${r.case.maxlen} | ${label} | ${r.examplesPerSecond.toFixed(1)} | ${r.msPerBatch.toFixed(0)} | ${ratio} | ${r.buildSeconds.toFixed(2)} s |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
