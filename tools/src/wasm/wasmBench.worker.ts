/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../../../src/data/random';
import { buildSentimentModel } from '../../../src/model/buildModel';
import { compileKernels } from '../../../src/model/wasm/compileKernels';
import { planThreads } from '../../../src/model/wasm/threads';
import { createWasmRun } from '../../../src/model/wasm/wasmRunner';
import { serve } from '../../../src/workers/rpc';
import { startWasmHelpers } from '../../../src/workers/wasmThread/client';
import { zipfSampler } from '../zipf';
import type { WasmBenchCase, WasmBenchResult } from './protocol';

const VOCABULARY = 20000;

/** Trains the default model with the app's WebAssembly engine on Zipf-distributed ids and times it. */
async function run(c: WasmBenchCase): Promise<WasmBenchResult> {
  await tf.setBackend('cpu');
  const model = buildSentimentModel({
    vocabularySize: VOCABULARY,
    maxlen: c.maxlen,
    embeddingDim: 128,
    lstmUnits: 128,
    dropout: 0,
    seed: 1,
  });
  const where = { crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency };
  const plan = planThreads(
    { ...where, hardwareConcurrency: Math.min(c.threads, where.hardwareConcurrency) },
    c.batchSize,
  );
  const wasm = await createWasmRun({
    compile: compileKernels,
    model,
    maxlen: c.maxlen,
    batchSize: c.batchSize,
    optimizer: 'rmsprop',
    learningRate: 0.001,
    threads: { plan, start: startWasmHelpers },
  });
  const random = seededRandom(7);
  const drawId = zipfSampler(VOCABULARY - 1, random);
  const batch = () => ({
    ids: Int32Array.from({ length: c.batchSize * c.maxlen }, () => 1 + drawId()),
    labels: Float32Array.from({ length: c.batchSize }, () => (random() < 0.5 ? 0 : 1)),
  });
  const warm = batch();
  await wasm.runner.trainBatch(warm.ids, warm.labels);
  const batchMs: number[] = [];
  for (let i = 0; i < c.batches; i++) {
    const b = batch();
    const started = performance.now();
    await wasm.runner.trainBatch(b.ids, b.labels);
    batchMs.push(performance.now() - started);
  }
  wasm.release();
  model.dispose();
  const msPerBatch = [...batchMs].sort((a, b) => a - b)[Math.floor(batchMs.length / 2)]!;
  return {
    case: c,
    threads: wasm.threads,
    threadsNote: plan.note,
    hardwareConcurrency: where.hardwareConcurrency,
    crossOriginIsolated: where.crossOriginIsolated,
    msPerBatch,
    batchMs,
    examplesPerSecond: (c.batchSize * 1000) / msPerBatch,
    error: null,
  };
}

/** What the benchmark page calls, through the app's worker layer (src/workers/rpc.ts). */
export interface WasmBenchApi {
  run(benchCase: WasmBenchCase): Promise<WasmBenchResult>;
}
serve<WasmBenchApi>({ run });
