/**
 * The training panel's state and how each thing that happens changes it: a pure reducer, so the
 * rules (stale runs ignored, batches shown before what follows them, a failure keeps the history)
 * are unit-tested without a worker or React.
 */
import type { BackendInfo } from '../../model/backend';
import type { BatchPoint, EpochPoint } from '../../training/trainer';
import type { EngineInUse, EvaluationPhase, RunEvent, RunPhase, RunSummary } from '../../workers/train/api';
import type { TrainingSettings } from '../../training/settings';
import type { CheckpointPlace } from '../../training/checkpointPlace';

export type RunStatus = 'idle' | 'preparing' | RunPhase | 'done' | 'failed';

export interface TrainingState {
  backend: BackendInfo | null;
  backendError: string | null;
  runId: number;
  status: RunStatus;
  stopping: boolean;
  settings: TrainingSettings | null;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  evalProgress: { phase: EvaluationPhase; done: number; total: number } | null;
  trainExamples: number;
  validationExamples: number;
  /** The engine training this run, once the worker has chosen it. */
  engine: EngineInUse | null;
  startedAt: number;
  summary: RunSummary | null;
  error: string | null;
  /** Where the last checkpoint was written, or why checkpoints stopped. */
  checkpoint: { place: CheckpointPlace; error: string | null } | null;
  /** This run continues the checkpoint written there. */
  resumedFrom: CheckpointPlace | null;
  /** What happened before this run started (a lost WebGL context it recovered from). */
  notice: string | null;
}

export const INITIAL_TRAINING_STATE: TrainingState = {
  backend: null,
  backendError: null,
  runId: 0,
  status: 'idle',
  stopping: false,
  settings: null,
  batches: [],
  epochs: [],
  evalProgress: null,
  trainExamples: 0,
  validationExamples: 0,
  engine: null,
  startedAt: 0,
  summary: null,
  error: null,
  checkpoint: null,
  resumedFrom: null,
  notice: null,
};

export const isRunning = (status: RunStatus) => status !== 'idle' && status !== 'done' && status !== 'failed';

export type TrainingAction =
  | { type: 'backend-ready'; backend: BackendInfo }
  /** The backend could not start, or was lost (a lost WebGL context): a running run fails with it. */
  | { type: 'backend-failed'; message: string }
  | {
      type: 'begin';
      runId: number;
      settings: TrainingSettings;
      startedAt: number;
      resumedFrom?: CheckpointPlace | null;
      notice?: string | null;
    }
  /** The WebGL context went away mid-run: the page recovers (useTraining's onContextLost), so the run is not failed. */
  | { type: 'backend-lost'; message: string }
  /** Batch points held back by the page (charts redraw at most once a second), then an event or nothing. */
  | { type: 'progress'; runId: number; points: BatchPoint[]; event: Exclude<RunEvent, { type: 'batches' }> | null }
  | { type: 'done'; runId: number; points: BatchPoint[]; summary: RunSummary }
  | { type: 'failed'; runId: number; message: string }
  | { type: 'stopping'; runId: number };

function withPoints(state: TrainingState, points: BatchPoint[]): TrainingState {
  return points.length > 0 ? { ...state, batches: [...state.batches, ...points] } : state;
}

function applyEvent(state: TrainingState, event: Exclude<RunEvent, { type: 'batches' }>): TrainingState {
  switch (event.type) {
    case 'phase':
      return {
        ...state,
        status: event.phase,
        trainExamples: event.trainExamples,
        validationExamples: event.validationExamples,
        engine: event.engine ?? state.engine,
        evalProgress: null,
      };
    case 'epoch':
      return { ...state, epochs: [...state.epochs, event.point], evalProgress: null };
    case 'eval-progress':
      return { ...state, evalProgress: { phase: event.phase, done: event.done, total: event.total } };
    case 'checkpoint':
      // A failure stays on screen: later epochs are not checkpointed.
      return state.checkpoint?.error ? state : { ...state, checkpoint: { place: event.place, error: event.error } };
  }
}

export function trainingReducer(state: TrainingState, action: TrainingAction): TrainingState {
  switch (action.type) {
    case 'backend-ready':
      return { ...state, backend: action.backend };
    case 'backend-failed':
      return {
        ...state,
        backendError: action.message,
        status: isRunning(state.status) ? 'failed' : state.status,
        error: isRunning(state.status) ? action.message : state.error,
        stopping: false,
      };
    case 'begin':
      return {
        ...INITIAL_TRAINING_STATE,
        backend: state.backend,
        backendError: state.backendError,
        runId: action.runId,
        status: 'preparing',
        settings: action.settings,
        startedAt: action.startedAt,
        resumedFrom: action.resumedFrom ?? null,
        notice: action.notice ?? null,
      };
    case 'backend-lost':
      return { ...state, notice: `${action.message} Recovering…` };
  }
  // Everything else belongs to one run: answers from a run the page has moved past are dropped.
  if (action.runId !== state.runId) return state;
  switch (action.type) {
    case 'progress': {
      const next = withPoints(state, action.points);
      // A run that already failed (a lost backend) takes no more events.
      if (!action.event || !isRunning(state.status)) return next;
      return applyEvent(next, action.event);
    }
    case 'done':
      return {
        ...withPoints(state, action.points),
        status: 'done',
        stopping: false,
        summary: action.summary,
        evalProgress: null,
      };
    case 'failed':
      return { ...state, status: 'failed', stopping: false, error: action.message, evalProgress: null };
    case 'stopping':
      return isRunning(state.status) ? { ...state, stopping: true } : state;
  }
}
