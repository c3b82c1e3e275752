/**
 * Issue 11, faults of the WebAssembly engine, each injected through a real seam:
 * - a helper thread that dies in the middle of a phase (tests/unit/wasmNodeHelpers.ts: a Node
 *   worker thread that does part of its share and exits): the run ends with a message naming the
 *   epoch and batch, and the model keeps the last good weights — exactly the ones before the
 *   batch when the thread died before the weights were touched, epoch 1's when it died while
 *   updating them — every helper has ended and no tensor is left behind; one lost while
 *   validating ends training the same way, and one lost in the predictions after training costs
 *   nothing but the thread (faultTolerant asks again; the answers are the one-thread run's);
 * - a memory that cannot be had (a real WebAssembly.Memory whose `grow` throws, a factory whose
 *   `new WebAssembly.Memory` throws): the run trains with tfjs instead, the reason says how many MB
 *   could not be allocated and what to change, the model keeps its initial weights, no helper ran;
 *   and a memory that cannot grow past the run's size is all a run needs (nothing allocates later).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import { chooseRunner, type RunnerChoice, type RunnerRequest } from '../../src/model/engineChoice';
import { createOptimizer } from '../../src/model/runner';
import { createWasmRun } from '../../src/model/wasm/wasmRunner';
import { createMemory, type LstmWeights } from '../../src/model/wasm/wasmTrainer';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../../src/training/settings';
import { faultTolerant, RunnerFault, trainModel, type TrainOutcome } from '../../src/training/trainer';
import { validationSplit } from '../../src/training/validationSplit';
import {
  buildModelFor,
  loadWasmModule,
  modelWeights,
  randomLabels,
  reviewLikeIds,
  toyTask,
  type CaseShape,
} from './wasmHelpers';
import { nodeHelpers, type HelperDeath, type NodeHelpers } from './wasmNodeHelpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installEmbeddingGradient();
});

const shape: CaseShape = { batch: 16, maxlen: 12, vocab: 60, embed: 8, units: 8 };
const SOFTWARE_WEBGL = { name: 'webgl', renderer: 'ANGLE (SwiftShader)', softwareRendered: true };
const THREE_THREADS = { threads: 3, note: null };
const compileWasm = (threads: boolean) => Promise.resolve(loadWasmModule(threads));
// 200 reviews, 20% held out: 160 to train on, 10 batches of 16 per epoch.
const examples = toyTask(shape, 200, 21);
const split = validationSplit(examples.labels, 0.2, 1);

const everyHelper: NodeHelpers[] = [];
afterAll(() => Promise.all(everyHelper.map((helpers) => helpers.endAll())));

function settingsFor(engine: TrainingSettings['engine'], c: CaseShape = shape): TrainingSettings {
  return {
    ...DEFAULT_SETTINGS,
    engine,
    batchSize: c.batch,
    maxlen: c.maxlen,
    embeddingDim: c.embed,
    lstmUnits: c.units,
    learningRate: 0.01,
    epochs: 3,
  };
}

/** A run's pieces as the training worker makes them, with the WebAssembly engine's helpers given. */
async function startRun(request: Partial<RunnerRequest> & { settings: TrainingSettings; c?: CaseShape }) {
  const c = request.c ?? shape;
  const model = buildModelFor(c, 3);
  const optimizer = createOptimizer(request.settings);
  const choice = await chooseRunner({
    model,
    optimizer,
    maxlen: c.maxlen,
    backend: SOFTWARE_WEBGL,
    calibrationBatch: { ids: reviewLikeIds(c, 5), labels: randomLabels(c.batch, 6) },
    compileWasm,
    ...request,
  });
  const dispose = () => {
    choice.release();
    optimizer.dispose();
    model.dispose();
  };
  return { model, choice, dispose };
}

const copyWeights = (w: LstmWeights): LstmWeights =>
  Object.fromEntries(
    Object.entries(w).map(([key, value]) => [key, Float32Array.from(value)]),
  ) as unknown as LstmWeights;

/** Whether two sets of weights are the same bit for bit (a restore is a copy, not a recomputation). */
const sameWeights = (a: LstmWeights, b: LstmWeights) =>
  (Object.keys(a) as (keyof LstmWeights)[]).every(
    (key) => a[key].length === b[key].length && a[key].every((v, i) => Object.is(v, b[key][i])),
  );

/**
 * Trains the 3-thread WebAssembly run with one helper dying as `death` says, keeping copies of the
 * engine's weights after each batch and each epoch, and right after the failed step.
 */
async function trainWithDeath(death: HelperDeath) {
  const tensorsBefore = tf.memory().numTensors;
  const helpers = nodeHelpers(death);
  everyHelper.push(helpers);
  const settings = settingsFor('wasm');
  const run = await startRun({ settings, wasmThreads: { plan: THREE_THREADS, start: helpers.start } });
  expect(run.choice.engine).toBe('wasm');
  expect(run.choice.threads).toBe(3);
  const engine = run.choice.runner;
  const snapshot = () => copyWeights(engine.snapshot() as LstmWeights);
  const afterEpoch: LstmWeights[] = [];
  let beforeBatch = snapshot();
  let afterBatch = beforeBatch;
  let afterFault: LstmWeights | null = null;
  const outcome: TrainOutcome = await trainModel({
    runner: {
      ...engine,
      trainBatch: async (ids, labels) => {
        beforeBatch = snapshot();
        try {
          return await engine.trainBatch(ids, labels);
        } catch (error) {
          afterFault = snapshot();
          throw error;
        }
      },
    },
    examples,
    split,
    settings: { batchSize: shape.batch, epochs: 3, seed: 1, earlyStoppingPatience: 0 },
    events: {
      onBatch: () => (afterBatch = snapshot()),
      onEpoch: () => afterEpoch.push(snapshot()),
      shouldStop: () => false,
    },
  });
  return {
    ...run,
    helpers,
    outcome,
    afterEpoch,
    beforeBatch,
    afterBatch,
    afterFault: afterFault as LstmWeights | null,
    tensorsBefore,
  };
}

/** What the worker does after training: the engine's test predictions, then `finish` into the layers model. */
async function finishLikeTheWorker(choice: RunnerChoice, model: tf.LayersModel) {
  const test = toyTask(shape, 40, 99);
  const engineProbabilities = await choice.runner.predictBatch(test.ids, test.count);
  choice.finish();
  const saved = tf.tidy(() =>
    (model.predict(tf.tensor2d(test.ids, [test.count, shape.maxlen], 'int32')) as tf.Tensor).dataSync(),
  );
  let gap = 0;
  for (let i = 0; i < test.count; i++) gap = Math.max(gap, Math.abs(saved[i]! - engineProbabilities[i]!));
  return { gap, weights: modelWeights(model) };
}

const allFinite = (w: LstmWeights) => Object.values(w).every((values) => values.every(Number.isFinite));

describe('a WebAssembly helper thread lost mid-phase', () => {
  it('in phaseOptimize: the run ends with a message and epoch 1’s weights, every helper ended, no tensor left', async () => {
    // Epoch 2, batch 3 is the 13th step; helper 2 dies before touching its share of the update.
    const run = await trainWithDeath({ thread: 2, phase: 'phaseOptimize', call: 13 });
    const { outcome } = run;
    expect(outcome.stopReason).toBe('engine-fault');
    expect(outcome.message).toBe(
      'A WebAssembly thread was lost at epoch 2, batch 3 (helper thread 2 of 2 failed in phaseOptimize: ' +
        'The WebAssembly thread 2 worker failed: it exited with code 1). It left the weights part-updated, ' +
        'so training stopped and the weights of epoch 1 were restored.',
    );
    expect(outcome.restoredEpoch).toBe(1);
    expect(outcome.history.map((p) => p.epoch)).toEqual([1]);
    // The fault really left the memory part-updated: this thread's share of the step was applied.
    expect(run.afterFault).not.toBeNull();
    expect(sameWeights(run.afterFault!, run.beforeBatch)).toBe(false);
    // Both helpers ended: the one that died and the one that finished its share.
    await run.helpers.allExited();
    expect(run.helpers.started()).toBe(2);

    const { gap, weights } = await finishLikeTheWorker(run.choice, run.model);
    expect(sameWeights(weights, run.afterEpoch[0]!)).toBe(true);
    expect(allFinite(weights)).toBe(true);
    // The engine, now on one thread, predicts what the saved model predicts (the self-check).
    expect(gap).toBeLessThan(1e-5);
    run.dispose();
    expect(tf.memory().numTensors).toBe(run.tensorsBefore);
  }, 60_000);

  it('in phaseForwardBackward, half its rows done: the model keeps the weights from before that batch', async () => {
    // Epoch 2, batch 4 is the 14th step.
    const run = await trainWithDeath({ thread: 1, phase: 'phaseForwardBackward', call: 14 });
    const { outcome } = run;
    expect(outcome.stopReason).toBe('engine-fault');
    expect(outcome.message).toBe(
      'A WebAssembly thread was lost at epoch 2, batch 4 (helper thread 1 of 2 failed in phaseForwardBackward: ' +
        'The WebAssembly thread 1 worker failed: it exited with code 1). Training stopped there; ' +
        'the model keeps the weights it had before that batch.',
    );
    expect(outcome.restoredEpoch).toBeNull();
    // No weight was written by the failed step, and those weights are three steps past epoch 1's.
    expect(sameWeights(run.afterFault!, run.beforeBatch)).toBe(true);
    expect(sameWeights(run.beforeBatch, run.afterEpoch[0]!)).toBe(false);
    await run.helpers.allExited();

    const { gap, weights } = await finishLikeTheWorker(run.choice, run.model);
    expect(sameWeights(weights, run.beforeBatch)).toBe(true);
    expect(allFinite(weights)).toBe(true);
    expect(gap).toBeLessThan(1e-5);
    run.dispose();
    expect(tf.memory().numTensors).toBe(run.tensorsBefore);
  }, 60_000);

  it('while validating: training ends there and the model keeps the weights of the epoch’s last batch', async () => {
    // 40 validation rows in predictions of 32 and 8, split again into the engine's batches of 16:
    // three phaseForward calls per validation, so the 5th is in epoch 2's.
    const run = await trainWithDeath({ thread: 2, phase: 'phaseForward', call: 5 });
    const { outcome } = run;
    expect(outcome.stopReason).toBe('engine-fault');
    expect(outcome.message).toBe(
      'A WebAssembly thread was lost at epoch 2, while validating (helper thread 2 of 2 failed in phaseForward: ' +
        'The WebAssembly thread 2 worker failed: it exited with code 1). Training stopped there; ' +
        "the model keeps the weights of epoch 2's last batch.",
    );
    expect(outcome.history.map((p) => p.epoch)).toEqual([1]);
    await run.helpers.allExited();
    const { gap, weights } = await finishLikeTheWorker(run.choice, run.model);
    expect(sameWeights(weights, run.afterBatch)).toBe(true);
    expect(sameWeights(weights, run.afterEpoch[0]!)).toBe(false);
    expect(gap).toBeLessThan(1e-5);
    run.dispose();
    expect(tf.memory().numTensors).toBe(run.tensorsBefore);
  }, 60_000);

  it('while predicting after training: the predictions are made again on this thread, and are the same', async () => {
    const model = buildModelFor(shape, 4);
    const options = { compile: compileWasm, model, maxlen: shape.maxlen, batchSize: shape.batch };
    const common = { ...options, optimizer: 'rmsprop' as const, learningRate: 0.01 };
    const one = await createWasmRun(common);
    const helpers = nodeHelpers({ thread: 1, phase: 'phaseForward', call: 2 });
    everyHelper.push(helpers);
    const three = await createWasmRun({ ...common, threads: { plan: THREE_THREADS, start: helpers.start } });
    const probe = toyTask(shape, 40, 98); // 3 predictions of at most 16 rows: the second one loses its helper
    const faults: RunnerFault[] = [];
    const predicted = await faultTolerant(three.runner, (fault) => faults.push(fault)).predictBatch(probe.ids, 40);
    expect(faults).toHaveLength(1);
    expect(faults[0]!.weightsIntact).toBe(true);
    expect(faults[0]!.detail).toBe(
      'helper thread 1 of 2 failed in phaseForward: The WebAssembly thread 1 worker failed: it exited with code 1',
    );
    await helpers.allExited();
    const expected = await one.runner.predictBatch(probe.ids, 40);
    let gap = 0;
    for (let i = 0; i < 40; i++) gap = Math.max(gap, Math.abs(predicted[i]! - expected[i]!));
    expect(gap).toBeLessThan(1e-6);
    // Without its helpers the engine still trains, on this thread, as the one-thread run does.
    const batch = toyTask(shape, shape.batch, 97);
    const labels = Float32Array.from(batch.labels);
    const a = await one.runner.trainBatch(batch.ids, labels);
    const b = await three.runner.trainBatch(batch.ids, labels);
    expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-6);
    three.release();
    one.release();
    model.dispose();
  }, 60_000);
});

describe('a WebAssembly memory that cannot be had', () => {
  // A shape whose memory is several MB, so the figure in the message means something.
  const big: CaseShape = { batch: 64, maxlen: 100, vocab: 2000, embed: 32, units: 32 };

  /** The size a 3-thread run of `big` grows its memory to, from a run that could have it. */
  async function grownBytes(): Promise<number> {
    const helpers = nodeHelpers();
    everyHelper.push(helpers);
    let made: WebAssembly.Memory | null = null;
    const run = await startRun({
      settings: settingsFor('wasm', big),
      c: big,
      wasmThreads: { plan: THREE_THREADS, start: helpers.start },
      wasmMemory: (shared) => (made = createMemory(shared)),
    });
    expect(run.choice.engine).toBe('wasm');
    run.dispose();
    return (made as WebAssembly.Memory | null)!.buffer.byteLength;
  }

  it('that cannot grow: the run trains with stock, saying how many MB and what to change; nothing ran, weights kept', async () => {
    const bytes = await grownBytes();
    expect(bytes).toBeGreaterThan(4 * 2 ** 20);
    const tensorsBefore = tf.memory().numTensors;
    const helpers = nodeHelpers();
    everyHelper.push(helpers);
    // A real memory that may not grow past 1 MB: its grow throws RangeError, as a browser's does when it has no memory to give.
    const small = (shared: boolean) => new WebAssembly.Memory({ initial: 1, maximum: 16, shared });
    const run = await startRun({
      settings: settingsFor('wasm', big),
      c: big,
      wasmThreads: { plan: THREE_THREADS, start: helpers.start },
      wasmMemory: small,
    });
    const initial = copyWeights(modelWeights(run.model));
    expect(run.choice.engine).toBe('stock');
    const note = run.choice.note ?? '';
    const match =
      /^the WebAssembly engine could not start \(it could not allocate the (\d+) MB of WebAssembly memory that batch size 64 and maxlen 100 need — WebAssembly\.Memory\.grow\(\): Maximum memory size exceeded; a smaller batch size or maxlen needs less, or choose another LSTM engine\)$/.exec(
        note,
      );
    expect(match, note).not.toBeNull();
    // The figure is what a run that could have its memory grew it to (there in whole 64 KiB pages).
    expect(Math.abs(Number(match![1]) - bytes / 2 ** 20)).toBeLessThan(1);
    expect(helpers.started()).toBe(0);
    expect(sameWeights(modelWeights(run.model), initial)).toBe(true);
    // The run goes on with stock from the initial weights.
    const toy = toyTask(big, 128, 5);
    const outcome = await trainModel({
      runner: run.choice.runner,
      examples: toy,
      split: validationSplit(toy.labels, 0.25, 1),
      settings: { batchSize: big.batch, epochs: 1, seed: 1, earlyStoppingPatience: 0 },
      events: { onBatch: () => {}, onEpoch: () => {}, shouldStop: () => false },
    });
    expect(outcome.stopReason).toBe('completed');
    run.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 60_000);

  it('that cannot be created: auto says so and trains with stock; no helper started', async () => {
    const helpers = nodeHelpers();
    everyHelper.push(helpers);
    const run = await startRun({
      settings: settingsFor('auto'),
      wasmThreads: { plan: THREE_THREADS, start: helpers.start },
      // V8's own words when it has no address space left for a memory.
      wasmMemory: () => {
        throw new RangeError('WebAssembly.Memory(): could not allocate memory');
      },
    });
    expect(run.choice.engine).toBe('stock');
    expect(run.choice.note).toMatch(
      /^auto: the WebAssembly engine could not start \(it could not create a memory for the \d+ MB of WebAssembly memory that batch size 16 and maxlen 12 need — WebAssembly\.Memory\(\): could not allocate memory; a smaller batch size or maxlen needs less, or choose another LSTM engine\)$/,
    );
    expect(helpers.started()).toBe(0);
    run.dispose();
  });

  it('is the engine’s only allocation: a memory that cannot grow past the run’s size trains, validates and predicts', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const bytes = await grownBytes();
    const pages = bytes / 65536;
    const helpers = nodeHelpers();
    everyHelper.push(helpers);
    let made: WebAssembly.Memory | null = null;
    const run = await startRun({
      settings: settingsFor('wasm', big),
      c: big,
      wasmThreads: { plan: THREE_THREADS, start: helpers.start },
      wasmMemory: (shared) => (made = new WebAssembly.Memory({ initial: 1, maximum: pages, shared })),
    });
    expect(run.choice.engine).toBe('wasm');
    const memory = (made as WebAssembly.Memory | null)!;
    expect(memory.buffer.byteLength).toBe(bytes);
    const toy = toyTask(big, 160, 6);
    const outcome = await trainModel({
      runner: run.choice.runner,
      examples: toy,
      split: validationSplit(toy.labels, 0.2, 1),
      settings: { batchSize: big.batch, epochs: 2, seed: 1, earlyStoppingPatience: 0 },
      events: { onBatch: () => {}, onEpoch: () => {}, shouldStop: () => false },
    });
    expect(outcome.stopReason).toBe('completed');
    expect(outcome.history).toHaveLength(2);
    await run.choice.runner.predictBatch(toy.ids, toy.count);
    expect(memory.buffer.byteLength).toBe(bytes);
    run.dispose();
    await helpers.allExited();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 60_000);
});
