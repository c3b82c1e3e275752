/**
 * The WebAssembly engine inside the app's training loop: chooseRunner picks it, trainModel trains
 * with it (early stopping restores its weights), and after `finish` the layers model (what is saved
 * and downloaded) predicts exactly what the engine predicts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import { chooseRunner } from '../../src/model/engineChoice';
import { createOptimizer } from '../../src/model/runner';
import { evaluate, trainModel } from '../../src/training/trainer';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../../src/training/settings';
import { validationSplit } from '../../src/training/validationSplit';
import { buildModelFor, loadWasmModule, randomLabels, reviewLikeIds, toyTask, type CaseShape } from './wasmHelpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installEmbeddingGradient();
});

const shape: CaseShape = { batch: 16, maxlen: 12, vocab: 60, embed: 8, units: 8 };

const toyExamples = (count: number, seed: number) => toyTask(shape, count, seed);

const SOFTWARE_WEBGL = { name: 'webgl', renderer: 'ANGLE (SwiftShader)', softwareRendered: true };
const CALIBRATION = { ids: reviewLikeIds(shape, 5), labels: randomLabels(shape.batch, 6) };

function settingsFor(engine: TrainingSettings['engine']): TrainingSettings {
  return {
    ...DEFAULT_SETTINGS,
    engine,
    batchSize: shape.batch,
    embeddingDim: shape.embed,
    lstmUnits: shape.units,
    learningRate: 0.01,
    epochs: 3,
  };
}

describe('the WebAssembly engine in the training loop', () => {
  it('trains, and the layers model it leaves predicts what the engine predicts', async () => {
    const model = buildModelFor(shape, 3);
    const optimizer = createOptimizer(settingsFor('wasm'));
    const choice = await chooseRunner({
      settings: settingsFor('wasm'),
      model,
      optimizer,
      maxlen: shape.maxlen,
      backend: SOFTWARE_WEBGL,
      calibrationBatch: CALIBRATION,
      compileWasm: () => Promise.resolve(loadWasmModule()),
    });
    expect(choice.engine).toBe('wasm');
    expect(choice.note).toBeNull();
    const examples = toyExamples(400, 11);
    const outcome = await trainModel({
      runner: choice.runner,
      examples,
      split: validationSplit(examples.labels, 0.2, 1),
      settings: { batchSize: shape.batch, epochs: 3, seed: 1, earlyStoppingPatience: 0 },
      events: { onBatch: () => {}, onEpoch: () => {}, shouldStop: () => false },
    });
    expect(outcome.history).toHaveLength(3);
    expect(outcome.history.at(-1)!.valAccuracy).toBeGreaterThan(0.8);

    const test = toyExamples(100, 99);
    const viaEngine = (await evaluate({ runner: choice.runner, examples: test, indices: null, batchSize: 40 }))!;
    choice.finish();
    const probabilities = tf.tidy(
      () =>
        (model.predict(tf.tensor2d(test.ids, [100, shape.maxlen], 'int32')) as tf.Tensor).dataSync() as Float32Array,
    );
    const engineProbabilities = await choice.runner.predictBatch(test.ids, 100);
    let gap = 0;
    for (let i = 0; i < 100; i++) gap = Math.max(gap, Math.abs(probabilities[i]! - engineProbabilities[i]!));
    expect(gap).toBeLessThan(1e-5);
    expect(viaEngine.accuracy).toBeGreaterThan(0.8);
    optimizer.dispose();
    model.dispose();
  });

  it('a NaN loss ends the run with a message and the last good epoch’s weights, finite', async () => {
    const model = buildModelFor(shape, 3);
    const settings = { ...settingsFor('wasm'), optimizer: 'sgd' as const, learningRate: 0.01 };
    const optimizer = createOptimizer(settings);
    const choice = await chooseRunner({
      settings,
      model,
      optimizer,
      maxlen: shape.maxlen,
      backend: SOFTWARE_WEBGL,
      calibrationBatch: CALIBRATION,
      compileWasm: () => Promise.resolve(loadWasmModule()),
    });
    expect(choice.engine).toBe('wasm');
    const examples = toyExamples(200, 21);
    // Epoch 1 trains normally; then the weights are poisoned with an infinity, as a diverging run's are.
    let batches = 0;
    const runner = {
      ...choice.runner,
      trainBatch: async (ids: Int32Array, labels: Float32Array) => {
        if (++batches === 12) {
          const weights = choice.runner.snapshot() as unknown as Record<string, Float32Array>;
          weights['denseKernel']![0] = Number.POSITIVE_INFINITY;
          weights['denseBias']![0] = Number.NEGATIVE_INFINITY;
          choice.runner.restore(weights as never);
        }
        return choice.runner.trainBatch(ids, labels);
      },
    };
    const outcome = await trainModel({
      runner,
      examples,
      split: validationSplit(examples.labels, 0.2, 1),
      settings: { batchSize: shape.batch, epochs: 3, seed: 1, earlyStoppingPatience: 0 },
      events: { onBatch: () => {}, onEpoch: () => {}, shouldStop: () => false },
    });
    expect(outcome.stopReason).toBe('nan-loss');
    expect(outcome.message).toMatch(
      /The loss became NaN at epoch 2, batch 2: training diverged\. Try a lower learning rate\. The weights of epoch 1 were restored\./,
    );
    expect(outcome.restoredEpoch).toBe(1);
    choice.finish();
    const finite = model.getWeights().every((w) => (w.dataSync() as Float32Array).every(Number.isFinite));
    expect(finite).toBe(true);
    choice.release();
    optimizer.dispose();
    model.dispose();
  });

  it('falls back to stock, saying why, where the model does not fit the kernels', async () => {
    const model = buildModelFor({ ...shape, units: 6 }, 3);
    const optimizer = createOptimizer(settingsFor('wasm'));
    const choice = await chooseRunner({
      settings: { ...settingsFor('wasm'), lstmUnits: 6 },
      model,
      optimizer,
      maxlen: shape.maxlen,
      backend: SOFTWARE_WEBGL,
      calibrationBatch: CALIBRATION,
      compileWasm: () => Promise.resolve(loadWasmModule()),
    });
    expect(choice.engine).toBe('stock');
    expect(choice.note).toMatch(/multiples of 4/);
    const broken = await chooseRunner({
      settings: settingsFor('wasm'),
      model: buildModelFor(shape, 3),
      optimizer,
      maxlen: shape.maxlen,
      backend: SOFTWARE_WEBGL,
      calibrationBatch: CALIBRATION,
      compileWasm: () => Promise.reject(new Error('no SIMD here')),
    });
    expect(broken.engine).toBe('stock');
    expect(broken.note).toMatch(/could not start \(no SIMD here\)/);
    optimizer.dispose();
    model.dispose();
  });

  it('auto: WebAssembly where WebGL is software-rendered or missing, saying why', async () => {
    const model = buildModelFor(shape, 3);
    const optimizer = createOptimizer(settingsFor('auto'));
    const request = {
      settings: settingsFor('auto'),
      model,
      optimizer,
      maxlen: shape.maxlen,
      calibrationBatch: CALIBRATION,
      compileWasm: () => Promise.resolve(loadWasmModule()),
    };
    const software = await chooseRunner({ ...request, backend: SOFTWARE_WEBGL });
    expect(software.engine).toBe('wasm');
    expect(software.note).toBe(
      'auto: the WebAssembly engine, because WebGL here is software-rendered (ANGLE (SwiftShader))',
    );
    const noWebgl = await chooseRunner({
      ...request,
      backend: { name: 'cpu', renderer: null, softwareRendered: false },
    });
    expect(noWebgl.note).toBe('auto: the WebAssembly engine, because there is no WebGL here (tfjs runs on cpu)');
    // Hardware WebGL: the fused engine is a candidate only on tfjs's webgl backend (here: cpu).
    const gpu = await chooseRunner({
      ...request,
      backend: { name: 'webgl', renderer: 'A GPU', softwareRendered: false },
    });
    expect(gpu.engine).toBe('wasm');
    expect(gpu.note).toMatch(/^auto: the WebAssembly engine \(the fused engine needs the webgl backend/);
    // Without usable kernels auto falls back to tfjs, with the reason.
    const noKernels = await chooseRunner({
      ...request,
      backend: SOFTWARE_WEBGL,
      compileWasm: () => Promise.reject(new Error('no SIMD here')),
    });
    expect(noKernels.engine).toBe('stock');
    expect(noKernels.note).toMatch(/^auto: the WebAssembly engine could not start/);
    optimizer.dispose();
    model.dispose();
  });
});
