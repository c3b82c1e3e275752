import * as tf from '@tensorflow/tfjs';
import type { PaddedMatrix } from '../data/dataset';
import { binaryMetrics, type BinaryMetrics } from './metrics';
import { gatherBatch } from './examples';
import type { TrainingSettings } from './settings';
import { rowLengths } from './bucketing';
import { epochPlan, examplesPerEpoch, needsLengths, planBatch } from './epochPlan';
import type { IndexSplit } from './validationSplit';
import type { OptimizerState, RunnerState } from './runnerState';

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
  /** The learning rate of the next steps (a decaying schedule); the optimizer's state is kept. */
  setLearningRate(learningRate: number): void;
  /** The weights and the optimizer's state, copied out (for a checkpoint). */
  captureState(): Promise<RunnerState>;
  /** Puts back a captured state: the weights, and the optimizer's state when given. */
  restoreState(state: { weights: Float32Array[]; optimizer?: OptimizerState }): Promise<void>;
  /** A snapshot's weights as plain arrays, in `model.getWeights()` order. */
  snapshotArrays(snapshot: Snapshot): Float32Array[];
}

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
  /** When the batch ended (Date.now() in the worker): shows training went on while the page could not look. */
  endedAt: number;
}

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
}

export type StopReason = 'completed' | 'stopped' | 'early-stopping' | 'nan-loss' | 'engine-fault';

/**
 * A runner call that failed because the engine lost a part of itself (one of the WebAssembly
 * engine's helper threads), not because of the model or the data. The runner carries on without
 * that part: it still predicts, restores weights and writes them out, so the run ends with a
 * message and the last good weights instead of failing and losing the model.
 */
export class RunnerFault extends Error {
  constructor(
    /** What happened, as the start of a sentence: 'A WebAssembly thread was lost'. */
    readonly what: string,
    /** The particulars (which part, where, the cause, what runs now), for the message's parenthesis. */
    readonly detail: string,
    /**
     * Whether the runner's weights are still those from before the failed call (it failed before
     * writing any); false when it may have left them part-updated.
     */
    readonly weightsIntact: boolean,
  ) {
    super(`${what} (${detail})`);
    this.name = 'RunnerFault';
  }
}

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
  /**
   * After each epoch but the last, and where a Stop ends the run (with `position`): everything a
   * run needs to resume from there (awaited).
   */
  onCheckpoint?(checkpoint: TrainCheckpoint): Promise<void>;
}

/**
 * A run after `epoch` finished epochs: its history, the runner's weights and optimizer state, and
 * the weights early stopping (or a later NaN loss) would go back to. Resuming from it runs epoch
 * `epoch + 1` onwards exactly as the uninterrupted run would: each epoch's batch order, windows and
 * learning rate depend only on the seed and the epoch's number.
 */
export interface TrainCheckpoint {
  /** Finished epochs. */
  epoch: number;
  /** Where in epoch `epoch + 1` a Stop left the run; absent at an epoch's end. */
  position?: EpochPosition;
  history: EpochPoint[];
  examplesSeen: number;
  trainingSeconds: number;
  state: RunnerState;
  fallback: { epoch: number; valLoss: number; weights: Float32Array[]; epochsWithoutImprovement: number };
}

/**
 * How far an epoch got: its first `batch` batches trained (all of them when a Stop came during
 * validation), and the sums its averages are made of, so that a resumed epoch reports what the
 * uninterrupted one would.
 */
export interface EpochPosition {
  batch: number;
  batchesPerEpoch: number;
  lossSum: number;
  correctSum: number;
  seen: number;
  /** Seconds the epoch had taken. */
  seconds: number;
}

/** What to run the model on, in inference mode, and how to report on it. */
export interface PredictionRequest {
  runner: Pick<BatchRunner, 'predictBatch'>;
  examples: PaddedMatrix;
  /** The rows to predict; null for all of them. */
  indices: Int32Array | null;
  batchSize: number;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Checked before each batch; a stopped request resolves to null. */
  shouldStop?: (() => boolean) | undefined;
}

/**
 * Predictions that outlive a RunnerFault: a prediction writes no weights and a runner that faulted
 * carries on without the part it lost, so the failed batch is asked once more and gives what it
 * would have. For the predictions after training (test, self-check, report), where a fault should
 * not cost the trained model; `onFault` hears of it for the run's message.
 */
export function faultTolerant(
  runner: Pick<BatchRunner, 'predictBatch'>,
  onFault: (fault: RunnerFault) => void,
): Pick<BatchRunner, 'predictBatch'> {
  return {
    async predictBatch(ids, rows) {
      try {
        return await runner.predictBatch(ids, rows);
      } catch (error) {
        if (!(error instanceof RunnerFault)) throw error;
        onFault(error);
        return runner.predictBatch(ids, rows);
      }
    },
  };
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

interface SavedWeights {
  epoch: number;
  weights: unknown;
  valLoss: number;
}

/**
 * Weights to fall back on: the best epoch by validation loss (early stopping) or the last good
 * one. Starts as the initial weights, so the tensor count stays the same from batch to batch.
 */
class FallbackWeights {
  saved: SavedWeights;
  epochsWithoutImprovement = 0;

  /** Saves the runner's current weights as those of `epoch` (0: the initial ones). */
  constructor(
    private readonly runner: BatchRunner,
    epoch = 0,
    valLoss = Number.POSITIVE_INFINITY,
  ) {
    this.saved = { epoch, weights: runner.snapshot(), valLoss };
  }

  /** After each epoch; true when early stopping says to stop. */
  afterEpoch(epoch: number, lossToWatch: number, patience: number, lastEpoch: boolean): boolean {
    if (patience > 0) {
      if (lossToWatch < this.saved.valLoss) {
        this.replace(epoch, lossToWatch);
        this.epochsWithoutImprovement = 0;
        return false;
      }
      return ++this.epochsWithoutImprovement >= patience;
    }
    // Without early stopping, keep only the last good epoch in case a later one diverges.
    if (!lastEpoch) this.replace(epoch, lossToWatch);
    return false;
  }

  /** Puts the saved weights back when the run asks for it; frees them either way. */
  finish(restore: (saved: SavedWeights) => boolean): number | null {
    const { saved } = this;
    const restored = restore(saved);
    if (restored) this.runner.restore(saved.weights);
    this.runner.release(saved.weights);
    return restored ? saved.epoch : null;
  }

  private replace(epoch: number, valLoss: number): void {
    this.runner.release(this.saved.weights);
    this.saved = { epoch, weights: this.runner.snapshot(), valLoss };
  }
}

/** `examples` counts the rows trained on in this call (a resumed epoch's earlier rows are in `position`). */
type EpochResult =
  | { kind: 'trained'; loss: number; accuracy: number; examples: number; position: EpochPosition }
  | { kind: 'stopped'; examples: number; position: EpochPosition }
  | { kind: 'diverged'; loss: number; batch: number; examples: number }
  | { kind: 'fault'; fault: RunnerFault; batch: number; examples: number };

/** One epoch's optimizer steps over the shuffled training rows, reporting each batch; `examples` counts the rows trained on. */
async function trainEpoch(
  args: Parameters<typeof trainModel>[0],
  epoch: number,
  firstStep: number,
  /** Each example's length in words, when batches are length-bucketed or windowed. */
  lengths: Int32Array | null,
  /** Where a resumed epoch starts (the batches before it were trained before the Stop). */
  start: EpochPosition | null,
): Promise<EpochResult> {
  const { runner, examples, split, settings, events } = args;
  const { batchSize } = settings;
  const plan = epochPlan(split.train, lengths, settings, epoch);
  const rows = plan.order.length;
  const batchesPerEpoch = Math.ceil(rows / batchSize);
  const epochStarted = performance.now() - (start?.seconds ?? 0) * 1000;
  let lossSum = start?.lossSum ?? 0;
  let correctSum = start?.correctSum ?? 0;
  let seen = start?.seen ?? 0;
  const firstSeen = seen;
  const position = (batch: number): EpochPosition => ({
    batch,
    batchesPerEpoch,
    lossSum,
    correctSum,
    seen,
    seconds: (performance.now() - epochStarted) / 1000,
  });
  for (let batch = start?.batch ?? 0; batch < batchesPerEpoch; batch++) {
    if (events.shouldStop()) return { kind: 'stopped', examples: seen - firstSeen, position: position(batch) };
    const batchStarted = performance.now();
    const from = batch * batchSize;
    const to = Math.min(from + batchSize, rows);
    const data = planBatch(examples, lengths, plan, from, to);
    let result: { loss: number; accuracy: number };
    try {
      result = await runner.trainBatch(data.ids, data.labels);
    } catch (error) {
      if (error instanceof RunnerFault)
        return { kind: 'fault', fault: error, batch: batch + 1, examples: seen - firstSeen };
      throw error;
    }
    const { loss, accuracy } = result;
    if (!Number.isFinite(loss)) return { kind: 'diverged', loss, batch: batch + 1, examples: seen - firstSeen };
    seen += data.size;
    lossSum += loss * data.size;
    correctSum += accuracy * data.size;
    events.onBatch({
      epoch,
      batch: batch + 1,
      batchesPerEpoch,
      step: firstStep + batch + 1,
      loss,
      accuracy,
      size: data.size,
      milliseconds: performance.now() - batchStarted,
      numTensors: tf.memory().numTensors,
      endedAt: Date.now(),
    });
  }
  return {
    kind: 'trained',
    loss: lossSum / seen,
    accuracy: correctSum / seen,
    examples: seen - firstSeen,
    position: position(batchesPerEpoch),
  };
}

/**
 * The message of a run ended by a RunnerFault `where` ('at epoch 2, batch 3'). Weights the fault
 * left intact are kept (`kept` says which): they are the exact result of every step that finished,
 * as after Stop, and going back to the last epoch would throw those steps away. Weights it may have
 * part-updated cannot be trusted, and the ones before the failed step were not copied (a copy per
 * batch would cost as much memory as the model and time on every step, for a rare fault), so the
 * last good epoch's are restored, as after a NaN loss.
 */
function faultMessage(fault: RunnerFault, where: string, kept: string, savedEpoch: number): string {
  const weights = fault.weightsIntact
    ? `Training stopped there; the model keeps ${kept}.`
    : 'It left the weights part-updated, so training stopped and ' +
      (savedEpoch > 0
        ? `the weights of epoch ${savedEpoch} were restored.`
        : 'the weights are back to their initial values (no epoch had finished).');
  return `${fault.what} ${where} (${fault.detail}). ${weights}`;
}

/** The validation split's metrics after an epoch: none without a split, null if stopped. */
async function validateEpoch(
  args: Parameters<typeof trainModel>[0],
): Promise<
  { kind: 'validated'; metrics: BinaryMetrics | null } | { kind: 'stopped' } | { kind: 'fault'; fault: RunnerFault }
> {
  const { runner, examples, split, settings, events } = args;
  if (split.validation.length === 0) return { kind: 'validated', metrics: null };
  try {
    const metrics = await evaluate({
      runner,
      examples,
      indices: split.validation,
      batchSize: settings.batchSize * 2,
      onProgress: events.onValidationProgress,
      shouldStop: () => events.shouldStop(),
    });
    return metrics ? { kind: 'validated', metrics } : { kind: 'stopped' };
  } catch (error) {
    if (error instanceof RunnerFault) return { kind: 'fault', fault: error };
    throw error;
  }
}

/**
 * The training loop: shuffled batches each epoch, one optimizer step per batch, validation at the
 * end of each epoch. Stops after the current batch when asked; on a NaN loss or early stopping,
 * puts back the weights of the best (or last good) epoch; on a RunnerFault, ends with a message
 * and the last good weights (see faultMessage). Every tensor it makes is disposed, also when a
 * runner throws anything else (the run then fails with that error).
 */
export async function trainModel(args: {
  runner: BatchRunner;
  examples: PaddedMatrix;
  split: IndexSplit;
  settings: Pick<TrainingSettings, 'batchSize' | 'epochs' | 'seed' | 'earlyStoppingPatience'> &
    Partial<
      Pick<
        TrainingSettings,
        | 'batchOrder'
        | 'windowShare'
        | 'windowEndShare'
        | 'windowExtra'
        | 'windowMaxWords'
        | 'learningRate'
        | 'learningRateDecay'
      >
    >;
  events: TrainerEvents;
  /** Continue a run from its checkpoint (same settings, data and engine) instead of starting it. */
  resume?: TrainCheckpoint;
}): Promise<TrainOutcome> {
  const { runner, split, settings, events, resume } = args;
  const { batchSize, epochs } = settings;
  const history: EpochPoint[] = resume ? [...resume.history] : [];
  const started = performance.now() - (resume?.trainingSeconds ?? 0) * 1000;
  let examplesSeen = resume?.examplesSeen ?? 0;
  let stopReason: StopReason = 'completed';
  let message: string | null = null;
  /** Whether a RunnerFault left the weights part-updated (so the fallback goes back in). */
  let faultSpoiledWeights = false;
  let fallback: FallbackWeights;
  if (resume) {
    // The fallback's weights first (the runner snapshots what it holds), then the run's own.
    await runner.restoreState({ weights: resume.fallback.weights });
    fallback = new FallbackWeights(runner, resume.fallback.epoch, resume.fallback.valLoss);
    fallback.epochsWithoutImprovement = resume.fallback.epochsWithoutImprovement;
    await runner.restoreState(resume.state);
  } else fallback = new FallbackWeights(runner);
  const lengths = needsLengths(settings) ? rowLengths(args.examples) : null;
  const batchesPerEpoch = Math.ceil(examplesPerEpoch(split.train, lengths, settings) / batchSize);
  const endWithFault = (error: RunnerFault, where: string, kept: string) => {
    stopReason = 'engine-fault';
    faultSpoiledWeights = !error.weightsIntact;
    message = faultMessage(error, where, kept, fallback.saved.epoch);
  };

  const checkpoint = async (epoch: number, position?: EpochPosition): Promise<void> => {
    if (!events.onCheckpoint) return;
    await events.onCheckpoint({
      epoch,
      ...(position ? { position } : {}),
      history: [...history],
      examplesSeen,
      trainingSeconds: (performance.now() - started) / 1000,
      state: await runner.captureState(),
      fallback: {
        epoch: fallback.saved.epoch,
        valLoss: fallback.saved.valLoss,
        weights: runner.snapshotArrays(fallback.saved.weights),
        epochsWithoutImprovement: fallback.epochsWithoutImprovement,
      },
    });
  };

  try {
    for (let epoch = (resume?.epoch ?? 0) + 1; epoch <= epochs; epoch++) {
      const decay = settings.learningRateDecay ?? 1;
      if (decay !== 1 && settings.learningRate !== undefined)
        runner.setLearningRate(settings.learningRate * decay ** (epoch - 1));
      const start = epoch === (resume?.epoch ?? 0) + 1 ? (resume?.position ?? null) : null;
      const trained = await trainEpoch(args, epoch, (epoch - 1) * batchesPerEpoch, lengths, start);
      examplesSeen += trained.examples;
      if (trained.kind === 'stopped') {
        stopReason = 'stopped';
        await checkpoint(epoch - 1, trained.position);
        break;
      }
      if (trained.kind === 'diverged') {
        stopReason = 'nan-loss';
        message =
          `The loss became ${trained.loss} at epoch ${epoch}, batch ${trained.batch}: training diverged. ` +
          'Try a lower learning rate. ' +
          (fallback.saved.epoch > 0
            ? `The weights of epoch ${fallback.saved.epoch} were restored.`
            : 'No epoch had finished, so the weights are back to their initial values.');
        break;
      }
      if (trained.kind === 'fault') {
        endWithFault(
          trained.fault,
          `at epoch ${epoch}, batch ${trained.batch}`,
          'the weights it had before that batch',
        );
        break;
      }
      const validationStarted = performance.now();
      const validation = await validateEpoch(args);
      if (validation.kind === 'stopped') {
        stopReason = 'stopped';
        // Every batch trained: a resume validates the epoch again and goes on.
        await checkpoint(epoch - 1, trained.position);
        break;
      }
      if (validation.kind === 'fault') {
        endWithFault(
          validation.fault,
          `at epoch ${epoch}, while validating`,
          `the weights of epoch ${epoch}'s last batch`,
        );
        break;
      }
      const point: EpochPoint = {
        epoch,
        loss: trained.loss,
        accuracy: trained.accuracy,
        valLoss: validation.metrics?.loss ?? null,
        valAccuracy: validation.metrics?.accuracy ?? null,
        seconds: trained.position.seconds + (performance.now() - validationStarted) / 1000,
      };
      history.push(point);
      events.onEpoch(point);
      if (fallback.afterEpoch(epoch, point.valLoss ?? point.loss, settings.earlyStoppingPatience, epoch === epochs)) {
        stopReason = 'early-stopping';
        break;
      }
      if (epoch < epochs) await checkpoint(epoch);
    }
  } catch (error) {
    fallback.finish(() => false); // frees the saved weights (tensors on the tfjs engines)
    throw error;
  }

  const restoredEpoch = fallback.finish(
    (saved) =>
      stopReason === 'nan-loss' ||
      (stopReason === 'engine-fault' && faultSpoiledWeights) ||
      (stopReason === 'early-stopping' && saved.epoch > 0 && saved.epoch !== history.at(-1)?.epoch),
  );
  return {
    history,
    stopReason,
    restoredEpoch,
    message,
    trainingSeconds: (performance.now() - started) / 1000,
    examplesSeen,
  };
}
