/**
 * The baseline block's state and how each thing that happens changes it: a pure reducer (runs are
 * numbered; answers from a run the page has moved past are dropped), unit-tested without a worker.
 */
import type { BaselineProgress, EpochResult } from '../../baseline/train';
import type { BaselineEvent, BaselineSummary } from '../../workers/baseline/api';

export type BaselineStatus = 'idle' | 'preparing' | 'running' | 'done' | 'failed' | 'cancelled';

export interface BaselineState {
  runId: number;
  status: BaselineStatus;
  progress: BaselineProgress | null;
  history: EpochResult[];
  summary: BaselineSummary | null;
  error: string | null;
}

export const INITIAL_BASELINE_STATE: BaselineState = {
  runId: 0,
  status: 'idle',
  progress: null,
  history: [],
  summary: null,
  error: null,
};

export const baselineRunning = (status: BaselineStatus) => status === 'preparing' || status === 'running';

export type BaselineAction =
  | { type: 'begin'; runId: number }
  | { type: 'event'; runId: number; event: BaselineEvent }
  | { type: 'done'; runId: number; summary: BaselineSummary }
  | { type: 'failed'; runId: number; message: string }
  | { type: 'cancelled'; runId: number };

export function baselineReducer(state: BaselineState, action: BaselineAction): BaselineState {
  // A new run keeps the last finished result on show (its reference line) until it has its own.
  if (action.type === 'begin')
    return { ...INITIAL_BASELINE_STATE, runId: action.runId, status: 'preparing', summary: state.summary };
  if (action.runId !== state.runId) return state;
  switch (action.type) {
    case 'event':
      if (!baselineRunning(state.status)) return state;
      return action.event.type === 'progress'
        ? { ...state, status: 'running', progress: action.event.progress }
        : { ...state, history: [...state.history, action.event.point] };
    case 'done':
      return { ...state, status: 'done', summary: action.summary, progress: null };
    case 'failed':
      return { ...state, status: 'failed', error: action.message, progress: null };
    case 'cancelled':
      return baselineRunning(state.status) ? { ...state, status: 'cancelled', progress: null } : state;
  }
}
