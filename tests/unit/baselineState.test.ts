import { describe, expect, it } from 'vitest';
import { baselineReducer, INITIAL_BASELINE_STATE } from '../../src/ui/baseline/baselineState';
import { accuracyDomain, ARTICLE_REFERENCE } from '../../src/ui/training/TrainingCharts';
import type { BaselineSummary } from '../../src/workers/baseline/api';

const summary = { test: { accuracy: 0.9 } } as unknown as BaselineSummary;

describe('the baseline block state', () => {
  it('follows a run to the end and drops answers from a run it moved past', () => {
    let state = baselineReducer(INITIAL_BASELINE_STATE, { type: 'begin', runId: 1 });
    expect(state.status).toBe('preparing');
    const progress = { phase: 'features' as const, done: 5, total: 10 };
    state = baselineReducer(state, { type: 'event', runId: 1, event: { type: 'progress', progress } });
    expect(state).toMatchObject({ status: 'running', progress });
    state = baselineReducer(state, { type: 'begin', runId: 2 });
    state = baselineReducer(state, { type: 'done', runId: 1, summary });
    expect(state.summary).toBeNull();
    state = baselineReducer(state, { type: 'done', runId: 2, summary });
    expect(state).toMatchObject({ status: 'done', summary, progress: null });
    // A new run keeps the last result's reference line until it has its own; a cancel ends it.
    state = baselineReducer(state, { type: 'begin', runId: 3 });
    expect(state.summary).toBe(summary);
    state = baselineReducer(state, { type: 'cancelled', runId: 3 });
    expect(state.status).toBe('cancelled');
    expect(baselineReducer(state, { type: 'failed', runId: 2, message: 'late' })).toBe(state);
  });
});

describe('the accuracy chart axis', () => {
  it('spans the data and every reference line on 5-point steps', () => {
    expect(accuracyDomain([], [])).toEqual([0.5, 1]);
    expect(accuracyDomain([], [ARTICLE_REFERENCE])).toEqual([0.8, 0.85]);
    const baseline = { ...ARTICLE_REFERENCE, id: 'baseline', value: 0.9194 };
    expect(accuracyDomain([[{ x: 1, y: 0.61 }]], [ARTICLE_REFERENCE, baseline])).toEqual([0.6, 0.95]);
    expect(accuracyDomain([[{ x: 1, y: 1 }]], [])).toEqual([0.95, 1]);
  });
});
