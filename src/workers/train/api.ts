/** The training worker's methods (served with workers/rpc.ts). */
import type { ModelBundle } from '../../bundle/types';
import type { BackendInfo, BackendName } from '../../model/backend';
import type { BatchPoint, EpochPoint } from '../../training/trainer';
import type { EngineInUse, RunPhase, RunSummary, TrainingData } from '../../training/run';
import type { TrainingSettings } from '../../training/settings';

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
  | { type: 'eval-progress'; phase: 'validating' | 'testing' | 'self-check'; done: number; total: number };

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
  train(runId: number, settings: TrainingSettings, onEvent: (event: RunEvent) => void): Promise<TrainedRun>;
  /** Asks run `runId` to stop after its current batch. */
  stop(runId: number): void;
}
