import { describe, expect, it } from 'vitest';
import type { BackendInfo } from '../../src/model/backend';
import type { BatchPoint, EpochPoint } from '../../src/training/trainer';
import type { RunSummary } from '../../src/workers/train/api';
import { DEFAULT_SETTINGS } from '../../src/training/settings';
import {
  INITIAL_TRAINING_STATE,
  trainingReducer,
  type TrainingAction,
  type TrainingState,
} from '../../src/ui/training/trainingState';

const backend = { name: 'webgl' } as BackendInfo;
const point = (batch: number): BatchPoint => ({
  epoch: 1,
  batch,
  batchesPerEpoch: 10,
  step: batch,
  loss: 0.5,
  accuracy: 0.5,
  size: 32,
  milliseconds: 10,
  numTensors: 24,
  endedAt: 1_700_000_000_000 + batch,
});
const epoch: EpochPoint = { epoch: 1, loss: 0.4, accuracy: 0.8, valLoss: 0.45, valAccuracy: 0.79, seconds: 3 };
const summary = { runId: 1 } as RunSummary;

const run = (...actions: TrainingAction[]): TrainingState =>
  actions.reduce(trainingReducer, { ...INITIAL_TRAINING_STATE, backend });
const begin = (runId: number): TrainingAction => ({ type: 'begin', runId, settings: DEFAULT_SETTINGS, startedAt: 0 });
const training: TrainingAction = {
  type: 'progress',
  runId: 1,
  points: [],
  event: { type: 'phase', phase: 'training', trainExamples: 90, validationExamples: 10, engine: null },
};

describe('the training panel state', () => {
  it('starts a run from scratch but keeps the backend', () => {
    const state = run(begin(1), training, { type: 'progress', runId: 1, points: [point(1)], event: null }, begin(2));
    expect(state.runId).toBe(2);
    expect(state.status).toBe('preparing');
    expect(state.batches).toEqual([]);
    expect(state.backend).toBe(backend);
  });

  it('shows held-back batches before the event that follows them', () => {
    const state = run(begin(1), training, {
      type: 'progress',
      runId: 1,
      points: [point(1), point(2)],
      event: { type: 'epoch', point: epoch },
    });
    expect(state.batches.map((b) => b.batch)).toEqual([1, 2]);
    expect(state.epochs).toEqual([epoch]);
    expect(state.status).toBe('training');
  });

  it('drops answers from a run the page has moved past', () => {
    const before = run(begin(1), begin(2));
    const after = trainingReducer(before, { type: 'done', runId: 1, points: [point(1)], summary });
    expect(after).toBe(before);
    expect(trainingReducer(before, { type: 'failed', runId: 1, message: 'old' })).toBe(before);
  });

  it('finishes with the last batches and the summary', () => {
    const state = run(begin(1), training, { type: 'done', runId: 1, points: [point(3)], summary });
    expect(state.status).toBe('done');
    expect(state.summary).toBe(summary);
    expect(state.batches.map((b) => b.batch)).toEqual([3]);
  });

  it('fails a running run when the backend is lost, and takes no more events for it', () => {
    const lost = run(begin(1), training, { type: 'backend-failed', message: 'WebGL context lost' });
    expect(lost.status).toBe('failed');
    expect(lost.error).toBe('WebGL context lost');
    const later = trainingReducer(lost, { ...training, points: [point(4)] } as TrainingAction);
    expect(later.status).toBe('failed');
    expect(later.batches.map((b) => b.batch)).toEqual([4]); // what it trained before the loss still shows
  });

  it('records a backend that failed to start without inventing a failed run', () => {
    const state = run({ type: 'backend-failed', message: 'no WebGL' });
    expect(state.status).toBe('idle');
    expect(state.backendError).toBe('no WebGL');
    expect(state.error).toBeNull();
  });

  it('marks a running run as stopping, but not a finished one', () => {
    expect(run(begin(1), training, { type: 'stopping', runId: 1 }).stopping).toBe(true);
    expect(
      run(begin(1), { type: 'done', runId: 1, points: [], summary }, { type: 'stopping', runId: 1 }).stopping,
    ).toBe(false);
  });
});
