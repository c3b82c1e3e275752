/** A training run as the page sees it: the data it trains on, its phases, and its summary. */
import type { EpochPoint, StopReason } from './trainer';
import type { BinaryMetrics } from './metrics';
import type { SelfCheckResult } from './selfCheck';
import type { EngineName, TrainingSettings } from './settings';
import type { BackendInfo } from '../model/backend';
import type { DatasetRequestOptions, PaddedMatrix } from '../data/dataset';

export interface TrainingData {
  /** Identifies the dataset (source hash + data settings), for the run summary. */
  key: string;
  sourceSha256: string;
  /** The tokenizer the ids were made with (Keras JSON) and the data options: saved with each trained model. */
  tokenizerJson: string;
  options: DatasetRequestOptions;
  vocabularySize: number;
  train: PaddedMatrix;
  /** `reviewIds`: which dataset review each row is, so a run's test predictions can be checked outside the app. */
  test: PaddedMatrix & { reviewIds: Int32Array };
}

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
