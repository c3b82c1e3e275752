/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { buildSentimentModel } from '../model/buildModel';
import { installEmbeddingGradient } from '../model/embeddingGradient';
import { saveModelArtifacts } from '../model/exportModel';
import type { CapturedArtifacts } from '../bundle/artifacts';
import { bundleFromRun } from '../bundle/runBundle';
import { classifierFromArtifacts } from '../inference/fromArtifacts';
import { chooseRunner } from '../model/engineChoice';
import { compileKernels } from '../model/wasm/compileKernels';
import { createOptimizer, predictProbabilities, trainModel, type BatchPoint, type BatchRunner } from '../model/trainer';
import { checkAgainstBundle, type CheckedTestResult } from '../training/selfCheck';
import { validateSettings, type TrainingSettings } from '../training/settings';
import { gatherBatch } from '../training/examples';
import { validationSplit } from '../training/validationSplit';
import { initBackend, watchContextLoss, type BackendInfo } from './backend';
import type { EngineInUse, RunSummary, TrainRequest, TrainResponse, TrainingData } from './trainProtocol';

declare const self: DedicatedWorkerGlobalScope;

/** Batch points go to the page at most this often: enough for live charts, cheap for both sides. */
const FLUSH_INTERVAL_MS = 250;

let backendReady: Promise<BackendInfo> | null = null;
let data: TrainingData | null = null;
let activeRun: { runId: number; stopRequested: boolean } | null = null;
/** The last trained model, kept for classification and saving until the next run replaces it. */
let trainedModel: tf.LayersModel | null = null;
let contextLost = false;

function post(message: TrainResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runTraining(runId: number, settings: TrainingSettings): Promise<void> {
  const backend = await (backendReady ?? Promise.reject(new Error('The training worker was not initialised')));
  if (contextLost) throw new Error('The WebGL context was lost earlier; reload the page to train again.');
  if (!data) throw new Error('Load the dataset before training.');
  const invalid = Object.values(validateSettings(settings));
  if (invalid.length > 0) throw new Error(invalid.join(' '));
  if (data.maxlen !== settings.maxlen)
    throw new Error('The loaded dataset was padded to another maxlen; load it again.');
  if (data.vocabularySize > settings.numWords)
    throw new Error('The loaded dataset uses more words than numWords; load it again.');

  trainedModel?.dispose();
  trainedModel = null;
  const split = validationSplit(data.train.labels, settings.validationShare, settings.seed);
  const phase = (name: 'building' | 'training' | 'testing', engine: EngineInUse | null = null) =>
    post({
      type: 'phase',
      runId,
      phase: name,
      trainExamples: split.train.length,
      validationExamples: split.validation.length,
      engine,
    });

  phase('building');
  const buildStarted = performance.now();
  const model = buildSentimentModel({
    vocabularySize: settings.numWords,
    maxlen: settings.maxlen,
    embeddingDim: settings.embeddingDim,
    lstmUnits: settings.lstmUnits,
    dropout: settings.dropout,
    seed: settings.seed,
  });
  const optimizer = createOptimizer(settings);
  const { runner, engine, note, finish } = await chooseRunner({
    settings,
    model,
    optimizer,
    maxlen: data.maxlen,
    backend,
    calibrationBatch: gatherBatch(
      { ...data.train, maxlen: data.maxlen },
      split.train,
      0,
      Math.min(settings.batchSize, split.train.length),
    ),
    compileWasm: compileKernels,
  });
  const buildSeconds = (performance.now() - buildStarted) / 1000;

  const run = activeRun!;
  const shouldStop = () => run.stopRequested || contextLost;
  let pending: BatchPoint[] = [];
  let lastFlush = performance.now();
  let batchMilliseconds = 0;
  const flush = () => {
    if (pending.length === 0) return;
    post({ type: 'batches', runId, points: pending });
    pending = [];
    lastFlush = performance.now();
  };
  try {
    phase('training', { name: engine, note });
    const examples = { ...data.train, maxlen: data.maxlen };
    const outcome = await trainModel({
      runner,
      examples,
      split,
      settings,
      events: {
        onBatch: (point) => {
          batchMilliseconds += point.milliseconds;
          pending.push(point);
          if (performance.now() - lastFlush >= FLUSH_INTERVAL_MS) flush();
        },
        onEpoch: (point) => {
          flush();
          post({ type: 'epoch', runId, point });
        },
        onValidationProgress: (done, total) => post({ type: 'eval-progress', runId, phase: 'validating', done, total }),
        shouldStop,
      },
    });
    flush();
    if (contextLost)
      throw new Error(
        'The WebGL context was lost during training, so its results cannot be trusted. Reload the page to train again.',
      );

    const testExamples = { ...data.test, maxlen: data.maxlen };
    let engineTest: Float32Array | null = null;
    if (outcome.stopReason !== 'stopped' && outcome.history.length > 0) {
      phase('testing');
      engineTest = await predictProbabilities({
        runner,
        examples: testExamples,
        indices: null,
        batchSize: settings.batchSize * 2,
        onProgress: (done, total) => post({ type: 'eval-progress', runId, phase: 'testing', done, total }),
        shouldStop,
      });
    }
    optimizer.dispose();
    finish();
    // The page saves, downloads and classifies with these (downloads:// does not work in a worker).
    const artifacts = await saveModelArtifacts(model);
    const checked = await checkRunAgainstBundle(runner, artifacts, engineTest, settings.batchSize * 2, (done, total) =>
      post({ type: 'eval-progress', runId, phase: 'self-check', done, total }),
    );
    trainedModel = model;
    const summary: RunSummary = {
      runId,
      settings,
      datasetKey: data.key,
      backend,
      engine,
      engineNote: note,
      history: outcome.history,
      stopReason: outcome.stopReason,
      restoredEpoch: outcome.restoredEpoch,
      message: outcome.message,
      test: checked.test,
      selfCheck: checked.selfCheck,
      testPredictions: checked.probabilities
        ? { reviewIds: data.test.reviewIds, labels: data.test.labels, probabilities: checked.probabilities }
        : null,
      trainExamples: split.train.length,
      validationExamples: split.validation.length,
      buildSeconds,
      trainingSeconds: outcome.trainingSeconds,
      examplesPerSecond: batchMilliseconds > 0 ? outcome.examplesSeen / (batchMilliseconds / 1000) : 0,
      numTensors: tf.memory().numTensors,
      finishedAt: new Date().toISOString(),
    };
    const bundle = bundleFromRun(summary, artifacts, {
      tokenizerJson: data.tokenizerJson,
      options: data.options,
      sourceSha256: data.sourceSha256,
    });
    post({ type: 'done', runId, summary, bundle }, [bundle.weightData]);
  } catch (error) {
    optimizer.dispose();
    model.dispose();
    throw error;
  }
}

/**
 * The self-check (see training/selfCheck.ts): the engine's test predictions against the plain
 * forward pass of the artifacts just saved, which is what the Classify box and a download use.
 */
async function checkRunAgainstBundle(
  runner: BatchRunner,
  artifacts: CapturedArtifacts,
  engineTest: Float32Array | null,
  batchSize: number,
  onBundleProgress: (done: number, total: number) => void,
): Promise<CheckedTestResult> {
  const test = data!.test;
  const maxlen = data!.maxlen;
  const bundle = classifierFromArtifacts(artifacts);
  return checkAgainstBundle({
    count: test.count,
    labels: test.labels,
    engineTest,
    engineAt: async (rows) =>
      (await predictProbabilities({ runner, examples: { ...test, maxlen }, indices: rows, batchSize }))!,
    bundleAt: (row) => bundle.probability(test.ids.subarray(row * maxlen, (row + 1) * maxlen)),
    onBundleProgress,
  });
}

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      backendReady = initBackend(message.backend).then((info) => {
        installEmbeddingGradient();
        watchContextLoss(() => {
          contextLost = true;
          post({
            type: 'error',
            runId: activeRun?.runId ?? null,
            message: 'The WebGL context was lost (GPU reset or out of memory). Reload the page to train again.',
          });
        });
        post({ type: 'ready', backend: info });
        return info;
      });
      backendReady.catch((error: unknown) => post({ type: 'error', runId: null, message: describeError(error) }));
      break;
    case 'set-data':
      data = message.data;
      post({ type: 'data-ready', key: data.key });
      break;
    case 'train':
      if (activeRun) {
        post({ type: 'error', runId: message.runId, message: `Run ${activeRun.runId} is still in progress.` });
        break;
      }
      activeRun = { runId: message.runId, stopRequested: false };
      runTraining(message.runId, message.settings)
        .catch((error: unknown) => post({ type: 'error', runId: message.runId, message: describeError(error) }))
        .finally(() => {
          activeRun = null;
        });
      break;
    case 'stop':
      if (activeRun?.runId === message.runId) activeRun.stopRequested = true;
      break;
  }
};
