/**
 * npm run bench [-- --batches N] [--rounds N] [--backend webgl] [--ids zipf|uniform] [--lengths 200,100]
 *   [--engines stock,fused,wasm]
 *
 * With `wasm` among the engines (the default), the WebAssembly engine runs too, as the app runs it
 * (tools/wasm-bench.html, cross-origin isolated), with one thread and with one per core, in the same
 * run, followed by the peer: PyTorch on the same CPU at its fastest with the same threads
 * (scripts/lib/peer.ts; optional). `npm run bench:wasm` measures just those, in more rounds.
 *
 * The recurrent layer alone, stock tfjs LSTM against our fused WebGL engine, in headless Debian
 * Chromium: the default model (Embedding(20000,128) → LSTM(128) → Dense, batch 128, random ids,
 * same seed) at L=200 and L=100, with everything else equal (both use the training issue's
 * Embedding-gradient fix, CPU orthogonal initializer and sigmoid gates). Cases are interleaved
 * (stock, fused, stock, fused…) so machine drift hits both. Each case runs in a fresh page.
 * Prints examples per second, ms per batch, kernel dispatches per timestep (tfjs's profiler) for a
 * training step and for one review's prediction, one-review latency, numTensors before and after,
 * and the fused/stock ratios. Nothing is asserted.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { DispatchCounts, KernelTally, TrainingBenchCase, TrainingBenchResult } from '../tools/src/benchProtocol';
import type { LayersEngineName } from '../src/model/engineChoice';
import { launchChromium, serveBuilt } from './lib/browser';
import { runBenchCase, runWasmBenchCase } from './lib/benchPage';
import { measurePeer, PEER_DESCRIPTION, peerUnavailableReason } from './lib/peer';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'webgl' },
    rounds: { type: 'string', default: '1' },
    ids: { type: 'string', default: 'zipf' },
    lengths: { type: 'string', default: '200,100' },
    engines: { type: 'string', default: 'stock,fused,wasm' },
  },
});
const batches = Number(values.batches);
const rounds = Number(values.rounds);
const backend = values.backend as TrainingBenchCase['backend'];
const ids = values.ids === 'uniform' ? 'uniform' : 'zipf';
const lengths = values.lengths.split(',').map(Number);
const requested = values.engines.split(',');
const engines = requested.filter((e): e is LayersEngineName => e === 'stock' || e === 'fused');
const withWasm = requested.includes('wasm');

function benchCase(engine: LayersEngineName, maxlen: number): TrainingBenchCase {
  return {
    backend,
    maxlen,
    batchSize: 128,
    batches,
    embeddingGradientFix: true,
    orthogonalOnCpu: true,
    recurrentActivation: 'sigmoid',
    engine,
    profile: true,
    ids,
  };
}

function line(r: TrainingBenchResult): string {
  if (r.error) return `FAILED: ${r.error}`;
  const d = r.dispatches;
  return (
    `${r.examplesPerSecond.toFixed(1)} ex/s, ${r.msPerBatch.toFixed(0)} ms/batch ` +
    `(batches ${r.batchMs.map((ms) => ms.toFixed(0)).join(', ')}), ` +
    `kernels/step train ${d?.trainingPerStep.toFixed(1)} infer ${d?.inferencePerStep.toFixed(1)}, ` +
    `draws/step train ${d?.trainingDrawsPerStep?.toFixed(1)} infer ${d?.inferenceDrawsPerStep?.toFixed(1)}, ` +
    `1-review ${r.inferenceMs?.toFixed(1)} ms, numTensors ${r.numTensorsBefore}→${r.numTensorsAfter}`
  );
}

/** Per timestep by kernel (profiler, with its milliseconds) and by drawn program, the largest first. */
function breakdown(d: DispatchCounts, maxlen: number): string {
  const perStep = (tallies: KernelTally[], withMs: boolean) =>
    tallies
      .slice(0, 8)
      .map((k) => `${k.name} ${(k.count / maxlen).toFixed(2)}${withMs ? ` (${k.ms.toFixed(0)} ms)` : ''}`)
      .join(', ');
  return (
    `\n    train kernels/step: ${perStep(d.trainingByKernel, true)}` +
    `\n    train draws/step: ${perStep(d.trainingDrawsByProgram, false)}` +
    `\n    1-review kernels/step: ${perStep(d.inferenceByKernel, true)}` +
    `\n    1-review draws/step: ${perStep(d.inferenceDrawsByProgram, false)}`
  );
}

async function main(): Promise<void> {
  const { url, close } = await serveBuilt('tools', 'bench');
  const browser = await launchChromium();
  const results: TrainingBenchResult[] = [];
  try {
    for (let round = 0; round < rounds; round++)
      for (const maxlen of lengths)
        for (const engine of engines) {
          const r = await runBenchCase(browser, url, benchCase(engine, maxlen));
          results.push(r);
          console.log(`${backend} L=${maxlen} ${engine} (ran ${r.engineInUse ?? '?'}): ${line(r)}`);
          if (r.dispatches && round === 0) console.log(`  where the dispatches go:${breakdown(r.dispatches, maxlen)}`);
        }
  } finally {
    await browser.close();
    await close();
  }
  const renderer = results.find((r) => r.renderer)?.renderer;
  console.log(
    `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, headless Debian Chromium, backend ${backend}` +
      (renderer ? ` (${renderer})` : '') +
      `; batch 128, token ids ${ids === 'zipf' ? 'Zipf-distributed (weight 1/rank)' : 'uniform'} over 20,000, ${batches} timed batches (median) after two warm-ups, ${rounds} round(s), median shown`,
  );
  console.log(
    '| L | engine | ex/s | ms/batch | kernels/step (train) | draws/step (train) | kernels/step (1 review) | draws/step (1 review) | 1-review ms | numTensors before→after |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = new Map<
    string,
    { exs: number; ms: number; infer: number; train: number; trainDraws: number; inferDraws: number; one: number }
  >();
  for (const maxlen of lengths)
    for (const engine of engines) {
      const rs = results.filter((r) => !r.error && r.case.maxlen === maxlen && r.case.engine === engine);
      if (rs.length === 0) {
        console.log(`| ${maxlen} | ${engine} | failed | | | | | |`);
        continue;
      }
      const s = {
        exs: median(rs.map((r) => r.examplesPerSecond)),
        ms: median(rs.map((r) => r.msPerBatch)),
        train: rs[0]!.dispatches!.trainingPerStep,
        infer: rs[0]!.dispatches!.inferencePerStep,
        trainDraws: rs[0]!.dispatches!.trainingDrawsPerStep ?? Number.NaN,
        inferDraws: rs[0]!.dispatches!.inferenceDrawsPerStep ?? Number.NaN,
        one: median(rs.map((r) => r.inferenceMs ?? Number.NaN)),
      };
      summary.set(`${maxlen}/${engine}`, s);
      const tensors = rs.map((r) => `${r.numTensorsBefore}→${r.numTensorsAfter}`).join(', ');
      console.log(
        `| ${maxlen} | ${engine} | ${s.exs.toFixed(1)} | ${s.ms.toFixed(0)} | ${s.train.toFixed(1)} | ${s.trainDraws.toFixed(1)} | ` +
          `${s.infer.toFixed(1)} | ${s.inferDraws.toFixed(1)} | ${s.one.toFixed(1)} | ${tensors} |`,
      );
    }
  if (withWasm) await benchWasm(summary);
  for (const maxlen of lengths) {
    const stock = summary.get(`${maxlen}/stock`);
    const fused = summary.get(`${maxlen}/fused`);
    if (stock && fused)
      console.log(
        `L=${maxlen}: fused/stock examples per second ${(fused.exs / stock.exs).toFixed(2)}×, ` +
          `draws per training step ${(fused.trainDraws / stock.trainDraws).toFixed(3)}×, ` +
          `one-review latency ${(fused.one / stock.one).toFixed(2)}×`,
      );
  }
}

/**
 * The WebAssembly engine in the browser with one thread and with one per core, then the peer with
 * the same threads, and the ratios against the peer and the fused engine measured above.
 */
async function benchWasm(layers: Map<string, { exs: number }>): Promise<void> {
  const cores = os.cpus().length;
  const threadCounts = [...new Set([1, cores])];
  const { url, close } = await serveBuilt('tools', 'bench-wasm');
  const browser = await launchChromium();
  const rows: string[] = [];
  try {
    for (const maxlen of lengths)
      for (const threads of threadCounts) {
        const r = await runWasmBenchCase(browser, url, { maxlen, batchSize: 128, batches, threads });
        if (r.error) {
          rows.push(`| ${maxlen} | wasm, ${threads} thread(s) | failed: ${r.error} | | |`);
          continue;
        }
        const peerMissing = peerUnavailableReason();
        const peer = peerMissing ? peerMissing : measurePeer({ maxlen, batch: 128, steps: batches, threads });
        const fused = layers.get(`${maxlen}/fused`);
        rows.push(
          `| ${maxlen} | wasm, ${r.threads} thread(s) | ${r.examplesPerSecond.toFixed(1)} | ` +
            (typeof peer === 'string'
              ? `peer: ${peer} | – `
              : `${peer.examplesPerSecond.toFixed(1)} | ${(r.examplesPerSecond / peer.examplesPerSecond).toFixed(2)}× `) +
            `| ${fused ? `${(r.examplesPerSecond / fused.exs).toFixed(1)}×` : '–'} |`,
        );
      }
  } finally {
    await browser.close();
    await close();
  }
  console.log(`\nThe WebAssembly engine in the browser, beside the peer (${PEER_DESCRIPTION}, same threads):`);
  console.log('| L | engine | ex/s | PyTorch ex/s | wasm / PyTorch | wasm / fused |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
