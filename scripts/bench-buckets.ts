/**
 * npm run bench:buckets [-- --samples N] [--rounds N]
 *
 * What an epoch of the real training reviews costs with the WebAssembly engine (in Node, one
 * thread), for the Keras article's settings against masked padding and length-bucketed batches,
 * side by side in one run: the same 22,500 training reviews (the app's tokenizer, padding and
 * validation split, seed 42), each configuration's own epoch-1 batch order (the app's epochPlan:
 * shuffle, windows, buckets), `samples` batches evenly spaced through the epoch timed as optimizer steps
 * and scaled to the epoch's batch count. Configurations are interleaved batch by batch, so machine
 * drift hits all of them. Prints seconds per epoch and the ratio to the article's. Nothing is
 * asserted.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { encodeDataset } from '../src/data/prepareDataset';
import { buildSentimentModel } from '../src/model/buildModel';
import { WasmTrainer, type LstmWeights } from '../src/model/wasm/wasmTrainer';
import { rowLengths } from '../src/training/bucketing';
import { epochPlan, planBatch } from '../src/training/epochPlan';
import { DEFAULT_SETTINGS } from '../src/training/settings';
import { validationSplit } from '../src/training/validationSplit';
import { wasmBuildDir, buildWasm } from './build-wasm';
import { readSplit } from './lib/shards';

const { values } = parseArgs({
  options: { samples: { type: 'string', default: '24' }, rounds: { type: 'string', default: '1' } },
});
const samples = Number(values.samples);
const rounds = Number(values.rounds);

interface Config {
  name: string;
  maxlen: number;
  embeddingDim: number;
  maskZero: boolean;
  bucketed: boolean;
  /** Share of the reviews read as random windows (src/training/windows.ts). */
  windowShare?: number;
  /** Share of the reviews also read as a window, besides whole. */
  windowExtra?: number;
  windowEndShare?: number;
}

const CONFIGS: Config[] = [
  {
    name: "Keras article's: maxlen 200, E 128, padding read, shuffled",
    maxlen: 200,
    embeddingDim: 128,
    maskZero: false,
    bucketed: false,
  },
  { name: 'maxlen 200, E 128, masked, bucketed', maxlen: 200, embeddingDim: 128, maskZero: true, bucketed: true },
  { name: 'maxlen 500, E 64, masked, shuffled', maxlen: 500, embeddingDim: 64, maskZero: true, bucketed: false },
  {
    name: 'previous Recommended: maxlen 500, E 64, masked, bucketed',
    maxlen: 500,
    embeddingDim: 64,
    maskZero: true,
    bucketed: true,
  },
  {
    name: 'Recommended: maxlen 500, E 128, masked, bucketed, half the reviews as windows of their last words',
    maxlen: 500,
    embeddingDim: 128,
    maskZero: true,
    bucketed: true,
    windowShare: 0.5,
    windowEndShare: 1,
  },
];

interface Case {
  config: Config;
  trainer: WasmTrainer;
  data: { ids: Int32Array; labels: Float32Array; size: number }[];
  batches: number;
  /** Each timed batch's longest review: the steps a masked batch runs. */
  steps: number[];
  ms: number[];
}

async function main(): Promise<void> {
  const { numWords, batchSize, seed, validationShare, lstmUnits } = DEFAULT_SETTINGS;
  await buildWasm();
  const module = new WebAssembly.Module(readFileSync(path.join(wasmBuildDir, 'lstm.wasm')));
  const reviews = { train: readSplit('train'), test: [] };
  const cases: Case[] = [];
  for (const config of CONFIGS) {
    const { train } = encodeDataset(
      reviews,
      { numWords, maxlen: config.maxlen, padding: 'pre', truncating: 'pre', oovToken: null },
      () => {},
    );
    const split = validationSplit(train.labels, validationShare, seed);
    const lengths = rowLengths(train);
    const plan = epochPlan(
      split.train,
      lengths,
      {
        seed,
        batchSize,
        batchOrder: config.bucketed ? 'bucketed' : 'shuffled',
        windowShare: config.windowShare ?? 0,
        windowExtra: config.windowExtra ?? 0,
        windowEndShare: config.windowEndShare ?? 0,
      },
      1,
    );
    const batches = Math.ceil(plan.order.length / batchSize);
    const model = buildSentimentModel({
      vocabularySize: numWords,
      maxlen: config.maxlen,
      embeddingDim: config.embeddingDim,
      lstmUnits,
      dropout: 0,
      seed,
      maskZero: config.maskZero,
    });
    const [embeddings, kernel, recurrentKernel, bias, denseKernel, denseBias] = model
      .getWeights()
      .map((w) => w.dataSync() as Float32Array);
    model.dispose();
    const trainer = await WasmTrainer.create(
      module,
      {
        batchSize,
        maxlen: config.maxlen,
        vocabularySize: numWords,
        embeddingDim: config.embeddingDim,
        lstmUnits,
        maskZero: config.maskZero,
      },
      { kind: 'rmsprop', learningRate: DEFAULT_SETTINGS.learningRate },
    );
    const weights: LstmWeights = {
      embeddings: embeddings!,
      kernel: kernel!,
      recurrentKernel: recurrentKernel!,
      bias: bias!,
      denseKernel: denseKernel!,
      denseBias: denseBias!,
    };
    trainer.setWeights(weights);
    // Full batches evenly spaced through the epoch (the partial last batch is left out).
    const picks = Array.from({ length: samples }, (_, i) => Math.floor(((i + 0.5) * (batches - 1)) / samples));
    const data = picks.map((b) => planBatch(train, lengths, plan, b * batchSize, (b + 1) * batchSize));
    const steps = data.map((d) => {
      let longest = 0;
      for (let r = 0; r < d.size; r++) {
        const row = d.ids.subarray(r * config.maxlen, (r + 1) * config.maxlen);
        const first = row.findIndex((id) => id !== 0);
        longest = Math.max(longest, first < 0 ? 0 : config.maxlen - first);
      }
      return longest;
    });
    cases.push({ config, trainer, data, batches, steps, ms: [] });
  }
  for (const c of cases) c.trainer.trainStep(c.data[0]!.ids, c.data[0]!.labels); // warm-up
  for (let round = 0; round < rounds; round++)
    for (let i = 0; i < samples; i++)
      for (const c of cases) {
        const { ids, labels } = c.data[i]!;
        const started = performance.now();
        c.trainer.trainStep(ids, labels);
        c.ms.push(performance.now() - started);
      }
  console.log(
    `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, the WebAssembly engine on one thread; ` +
      `22,500 real training reviews, batch ${batchSize}, RMSprop; ${samples} batches per configuration evenly spaced ` +
      `through epoch 1, ${rounds} round(s), interleaved`,
  );
  console.log(
    '| configuration | batches/epoch | mean longest review per batch (steps run) | ms/batch (mean) | epoch of training (s) | vs the article\u2019s |',
  );
  console.log('|---|---|---|---|---|---|');
  const base = cases[0]!;
  const epochSeconds = (c: Case) => ((c.ms.reduce((a, b) => a + b, 0) / c.ms.length) * c.batches) / 1000;
  for (const c of cases) {
    const mean = c.ms.reduce((a, b) => a + b, 0) / c.ms.length;
    const stepsRun = c.config.maskZero ? c.steps.reduce((a, b) => a + b, 0) / c.steps.length : c.config.maxlen;
    console.log(
      `| ${c.config.name} | ${c.batches} | ${stepsRun.toFixed(0)} | ${mean.toFixed(0)} | ${epochSeconds(c).toFixed(1)} | ${(epochSeconds(c) / epochSeconds(base)).toFixed(2)}× |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
