/**
 * What the app publishes on `window` for the scripts and browser tests that drive it headless
 * (scripts/accuracy-run.ts, scripts/bench-data.ts, e2e/). The UI itself never reads these; this
 * module is the one place that names and types them.
 */
import type { EpochPoint } from './training/trainer';
import type { DatasetSummary } from './data/dataset';
import type { RunSummary } from './workers/train/api';
import type { BaselineSummary } from './workers/baseline/api';

/** The current training run as the page has received it. */
export interface LabState {
  runId: number;
  epochs: EpochPoint[];
  /** Batch points received from the worker so far. */
  batches: number;
  /** When each of them ended, in the worker (Date.now()). */
  batchEndTimes: number[];
  summary: RunSummary | null;
  error: string | null;
}

export type DatasetTimings = DatasetSummary['timings'];

/** Faults the browser tests inject through the app's own workers. */
export interface FaultInjection {
  /** Loses the training worker's WebGL context (WEBGL_lose_context); false off WebGL. */
  loseTrainingContext(): Promise<boolean>;
  /** Makes the training worker's IndexedDB writes fail with QuotaExceededError. */
  fillTrainingStorage(): Promise<void>;
}

/** The current baseline run (the NBSVM block) as the page has received it. */
export interface BaselineLabState {
  runId: number;
  summary: BaselineSummary | null;
  error: string | null;
}

declare global {
  interface Window {
    __sentimentLab?: LabState;
    __sentimentLabBaseline?: BaselineLabState;
    __datasetTimings?: DatasetTimings;
    __sentimentLabFaults?: FaultInjection;
  }
}

export function publishFaultInjection(faults: FaultInjection): void {
  window.__sentimentLabFaults = faults;
}

type RunMessage =
  | { type: 'epoch'; runId: number; point: EpochPoint }
  | { type: 'batches'; runId: number; points: readonly { endedAt?: number }[] }
  | { type: 'done'; runId: number; summary: RunSummary }
  | { type: 'error'; runId: number | null; message: string }
  | { type: string; runId: number | null };

/** Records a training worker message into `window.__sentimentLab` (a new run starts a new record). */
export function publishRunMessage(message: RunMessage): void {
  let state = window.__sentimentLab;
  if (!state || state.runId !== message.runId) {
    state = { runId: message.runId ?? 0, epochs: [], batches: 0, batchEndTimes: [], summary: null, error: null };
    window.__sentimentLab = state;
  }
  if (message.type === 'epoch' && 'point' in message) state.epochs.push(message.point);
  if (message.type === 'batches' && 'points' in message) {
    state.batches += message.points.length;
    for (const point of message.points) if (point.endedAt !== undefined) state.batchEndTimes.push(point.endedAt);
  }
  if (message.type === 'done' && 'summary' in message) state.summary = message.summary;
  if (message.type === 'error' && 'message' in message) state.error = message.message;
}

/** The data worker's own timings of the last dataset load (for the data benchmark). */
export function publishDatasetTimings(timings: DatasetTimings): void {
  window.__datasetTimings = timings;
}

/** Records the baseline's run into `window.__sentimentLabBaseline`. */
export function publishBaseline(state: BaselineLabState): void {
  window.__sentimentLabBaseline = state;
}
