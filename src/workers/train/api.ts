/** The training worker's protocol (served with workers/rpc.ts): the data it trains on, what it reports, its methods. */
import type { ModelBundle } from '../../bundle/types';
import type { BackendInfo, BackendName } from '../../model/backend';
import type { BatchPoint, EpochPoint } from '../../training/trainer';
import type { DatasetRequestOptions, PaddedMatrix } from '../../data/dataset';
import type { StopReason } from '../../training/trainer';
import type { BinaryMetrics } from '../../training/metrics';
import type { CheckpointPlace } from '../../training/checkpointPlace';
import type { SelfCheckResult } from '../../training/selfCheck';
import type { TestReport } from '../../training/report';
import type { ShortVersionAccuracy } from '../../training/shortVersionAccuracy';
import type { EngineName, TrainingSettings } from '../../training/settings';
import type { ShortVersionSequences } from '../../data/shortVersionSequences';

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
  /** The test reviews' short versions, row for row with `test`. */
  testShortVersions: ShortVersionSequences;
}

/** The engine a run trains with, and why (auto's choice with its figures, or a fallback). */
export interface EngineInUse {
  name: Exclude<EngineName, 'auto'>;
  note: string | null;
  /** CPU threads each step is split over (the WebAssembly engine); null for the tfjs engines. */
  threads: number | null;
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
  /** CPU threads the WebAssembly engine split each step over; null for the tfjs engines. */
  engineThreads: number | null;
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
  /** ROC, precision-recall and calibration of the test predictions, with the validation's best threshold. */
  report: RunReport | null;
  /** Accuracy on each test review's last sentence and last 20 words, by the model the test figures come from. */
  shortVersions: ShortVersionAccuracy | null;
  trainExamples: number;
  validationExamples: number;
  buildSeconds: number;
  trainingSeconds: number;
  examplesPerSecond: number;
  numTensors: number;
  finishedAt: string;
}

/** The test report of a run (see training/report.ts), or why there is none. */
export interface RunReport {
  test: TestReport | null;
  /** The threshold that maximises accuracy on the validation split, and the test accuracy it gives. */
  threshold: { value: number; validationAccuracy: number; testAccuracy: number } | null;
  /** Why a part is missing (one class only, no validation split). */
  notes: string[];
}

/** What a run reports while it goes, in order, through the `onEvent` callback of `train`. */
export type RunEvent =
  | {
      type: 'phase';
      phase: RunPhase;
      trainExamples: number;
      validationExamples: number;
      /** Which engine trains and why, from the 'training' phase on. */
      engine: EngineInUse | null;
    }
  | { type: 'batches'; points: BatchPoint[] }
  | { type: 'epoch'; point: EpochPoint }
  | { type: 'eval-progress'; phase: EvaluationPhase; done: number; total: number }
  /** A checkpoint was written at `place` (or could not be: `error`, and the run goes on without). */
  | { type: 'checkpoint'; place: CheckpointPlace; error: string | null };

/** How a run checkpoints (storage/checkpointStore.ts): its key, and whether it resumes the checkpoint stored under it. */
export interface Checkpointing {
  key: string;
  resume: boolean;
}

export type EvaluationPhase = 'validating' | 'testing' | 'self-check' | 'short-versions';

/** A finished run: its summary and the model bundle (weights, tokenizer, metadata), ready to save and download. */
export interface TrainedRun {
  summary: RunSummary;
  bundle: ModelBundle;
}

export interface TrainWorkerApi {
  /** Sets up tfjs's backend (`null`: the best available); `onBackendLost` hears of a lost WebGL context later. */
  init(backend: BackendName | null, onBackendLost: (message: string) => void): Promise<BackendInfo>;
  /** Hands over the padded matrices (transferred: the page no longer holds them). */
  setData(data: TrainingData): Promise<void>;
  /**
   * Trains, evaluates and self-checks one run; every event reaches `onEvent` before the answer.
   * A stopped run answers too (its weights are kept); a failed one rejects.
   */
  train(
    runId: number,
    settings: TrainingSettings,
    onEvent: (event: RunEvent) => void,
    checkpointing: Checkpointing | null,
  ): Promise<TrainedRun>;
  /** Asks run `runId` to stop after its current batch. */
  stop(runId: number): void;
  /** For tests (fault injection): loses the worker's WebGL context as a GPU reset does; false off WebGL. */
  loseContextForTest(): boolean;
  /** For tests (fault injection): from now on the worker's IndexedDB writes fail as a full quota makes them. */
  fillStorageForTest(): void;
}
