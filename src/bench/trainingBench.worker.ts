/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../data/random';
import { buildSentimentModel } from '../model/buildModel';
import { installEmbeddingGradient } from '../model/embeddingGradient';
import { stockEngine } from '../model/engine';
import { createOptimizer, trainStep } from '../model/trainer';
import { initBackend } from '../worker/backend';
import type { TrainingBenchCase, TrainingBenchResult } from './benchProtocol';

declare const self: DedicatedWorkerGlobalScope;

const VOCABULARY = 20000;

/** Trains the default model on random token ids, as the app would, and times it. */
async function run(c: TrainingBenchCase): Promise<TrainingBenchResult> {
  const info = await initBackend(c.backend);
  if (c.embeddingGradientFix) installEmbeddingGradient();
  const numTensorsBefore = tf.memory().numTensors;
  const buildStarted = performance.now();
  const model = buildSentimentModel(
    { vocabularySize: VOCABULARY, maxlen: c.maxlen, embeddingDim: 128, lstmUnits: 128, dropout: 0, seed: 1 },
    { orthogonalOnCpu: c.orthogonalOnCpu, recurrentActivation: c.recurrentActivation },
  );
  // Initialisers run lazily on some backends; reading one value waits for them.
  await model.getWeights()[1]!.data();
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const optimizer = createOptimizer({ optimizer: 'rmsprop', learningRate: 0.001 });
  const random = seededRandom(7);
  const batch = () => ({
    ids: Int32Array.from({ length: c.batchSize * c.maxlen }, () => 1 + Math.floor(random() * (VOCABULARY - 1))),
    labels: Float32Array.from({ length: c.batchSize }, () => (random() < 0.5 ? 0 : 1)),
  });
  const warmupStarted = performance.now();
  const warm = batch();
  await trainStep(model, stockEngine, optimizer, warm.ids, warm.labels, c.maxlen);
  const warmupSeconds = (performance.now() - warmupStarted) / 1000;
  let milliseconds = 0;
  for (let i = 0; i < c.batches; i++) {
    const b = batch();
    const started = performance.now();
    await trainStep(model, stockEngine, optimizer, b.ids, b.labels, c.maxlen);
    milliseconds += performance.now() - started;
  }
  model.dispose();
  optimizer.dispose();
  const msPerBatch = milliseconds / c.batches;
  return {
    case: c,
    backendInUse: info.name,
    renderer: info.renderer,
    buildSeconds,
    warmupSeconds,
    msPerBatch,
    examplesPerSecond: (c.batchSize * 1000) / msPerBatch,
    numTensorsBefore,
    numTensorsAfter: tf.memory().numTensors,
    error: null,
  };
}

self.onmessage = (event: MessageEvent<TrainingBenchCase>) => {
  run(event.data)
    .then((result) => self.postMessage(result))
    .catch((error: unknown) => {
      const result: Partial<TrainingBenchResult> = {
        case: event.data,
        error: error instanceof Error ? error.message : String(error),
      };
      self.postMessage(result);
    });
};
