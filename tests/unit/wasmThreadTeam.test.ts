/**
 * The WebAssembly engine's threaded runner (src/model/wasm/wasmRunner.ts with threads.ts): the
 * same run split over 3 threads (this one and two Node worker threads on one shared memory, the
 * batch's rows split unevenly when they do not divide) trains and predicts as the one-thread run:
 * losses within 1e-6, weights and probabilities within 1e-5 of each tensor's largest value. Only
 * the order of float additions differs. The browser's helpers (src/workers/wasmThread/) are the
 * same phases behind the app's worker RPC; the e2e truth test trains through them.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planThreads, rowShare } from '../../src/model/wasm/threads';
import { createWasmRun } from '../../src/model/wasm/wasmRunner';
import { buildModelFor, loadWasmModule, randomLabels, reviewLikeIds, scaledError, type CaseShape } from './wasmHelpers';
import { nodeHelpers as startNodeHelpers } from './wasmNodeHelpers';

/** Helpers as Node worker threads (the browser's are Web Workers behind Comlink). */
const helpers = startNodeHelpers();
afterAll(() => helpers.endAll());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the threaded WebAssembly runner', () => {
  it('splits rows as evenly as whole rows allow', () => {
    expect([0, 1, 2].map((t) => rowShare(11, t, 3))).toEqual([
      [0, 3],
      [3, 7],
      [7, 11],
    ]);
    expect(rowShare(1, 1, 2)).toEqual([0, 1]);
  });

  it('plans one thread per core, and one with a reason where memory cannot be shared', () => {
    expect(planThreads({ crossOriginIsolated: true, hardwareConcurrency: 8 }, 128)).toEqual({ threads: 8, note: null });
    expect(planThreads({ crossOriginIsolated: true, hardwareConcurrency: 8 }, 3).threads).toBe(3);
    const isolated = planThreads({ crossOriginIsolated: false, hardwareConcurrency: 4 }, 128);
    expect(isolated.threads).toBe(1);
    expect(isolated.note).toMatch(/not cross-origin isolated.*Cross-Origin-Embedder-Policy: require-corp/);
  });

  it('trains and predicts over 3 threads as over one', async () => {
    const c: CaseShape = { batch: 11, maxlen: 20, vocab: 80, embed: 12, units: 16 };
    const compile = (threads: boolean) => Promise.resolve(loadWasmModule(threads));
    const options = { maxlen: c.maxlen, batchSize: c.batch, optimizer: 'rmsprop' as const, learningRate: 0.01 };
    const oneModel = buildModelFor(c, 5);
    const threeModel = buildModelFor(c, 5);
    const one = await createWasmRun({ ...options, compile, model: oneModel });
    const three = await createWasmRun({
      ...options,
      compile,
      model: threeModel,
      threads: { plan: { threads: 3, note: null }, start: helpers.start },
    });
    expect(one.threads).toBe(1);
    expect(three.threads).toBe(3);
    for (let step = 0; step < 4; step++) {
      // The last batch is a short one, as an epoch's last batch is.
      const rows = step === 3 ? 7 : c.batch;
      const ids = reviewLikeIds({ ...c, batch: rows }, 70 + step);
      const labels = randomLabels(rows, 80 + step);
      const a = await one.runner.trainBatch(ids, labels);
      const b = await three.runner.trainBatch(ids, labels);
      expect(Math.abs(a.loss - b.loss), `step ${step + 1} loss`).toBeLessThanOrEqual(1e-6);
    }
    const probe = reviewLikeIds({ ...c, batch: 30 }, 99);
    const p1 = await one.runner.predictBatch(probe, 30);
    const p3 = await three.runner.predictBatch(probe, 30);
    expect(scaledError(p3, p1)).toBeLessThanOrEqual(1e-5);
    one.finish();
    three.finish();
    const w1 = oneModel.getWeights().map((w) => w.dataSync());
    const w3 = threeModel.getWeights().map((w) => w.dataSync());
    w1.forEach((w, i) => expect(scaledError(w3[i]!, w), `weight ${i}`).toBeLessThanOrEqual(1e-5));
    const initial = buildModelFor(c, 5).getWeights()[1]!.dataSync();
    expect(scaledError(initial, w1[1]!)).toBeGreaterThan(1e-3); // it trained
    three.release();
  }, 60_000);
});
