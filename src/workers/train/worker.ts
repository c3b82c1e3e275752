/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { buildSentimentModel } from '../../model/buildModel';
import { installEmbeddingGradient } from '../../model/embeddingGradient';
import { saveModelArtifacts } from '../../model/exportModel';
import type { CapturedArtifacts } from '../../bundle/artifacts';
import { bundleFromRun } from '../../bundle/runBundle';
import { classifierFromArtifacts } from '../../inference/fromArtifacts';
import { chooseRunner, type RunnerChoice } from '../../model/engineChoice';
import { compileKernels } from '../../model/wasm/compileKernels';
import { planThreads } from '../../model/wasm/threads';
import { startWasmHelpers } from '../wasmThread/client';
import { createOptimizer } from '../../model/runner';
import {
  faultTolerant,
  predictProbabilities,
  trainModel,
  type BatchPoint,
  type BatchRunner,
  type RunnerFault,
  type TrainOutcome,
} from '../../training/trainer';
import { checkAgainstBundle, type CheckedTestResult } from '../../training/selfCheck';
import { settingsToSearch, validateSettings, type TrainingSettings } from '../../training/settings';
import { gatherBatch } from '../../training/examples';
import { validationSplit, type IndexSplit } from '../../training/validationSplit';
import type { Checkpointing, RunEvent, RunReport, RunSummary, TrainedRun, TrainingData, TrainWorkerApi } from './api';
import { assembleReport, NO_VALIDATION_SPLIT } from '../../report/runReport';
import { shortVersionAccuracy } from '../../training/shortVersionAccuracy';
import { initBackend, loseContext, watchContextLoss, type BackendInfo } from '../../model/backend';
import { release, serve, transfer } from '../rpc';
import { CheckpointStore, type StoredCheckpoint } from '../../storage/checkpointStore';
import { placeOf } from '../../training/checkpointPlace';

/** Batch points go to the page at most this often: enough for live charts, cheap for both sides. */
const FLUSH_INTERVAL_MS = 250;

let backendReady: Promise<BackendInfo> | null = null;
let data: TrainingData | null = null;
let activeRun: { runId: number; stopRequested: boolean } | null = null;
/** The last trained model, kept until the next run replaces it. */
let trainedModel: tf.LayersModel | null = null;
/** Opened at the first run that checkpoints. */
/** Stopped runs whose checkpoints stay for "Go on" (each holds the weights twice and the optimizer's state). */
const STOPPED_RUNS_KEPT = 3;
let checkpointStore: Promise<CheckpointStore> | null = null;
let contextLost = false;

/** Refuses a run that cannot train on the data the worker holds, with every reason at once. */
function checkRunnable(settings: TrainingSettings): TrainingData {
  if (contextLost) throw new Error('The WebGL context was lost earlier; reload the page to train again.');
  if (!data) throw new Error('Load the dataset before training.');
  const invalid = Object.values(validateSettings(settings));
  if (invalid.length > 0) throw new Error(invalid.join(' '));
  if (data.train.maxlen !== settings.maxlen)
    throw new Error('The loaded dataset was padded to another maxlen; load it again.');
  if (data.vocabularySize > settings.numWords)
    throw new Error('The loaded dataset uses more words than numWords; load it again.');
  return data;
}

/**
 * Events in order, batch points gathered between flushes. Every event travels on the callback's
 * own port; `drained` waits for the page to have handled the last one, so all of them arrive
 * before the run's answer.
 */
function eventStream(onEvent: (event: RunEvent) => void) {
  let pending: BatchPoint[] = [];
  let lastFlush = performance.now();
  let last: unknown = undefined;
  const send = (event: RunEvent) => {
    last = onEvent(event);
  };
  const flush = () => {
    if (pending.length > 0) send({ type: 'batches', points: pending });
    pending = [];
    lastFlush = performance.now();
  };
  return {
    send(event: RunEvent) {
      flush();
      send(event);
    },
    batch(point: BatchPoint) {
      pending.push(point);
      if (performance.now() - lastFlush >= FLUSH_INTERVAL_MS) flush();
    },
    async drained() {
      flush();
      await last;
    },
  };
}

type Events = ReturnType<typeof eventStream>;

async function buildRun(settings: TrainingSettings, data: TrainingData, backend: BackendInfo, split: IndexSplit) {
  const model = buildSentimentModel({
    vocabularySize: settings.numWords,
    maxlen: settings.maxlen,
    embeddingDim: settings.embeddingDim,
    lstmUnits: settings.lstmUnits,
    dropout: settings.dropout,
    seed: settings.seed,
    maskZero: settings.maskZero === 'on',
  });
  const optimizer = createOptimizer(settings);
  try {
    const choice = await chooseRunner({
      settings,
      model,
      optimizer,
      maxlen: data.train.maxlen,
      backend,
      calibrationBatch: gatherBatch(data.train, split.train, 0, Math.min(settings.batchSize, split.train.length)),
      compileWasm: compileKernels,
      wasmThreads: {
        plan: planThreads(
          { crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency },
          settings.batchSize,
        ),
        start: startWasmHelpers,
      },
    });
    return { model, optimizer, choice };
  } catch (error) {
    optimizer.dispose();
    model.dispose();
    throw error;
  }
}

/** The run's checkpoints: the one it resumes (if any), and where it writes the next ones. */
interface RunCheckpoints {
  key: string;
  resumed: StoredCheckpoint | null;
  store: CheckpointStore | null;
  /** Why checkpoints stopped being written (storage refused), if they did. */
  failure: string | null;
  /** A Stop wrote the run's checkpoint: it stays when the run ends, for the page to offer resuming. */
  keep: boolean;
}

async function openCheckpoints(
  checkpointing: Checkpointing | null,
  settings: TrainingSettings,
  data: TrainingData,
): Promise<RunCheckpoints | null> {
  if (!checkpointing) return null;
  let store: CheckpointStore | null = null;
  let failure: string | null = null;
  try {
    store = await (checkpointStore ??= CheckpointStore.open());
  } catch (error) {
    checkpointStore = null;
    failure = error instanceof Error ? error.message : String(error);
  }
  let resumed: StoredCheckpoint | null = null;
  if (checkpointing.resume) {
    resumed = (await store?.read(checkpointing.key)) ?? null;
    if (!resumed) throw new Error(`There is no checkpoint to resume${failure ? ` (${failure})` : ''}.`);
    if (resumed.datasetKey !== data.key)
      throw new Error(
        'The loaded dataset is not the one the checkpointed run trained on; load it with the run’s settings.',
      );
    // The engine may be named now (auto's choice then), the rest must be the run's own.
    if (settingsToSearch({ ...resumed.settings, engine: settings.engine }) !== settingsToSearch(settings))
      throw new Error('The settings differ from the checkpointed run’s; resume it with its own settings.');
  }
  return { key: checkpointing.key, resumed, store, failure, keep: false };
}

async function trainEpochs(
  choice: RunnerChoice,
  settings: TrainingSettings,
  data: TrainingData,
  split: IndexSplit,
  events: Events,
  shouldStop: () => boolean,
  checkpoints: RunCheckpoints | null,
): Promise<TrainOutcome & { batchMilliseconds: number }> {
  const resumed = checkpoints?.resumed ?? null;
  // The throughput's time covers the examples trained before the checkpoint too.
  let batchMilliseconds = resumed ? resumed.batches.reduce((sum, point) => sum + point.milliseconds, 0) : 0;
  if (resumed && resumed.engine !== choice.engine)
    throw new Error(
      `The checkpointed run trained on the ${resumed.engine} engine, which cannot run here now (${choice.note ?? 'it fell back'}); its checkpoint is kept.`,
    );
  // The whole history first, so the charts show the run from its start.
  const batches: BatchPoint[] = resumed ? [...resumed.batches] : [];
  if (resumed) {
    events.send({ type: 'batches', points: resumed.batches });
    for (const point of resumed.checkpoint.history) events.send({ type: 'epoch', point });
  }
  const outcome = await trainModel({
    runner: choice.runner,
    examples: data.train,
    split,
    settings,
    resume: resumed?.checkpoint,
    events: {
      onBatch: (point) => {
        batchMilliseconds += point.milliseconds;
        batches.push(point);
        events.batch(point);
      },
      onEpoch: (point) => events.send({ type: 'epoch', point }),
      onValidationProgress: (done, total) => events.send({ type: 'eval-progress', phase: 'validating', done, total }),
      shouldStop,
      onCheckpoint: checkpoints
        ? async (checkpoint) => {
            // A Stop's checkpoint holds the weights of the last batch, which a lost context cannot vouch for.
            if (!checkpoints.store || (checkpoint.position && contextLost)) return;
            const place = placeOf(checkpoint);
            try {
              await checkpoints.store.write({
                key: checkpoints.key,
                settings,
                datasetKey: data.key,
                engine: choice.engine,
                savedAt: new Date().toISOString(),
                batches: [...batches],
                checkpoint,
              });
              if (checkpoint.position) {
                checkpoints.keep = true;
                await checkpoints.store.pruneStopped(STOPPED_RUNS_KEPT).catch(() => {});
              }
              events.send({ type: 'checkpoint', place, error: null });
            } catch (error) {
              // The run goes on without checkpoints; the last one written stays intact.
              checkpoints.store = null;
              checkpoints.failure = error instanceof Error ? error.message : String(error);
              events.send({ type: 'checkpoint', place, error: checkpoints.failure });
            }
          }
        : undefined,
    },
  });
  if (contextLost)
    throw new Error(
      'The WebGL context was lost during training, so its results cannot be trusted. Reload the page to train again.',
    );
  return { ...outcome, batchMilliseconds };
}

/**
 * The test report (training/report.ts) of the saved model's test probabilities, and the threshold
 * that maximises accuracy on the validation split (predicted once more, with the final weights).
 */
async function reportRun(
  runner: Pick<BatchRunner, 'predictBatch'> | null,
  data: TrainingData,
  split: IndexSplit,
  testProbabilities: Float32Array,
  batchSize: number,
): Promise<RunReport> {
  const test = { probabilities: testProbabilities, labels: data.test.labels };
  if (split.validation.length === 0) return assembleReport(test, NO_VALIDATION_SPLIT);
  if (!runner)
    return assembleReport(
      test,
      'No threshold: the engine failed the self-check, so its validation predictions are not used.',
    );
  const validation = (await predictProbabilities({
    runner,
    examples: data.train,
    indices: split.validation,
    batchSize,
  }))!;
  const labels = Uint8Array.from(split.validation, (row) => data.train.labels[row]!);
  return assembleReport(test, { probabilities: validation, labels });
}

/**
 * The self-check (see training/selfCheck.ts): the engine's test predictions against the plain
 * forward pass of the artifacts just saved, which is what the Classify box and a download use.
 */
async function checkRunAgainstBundle(
  runner: Pick<BatchRunner, 'predictBatch'>,
  data: TrainingData,
  artifacts: CapturedArtifacts,
  engineTest: Float32Array | null,
  batchSize: number,
  onBundleProgress: (done: number, total: number) => void,
): Promise<CheckedTestResult> {
  const { test } = data;
  const { maxlen } = test;
  const bundle = classifierFromArtifacts(artifacts);
  return checkAgainstBundle({
    count: test.count,
    labels: test.labels,
    engineTest,
    engineAt: async (rows) => (await predictProbabilities({ runner, examples: test, indices: rows, batchSize }))!,
    bundleAt: (row) => bundle.probability(test.ids.subarray(row * maxlen, (row + 1) * maxlen)),
    onBundleProgress,
  });
}

/** The run's message, with a fault in the predictions after training (see faultTolerant) when there was one. */
function withLateFault(message: string | null, fault: RunnerFault | null): string | null {
  if (!fault) return message;
  const late = `${fault.what} after training (${fault.detail}); its predictions were made again without it.`;
  return message ? `${message} ${late}` : late;
}

async function runTraining(
  runId: number,
  settings: TrainingSettings,
  events: Events,
  checkpointing: Checkpointing | null,
): Promise<TrainedRun> {
  const backend = await (backendReady ?? Promise.reject(new Error('The training worker was not initialised')));
  const data = checkRunnable(settings);
  const checkpoints = await openCheckpoints(checkpointing, settings, data);
  trainedModel?.dispose();
  trainedModel = null;
  const split = validationSplit(data.train.labels, settings.validationShare, settings.seed);
  const phase = (name: 'building' | 'training' | 'testing', engine: RunnerChoice | null = null) =>
    events.send({
      type: 'phase',
      phase: name,
      trainExamples: split.train.length,
      validationExamples: split.validation.length,
      engine: engine && { name: engine.engine, note: engine.note, threads: engine.threads },
    });

  phase('building');
  const buildStarted = performance.now();
  const { model, optimizer, choice } = await buildRun(settings, data, backend, split);
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  // Disposed once: after training when the run succeeds, or on the way out when it fails.
  let optimizerDisposed = false;
  const disposeOptimizer = () => {
    if (!optimizerDisposed) optimizer.dispose();
    optimizerDisposed = true;
  };
  const run = activeRun!;
  const shouldStop = () => run.stopRequested || contextLost;
  try {
    phase('training', choice);
    const outcome = await trainEpochs(choice, settings, data, split, events, shouldStop, checkpoints);
    // A fault after training (a WebAssembly thread lost while testing) costs the run its thread,
    // not its model: the predictions are asked again of what is left, and the message says so.
    const late: { fault: RunnerFault | null } = { fault: null };
    const predictor = faultTolerant(choice.runner, (fault) => {
      late.fault ??= fault;
    });

    let engineTest: Float32Array | null = null;
    if (outcome.stopReason !== 'stopped' && outcome.history.length > 0) {
      phase('testing');
      engineTest = await predictProbabilities({
        runner: predictor,
        examples: data.test,
        indices: null,
        batchSize: settings.batchSize * 2,
        onProgress: (done, total) => events.send({ type: 'eval-progress', phase: 'testing', done, total }),
        shouldStop,
      });
    }
    disposeOptimizer();
    choice.finish();
    // The page saves, downloads and classifies with these (downloads:// does not work in a worker).
    const artifacts = await saveModelArtifacts(model);
    const checked = await checkRunAgainstBundle(
      predictor,
      data,
      artifacts,
      engineTest,
      settings.batchSize * 2,
      (done, total) => events.send({ type: 'eval-progress', phase: 'self-check', done, total }),
    );
    const report = checked.probabilities
      ? await reportRun(
          checked.selfCheck?.passed === false ? null : predictor,
          data,
          split,
          checked.probabilities,
          settings.batchSize * 2,
        )
      : null;
    // From the model the test figures come from: the engine, or the saved model if it failed the self-check.
    const savedModel = checked.selfCheck?.passed === false ? classifierFromArtifacts(artifacts) : null;
    const shortVersions = checked.probabilities
      ? await shortVersionAccuracy({
          short: data.testShortVersions,
          labels: data.test.labels,
          maxlen: data.test.maxlen,
          padding: data.options.padding,
          truncating: data.options.truncating,
          predict: savedModel
            ? async (rows) =>
                Float32Array.from({ length: rows.count }, (_, r) =>
                  savedModel.probability(rows.ids.subarray(r * rows.maxlen, (r + 1) * rows.maxlen)),
                )
            : (rows) =>
                predictProbabilities({
                  runner: predictor,
                  examples: rows,
                  indices: null,
                  batchSize: settings.batchSize * 2,
                }),
          onProgress: (done, total) => events.send({ type: 'eval-progress', phase: 'short-versions', done, total }),
        })
      : null;
    trainedModel = model;
    const summary: RunSummary = {
      runId,
      settings,
      datasetKey: data.key,
      backend,
      engine: choice.engine,
      engineNote: choice.note,
      engineThreads: choice.threads,
      history: outcome.history,
      stopReason: outcome.stopReason,
      restoredEpoch: outcome.restoredEpoch,
      message: withLateFault(outcome.message, late.fault),
      test: checked.test,
      selfCheck: checked.selfCheck,
      testPredictions: checked.probabilities
        ? { reviewIds: data.test.reviewIds, labels: data.test.labels, probabilities: checked.probabilities }
        : null,
      report,
      shortVersions,
      trainExamples: split.train.length,
      validationExamples: split.validation.length,
      buildSeconds,
      trainingSeconds: outcome.trainingSeconds,
      examplesPerSecond: outcome.batchMilliseconds > 0 ? outcome.examplesSeen / (outcome.batchMilliseconds / 1000) : 0,
      numTensors: tf.memory().numTensors,
      finishedAt: new Date().toISOString(),
    };
    const bundle = bundleFromRun(summary, artifacts, {
      tokenizerJson: data.tokenizerJson,
      options: data.options,
      sourceSha256: data.sourceSha256,
    });
    // The run has ended (completed, diverged or faulted) and its model is in hand: nothing is left
    // to resume. A stopped run keeps the checkpoint its Stop wrote (it can go on from there), and a
    // run that failed keeps its last one.
    if (!checkpoints?.keep) await checkpoints?.store?.remove(checkpoints.key).catch(() => {});
    return { summary, bundle };
  } catch (error) {
    disposeOptimizer();
    model.dispose();
    throw error;
  } finally {
    choice.release();
  }
}

const api: TrainWorkerApi = {
  init(requested, onBackendLost) {
    backendReady = initBackend(requested).then((info) => {
      installEmbeddingGradient();
      watchContextLoss(() => {
        contextLost = true;
        void onBackendLost('The WebGL context was lost (a GPU reset, or out of memory).');
      });
      return info;
    });
    return backendReady;
  },
  async setData(received) {
    data = received;
  },
  async train(runId, settings, onEvent, checkpointing) {
    if (activeRun) throw new Error(`Run ${activeRun.runId} is still in progress.`);
    activeRun = { runId, stopRequested: false };
    const events = eventStream(onEvent);
    try {
      const trained = await runTraining(runId, settings, events, checkpointing);
      await events.drained();
      return transfer(trained, [trained.bundle.weightData]);
    } finally {
      await events.drained().catch(() => {});
      release(onEvent);
      activeRun = null;
    }
  },
  stop(runId) {
    if (activeRun?.runId === runId) activeRun.stopRequested = true;
  },
  loseContextForTest() {
    return loseContext();
  },
  fillStorageForTest() {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  },
};
serve(api);
