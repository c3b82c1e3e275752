/**
 * The threads build on one shared WebAssembly.Memory: two Node worker threads, each with its own
 * instance of the module, run every phase on their shares (the batch's sequences split unevenly,
 * 3 rows and 8), and give the gradients and updated weights of one thread running the plain build.
 * Only the order of float additions differs (partial gradients are summed per thread), so the
 * bound is tight: scaledError (max |a - b| / max |b|) ≤ 1e-5.
 * Then one step on the main thread alone (fewer threads than gradient blocks) must agree too.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemory, WasmTrainer, type WasmGradients, type WasmRunShape } from '../../src/model/wasm/wasmTrainer';
import { loadWasmModule, randomLabels, randomWeights, reviewLikeIds, scaledError, type CaseShape } from './wasmHelpers';

// Plain CommonJS evaluated in the worker: instantiate the module over the shared memory, then run
// whatever phase the main thread asks for and answer when done (the barrier between phases).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
parentPort.on('message', ({ phase, args }) => {
  kernels[phase](...args);
  parentPort.postMessage('done');
});
`;

type Phase = 'phasePrepare' | 'phaseForwardBackward' | 'phaseEmbedding' | 'phaseOptimize';

const workers: Worker[] = [];
afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
});

function runOn(worker: Worker, phase: Phase, args: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('error', failed);
      resolve();
    };
    const failed = (error: Error) => {
      worker.off('message', done);
      reject(error);
    };
    worker.once('message', done);
    worker.once('error', failed);
    worker.postMessage({ phase, args });
  });
}

describe('WebAssembly threads build', () => {
  it('two worker threads with an uneven split of the batch give one thread’s gradients and step', async () => {
    const c: CaseShape = { batch: 11, maxlen: 30, vocab: 60, embed: 12, units: 16 };
    const shape: WasmRunShape = {
      batchSize: c.batch,
      maxlen: c.maxlen,
      vocabularySize: c.vocab,
      embeddingDim: c.embed,
      lstmUnits: c.units,
    };
    const optimizer = { kind: 'adam', learningRate: 0.01 } as const;
    const weights = randomWeights(c, 31);

    const single = await WasmTrainer.create(loadWasmModule(false), shape, optimizer);
    single.setWeights(weights);

    const threadsModule = loadWasmModule(true);
    const memory = createMemory(true);
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const shared = await WasmTrainer.create(threadsModule, shape, optimizer, { threads: 2, memory });
    shared.setWeights(weights);
    for (let i = 0; i < 2; i++) {
      workers.push(new Worker(WORKER_SOURCE, { eval: true, workerData: { module: threadsModule, memory } }));
    }
    const cfg = shared.cfg;
    const both = (phase: Phase) => Promise.all(workers.map((w, thread) => runOn(w, phase, [cfg, thread, 2])));
    const split = 3; // thread 0: rows [0, 3), thread 1: rows [3, 11)

    for (let step = 0; step < 3; step++) {
      const ids = reviewLikeIds(c, 40 + step);
      const labels = randomLabels(c.batch, 50 + step);

      single.loadBatch(ids, labels);
      single.computeGradientsInPlace();
      const expected = single.readGradients();

      shared.loadBatch(ids, labels);
      await both('phasePrepare');
      await Promise.all([
        runOn(workers[0]!, 'phaseForwardBackward', [cfg, 0, 0, split]),
        runOn(workers[1]!, 'phaseForwardBackward', [cfg, 1, split, c.batch]),
      ]);
      await both('phaseEmbedding');
      const actual = shared.readGradients();
      expect(Array.from(actual.embeddingTokens)).toEqual(Array.from(expected.embeddingTokens));
      for (const key of Object.keys(expected) as (keyof WasmGradients)[]) {
        if (key === 'embeddingTokens') continue;
        expect(scaledError(actual[key], expected[key]), `step ${step + 1} ${key}`).toBeLessThanOrEqual(1e-5);
      }
      expect(Math.abs(shared.batchMetrics().loss - single.batchMetrics().loss)).toBeLessThanOrEqual(1e-6);

      single.beginOptimize();
      single.kernels.phaseOptimize(single.cfg, 0, 1);
      single.endOptimize();
      shared.beginOptimize();
      await both('phaseOptimize');
      shared.endOptimize();
    }
    // One more step on the main thread alone: thread 1's block still holds its last partial
    // gradient and must not leak into this step's sum.
    const ids = reviewLikeIds(c, 60);
    const labels = randomLabels(c.batch, 61);
    expect(shared.trainStep(ids, labels).loss).toBeCloseTo(single.trainStep(ids, labels).loss, 6);
    const a = shared.getWeights();
    const b = single.getWeights();
    for (const key of Object.keys(b) as (keyof typeof b)[]) {
      expect(scaledError(a[key], b[key]), key).toBeLessThanOrEqual(1e-5);
    }
    expect(scaledError(weights.embeddings, b.embeddings)).toBeGreaterThan(1e-3); // it trained
  }, 60_000);
});
