/** Messages between the page and the training worker. */
import type { ModelBundle } from '../bundle/types';
import type { BatchPoint, EpochPoint, StopReason } from '../model/trainer';
import type { BinaryMetrics } from '../training/metrics';
import type { SelfCheckResult } from '../training/selfCheck';
import type { EngineName, TrainingSettings } from '../training/settings';
import type { BackendInfo, BackendName } from './backend';
import type { DatasetRequestOptions } from './protocol';

export interface TrainingData {
  /** Identifies the dataset (source hash + data settings), for the run summary. */
  key: string;
  sourceSha256: string;
  /** The tokenizer the ids were made with (Keras JSON) and the data options: saved with each trained model. */
  tokenizerJson: string;
  options: DatasetRequestOptions;
  vocabularySize: number;
  maxlen: number;
  train: { ids: Int32Array; labels: Uint8Array; count: number };
  /** `reviewIds`: which dataset review each row is, so a run's test predictions can be checked outside the app. */
  test: { ids: Int32Array; labels: Uint8Array; count: number; reviewIds: Int32Array };
}

export type TrainRequest =
  | { type: 'init'; backend: BackendName | null }
  | { type: 'set-data'; data: TrainingData }
  | { type: 'train'; runId: number; settings: TrainingSettings }
  | { type: 'stop'; runId: number };

/** The engine a run trains with, and why (auto's choice with its figures, or a fallback). */
export interface EngineInUse {
  name: Exclude<EngineName, 'auto'>;
  note: string | null;
}

export type RunPhase = 'building' | 'training' | 'validating' | 'testing' | 'self-check';

export interface RunSummary {
  runId: number;
  settings: TrainingSettings;
  datasetKey: string;
  backend: BackendInfo;
  /** The engine that ran (never `auto`). */
  engine: Exclude<EngineName, 'auto'>;
  /** Why this engine ran: auto's choice (with its calibration figures), or why the request fell back. */
  engineNote: string | null;
  history: EpochPoint[];
  stopReason: StopReason;
  restoredEpoch: number | null;
  message: string | null;
  /** Test metrics of the saved model: the engine's when the self-check passed, the bundle's otherwise. */
  test: BinaryMetrics | null;
  /** The engine against the saved model's plain forward pass on a few hundred test reviews. */
  selfCheck: SelfCheckResult | null;
  /** P(positive) for each test row (the probabilities behind `test`), with the dataset review it is. */
  testPredictions: { reviewIds: Int32Array; labels: Uint8Array; probabilities: Float32Array } | null;
  trainExamples: number;
  validationExamples: number;
  buildSeconds: number;
  trainingSeconds: number;
  examplesPerSecond: number;
  numTensors: number;
  finishedAt: string;
}

export type TrainResponse =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'data-ready'; key: string }
  | {
      type: 'phase';
      runId: number;
      phase: RunPhase;
      trainExamples: number;
      validationExamples: number;
      /** Which engine trains and why, from the 'training' phase on. */
      engine: EngineInUse | null;
    }
  | { type: 'batches'; runId: number; points: BatchPoint[] }
  | { type: 'epoch'; runId: number; point: EpochPoint }
  | {
      type: 'eval-progress';
      runId: number;
      phase: 'validating' | 'testing' | 'self-check';
      done: number;
      total: number;
    }
  /** The run's summary and the finished model bundle (weights, tokenizer, metadata), ready to save and download. */
  | { type: 'done'; runId: number; summary: RunSummary; bundle: ModelBundle }
  | { type: 'error'; runId: number | null; message: string };
