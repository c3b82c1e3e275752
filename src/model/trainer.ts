import * as tf from '@tensorflow/tfjs';
import { binaryMetrics, type BinaryMetrics } from '../training/metrics';
import { gatherBatch, type EncodedExamples } from '../training/examples';
import type { TrainingSettings } from '../training/settings';
import { epochOrder, type IndexSplit } from '../training/validationSplit';
import type { ModelEngine } from './engine';
import { binaryAccuracy, binaryCrossentropy } from './loss';

export interface BatchPoint {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** Batches done since the run started. */
  step: number;
  loss: number;
  accuracy: number;
  size: number;
  milliseconds: number;
  numTensors: number;
}

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
}

export type StopReason = 'completed' | 'stopped' | 'early-stopping' | 'nan-loss';

export interface TrainOutcome {
  history: EpochPoint[];
  stopReason: StopReason;
  /** The epoch whose weights the model holds at the end (1-based), when not the last one. */
  restoredEpoch: number | null;
  message: string | null;
  trainingSeconds: number;
  examplesSeen: number;
}

export interface TrainerEvents {
  onBatch(point: BatchPoint): void;
  onEpoch(point: EpochPoint): void;
  onValidationProgress?(done: number, total: number): void;
  shouldStop(): boolean;
}

export function createOptimizer(settings: Pick<TrainingSettings, 'optimizer' | 'learningRate'>): tf.Optimizer {
  switch (settings.optimizer) {
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate, 0.9, 0, 1e-7);
    case 'adam':
      return tf.train.adam(settings.learningRate, 0.9, 0.999, 1e-7);
    case 'sgd':
      return tf.train.sgd(settings.learningRate);
  }
}

/**
 * How a run trains and predicts batches: tfjs's layers model through a ModelEngine (`layersRunner`),
 * or an engine that runs the whole step itself (the WebAssembly one). The training loop, evaluation
 * and early stopping only see this.
 */
export interface BatchRunner<Snapshot = unknown> {
  /** One optimizer step; the batch's loss and accuracy. */
  trainBatch(ids: Int32Array, labels: Float32Array): Promise<{ loss: number; accuracy: number }>;
  /** P(positive) for `rows` padded rows of ids, in inference mode. */
  predictBatch(ids: Int32Array, rows: number): Promise<Float32Array>;
  /** A copy of the current weights, to go back to (early stopping, a NaN loss). */
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
  release(snapshot: Snapshot): void;
}

/** tfjs's layers model trained by a tfjs optimizer, its forward pass computed by `engine`. */
export function layersRunner(args: {
  model: tf.LayersModel;
  engine: ModelEngine;
  optimizer: tf.Optimizer;
  maxlen: number;
}): BatchRunner<tf.Tensor[]> {
  const { model, engine, optimizer, maxlen } = args;
  return {
    trainBatch: (ids, labels) => trainStep(model, engine, optimizer, ids, labels, maxlen),
    async predictBatch(ids, rows) {
      const probabilities = tf.tidy(() => engine.predict(model, tf.tensor2d(ids, [rows, maxlen], 'int32'), false));
      const values = (await probabilities.data()) as Float32Array;
      probabilities.dispose();
      return values;
    },
    snapshot: () => snapshotWeights(model),
    restore: (weights) => model.setWeights(weights),
    release: (weights) => weights.forEach((w) => w.dispose()),
  };
}

/** What to run the model on, in inference mode, and how to report on it. */
export interface PredictionRequest {
  runner: Pick<BatchRunner, 'predictBatch'>;
  examples: EncodedExamples;
  /** The rows to predict; null for all of them. */
  indices: Int32Array | null;
  batchSize: number;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Checked before each batch; a stopped request resolves to null. */
  shouldStop?: (() => boolean) | undefined;
}

/** Probabilities for the requested examples, in batches, read back to the CPU. */
export async function predictProbabilities(request: PredictionRequest): Promise<Float32Array | null> {
  const { runner, examples, indices, batchSize, onProgress, shouldStop } = request;
  const total = indices ? indices.length : examples.count;
  const out = new Float32Array(total);
  for (let from = 0; from < total; from += batchSize) {
    if (shouldStop?.()) return null;
    const to = Math.min(from + batchSize, total);
    const batch = gatherBatch(examples, indices, from, to);
    out.set(await runner.predictBatch(batch.ids, batch.size), from);
    onProgress?.(to, total);
  }
  return out;
}

/** Loss, accuracy and confusion matrix of the requested examples; null if stopped. */
export async function evaluate(request: PredictionRequest): Promise<BinaryMetrics | null> {
  const probabilities = await predictProbabilities(request);
  if (!probabilities) return null;
  const { examples, indices } = request;
  const labels = indices ? Uint8Array.from(indices, (i) => examples.labels[i]!) : examples.labels;
  return binaryMetrics(probabilities, labels);
}

/** One optimizer step on one batch; returns the batch's loss and accuracy (read back to the CPU). */
export async function trainStep(
  model: tf.LayersModel,
  engine: ModelEngine,
  optimizer: tf.Optimizer,
  batchIds: Int32Array,
  batchLabels: Float32Array,
  maxlen: number,
): Promise<{ loss: number; accuracy: number }> {
  const size = batchLabels.length;
  const ids = tf.tensor2d(batchIds, [size, maxlen], 'int32');
  const labels = tf.tensor2d(batchLabels, [size, 1]);
  let accuracy: tf.Scalar | null = null;
  const loss = optimizer.minimize(() => {
    const probabilities = engine.predict(model, ids, true);
    accuracy = tf.keep(binaryAccuracy(labels, probabilities));
    return binaryCrossentropy(labels, probabilities);
  }, true)!;
  const [lossValue, accuracyValue] = await Promise.all([loss.data(), accuracy!.data()]);
  tf.dispose([ids, labels, loss, accuracy!]);
  return { loss: lossValue[0]!, accuracy: accuracyValue[0]! };
}

interface SavedWeights {
  epoch: number;
  weights: unknown;
  valLoss: number;
}

function snapshotWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => tf.keep(w.clone()));
}

/**
 * The training loop: shuffled batches each epoch, one optimizer step per batch, validation at the
 * end of each epoch. Stops after the current batch when asked; on a NaN loss or early stopping,
 * puts back the weights of the best (or last good) epoch. Every tensor it makes is disposed.
 */
export async function trainModel(args: {
  runner: BatchRunner;
  examples: EncodedExamples;
  split: IndexSplit;
  settings: Pick<TrainingSettings, 'batchSize' | 'epochs' | 'seed' | 'earlyStoppingPatience'>;
  events: TrainerEvents;
}): Promise<TrainOutcome> {
  const { runner, examples, split, settings, events } = args;
  const { batchSize, epochs } = settings;
  const trainCount = split.train.length;
  const batchesPerEpoch = Math.ceil(trainCount / batchSize);
  const history: EpochPoint[] = [];
  const started = performance.now();
  let examplesSeen = 0;
  let step = 0;
  let stopReason: StopReason = 'completed';
  let message: string | null = null;
  // Weights to fall back on: the best epoch by validation loss (early stopping) or the last good one.
  // Starts as the initial weights, so the tensor count stays the same from batch to batch.
  const fallback: { saved: SavedWeights } = {
    saved: { epoch: 0, weights: runner.snapshot(), valLoss: Number.POSITIVE_INFINITY },
  };
  let epochsWithoutImprovement = 0;
  const replaceSaved = (epoch: number, valLoss: number) => {
    runner.release(fallback.saved.weights);
    fallback.saved = { epoch, weights: runner.snapshot(), valLoss };
  };

  training: for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStarted = performance.now();
    const order = epochOrder(split.train, settings.seed, epoch);
    let lossSum = 0;
    let correctSum = 0;
    let seenThisEpoch = 0;
    for (let batch = 0; batch < batchesPerEpoch; batch++) {
      if (events.shouldStop()) {
        stopReason = 'stopped';
        break training;
      }
      const batchStarted = performance.now();
      const from = batch * batchSize;
      const data = gatherBatch(examples, order, from, Math.min(from + batchSize, trainCount));
      const { loss: batchLoss, accuracy: batchAccuracy } = await runner.trainBatch(data.ids, data.labels);
      if (!Number.isFinite(batchLoss)) {
        stopReason = 'nan-loss';
        message =
          `The loss became ${batchLoss} at epoch ${epoch}, batch ${batch + 1}: training diverged. ` +
          'Try a lower learning rate. ' +
          (fallback.saved.epoch > 0
            ? `The weights of epoch ${fallback.saved.epoch} were restored.`
            : 'No epoch had finished, so the weights are back to their initial values.');
        break training;
      }
      step++;
      examplesSeen += data.size;
      seenThisEpoch += data.size;
      lossSum += batchLoss * data.size;
      correctSum += batchAccuracy * data.size;
      events.onBatch({
        epoch,
        batch: batch + 1,
        batchesPerEpoch,
        step,
        loss: batchLoss,
        accuracy: batchAccuracy,
        size: data.size,
        milliseconds: performance.now() - batchStarted,
        numTensors: tf.memory().numTensors,
      });
    }

    let valLoss: number | null = null;
    let valAccuracy: number | null = null;
    if (split.validation.length > 0) {
      const metrics = await evaluate({
        runner,
        examples,
        indices: split.validation,
        batchSize: batchSize * 2,
        onProgress: events.onValidationProgress,
        shouldStop: () => events.shouldStop(),
      });
      if (!metrics) {
        stopReason = 'stopped';
        break;
      }
      valLoss = metrics.loss;
      valAccuracy = metrics.accuracy;
    }
    const point: EpochPoint = {
      epoch,
      loss: lossSum / seenThisEpoch,
      accuracy: correctSum / seenThisEpoch,
      valLoss,
      valAccuracy,
      seconds: (performance.now() - epochStarted) / 1000,
    };
    history.push(point);
    events.onEpoch(point);

    const patience = settings.earlyStoppingPatience;
    const lossToWatch = valLoss ?? point.loss;
    if (patience > 0) {
      if (lossToWatch < fallback.saved.valLoss) {
        replaceSaved(epoch, lossToWatch);
        epochsWithoutImprovement = 0;
      } else if (++epochsWithoutImprovement >= patience) {
        stopReason = 'early-stopping';
        break;
      }
    } else if (epoch < epochs) {
      // Without early stopping, keep only the last good epoch in case a later one diverges.
      replaceSaved(epoch, lossToWatch);
    }
  }

  let restoredEpoch: number | null = null;
  const saved = fallback.saved;
  const restore =
    stopReason === 'nan-loss' ||
    (stopReason === 'early-stopping' && saved.epoch > 0 && saved.epoch !== history.at(-1)?.epoch);
  if (restore) {
    runner.restore(saved.weights);
    restoredEpoch = saved.epoch;
  }
  runner.release(saved.weights);
  return {
    history,
    stopReason,
    restoredEpoch,
    message,
    trainingSeconds: (performance.now() - started) / 1000,
    examplesSeen,
  };
}
