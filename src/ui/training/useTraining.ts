import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { ModelBundle } from '../../bundle/types';
import type { BatchPoint, EpochPoint } from '../../model/trainer';
import type { TrainingSettings } from '../../training/settings';
import { BACKENDS, type BackendInfo, type BackendName } from '../../worker/backend';
import type { EngineInUse, RunPhase, RunSummary, TrainingData } from '../../worker/trainProtocol';
import { TrainClient } from './trainClient';
import { publishRunMessage } from '../../testHooks';

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
  evalProgress: { phase: 'validating' | 'testing' | 'self-check'; done: number; total: number } | null;
  trainExamples: number;
  validationExamples: number;
  /** The engine training this run, once the worker has chosen it. */
  engine: EngineInUse | null;
  startedAt: number;
  summary: RunSummary | null;
  error: string | null;
}

const CHART_REFRESH_MS = 1000;

const INITIAL: TrainingState = {
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
};

function requestedBackend(): BackendName | null {
  const value = new URLSearchParams(window.location.search).get('backend');
  return value && (BACKENDS as readonly string[]).includes(value) ? (value as BackendName) : null;
}

export const isRunning = (status: RunStatus) => status !== 'idle' && status !== 'done' && status !== 'failed';

/** A finished run's model bundle (saved, downloadable) and its summary. */
export type OnTrained = (bundle: ModelBundle, summary: RunSummary) => void;

/**
 * The training worker's state as React state; runs are numbered and stale messages ignored.
 * `onTrained` receives each finished run's model bundle (built by the training worker) and summary.
 */
export function useTraining(onTrained?: OnTrained) {
  const clientRef = useRef<TrainClient | null>(null);
  const onTrainedRef = useRef(onTrained);
  useEffect(() => {
    onTrainedRef.current = onTrained;
  }, [onTrained]);
  const runIdRef = useRef(0);
  const [state, setState] = useState<TrainingState>(INITIAL);
  // Batch points wait here and reach React state once a second: live enough for the charts, and
  // it keeps re-rendering them off the main thread's critical path while the GPU is busy.
  const pendingBatches = useRef<BatchPoint[]>([]);

  useEffect(() => {
    const flush = () => {
      if (pendingBatches.current.length === 0) return;
      const points = pendingBatches.current;
      pendingBatches.current = [];
      // A transition lets React render the charts in slices, yielding to input between them.
      startTransition(() => setState((s) => ({ ...s, batches: [...s.batches, ...points] })));
    };
    const timer = window.setInterval(flush, CHART_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);

  useEffect(() => {
    const client = new TrainClient(requestedBackend());
    clientRef.current = client;
    const unsubscribe = client.subscribe((message) => {
      if (message.type === 'ready') {
        setState((s) => ({ ...s, backend: message.backend }));
        return;
      }
      if (message.type === 'data-ready') return;
      if (message.type === 'error' && message.runId === null) {
        setState((s) => ({
          ...s,
          backendError: message.message,
          status: isRunning(s.status) ? 'failed' : s.status,
          error: isRunning(s.status) ? message.message : s.error,
        }));
        return;
      }
      if (message.runId !== runIdRef.current) return;
      publishRunMessage(message);
      if (message.type === 'done') onTrainedRef.current?.(message.bundle, message.summary);
      if (message.type === 'batches') {
        pendingBatches.current.push(...message.points);
        return;
      }
      // Anything after batches (an epoch's end, the summary) shows them first.
      const points = pendingBatches.current;
      pendingBatches.current = [];
      // As transitions, these renders are sliced, so the main thread never blocks for long.
      startTransition(() =>
        setState((s) => {
          if (points.length > 0) s = { ...s, batches: [...s.batches, ...points] };
          switch (message.type) {
            case 'phase':
              return {
                ...s,
                status: message.phase,
                trainExamples: message.trainExamples,
                validationExamples: message.validationExamples,
                engine: message.engine ?? s.engine,
                evalProgress: null,
              };
            case 'epoch':
              return { ...s, epochs: [...s.epochs, message.point], evalProgress: null };
            case 'eval-progress':
              return { ...s, evalProgress: { phase: message.phase, done: message.done, total: message.total } };
            case 'done':
              return { ...s, status: 'done', stopping: false, summary: message.summary, evalProgress: null };
            case 'error':
              return { ...s, status: 'failed', stopping: false, error: message.message, evalProgress: null };
          }
        }),
      );
    });
    return () => {
      unsubscribe();
      client.dispose();
      clientRef.current = null;
    };
  }, []);

  /** Marks a new run as started (synchronously, so a double click cannot start two). */
  const begin = useCallback((settings: TrainingSettings): number => {
    const runId = ++runIdRef.current;
    pendingBatches.current = [];
    setState((s) => ({
      ...INITIAL,
      backend: s.backend,
      backendError: s.backendError,
      runId,
      status: 'preparing',
      settings,
      startedAt: performance.now(),
    }));
    return runId;
  }, []);

  const start = useCallback((runId: number, settings: TrainingSettings, data: TrainingData | null) => {
    const client = clientRef.current;
    if (!client || runId !== runIdRef.current) return;
    if (data) client.setData(data);
    client.train(runId, settings);
  }, []);

  const fail = useCallback((runId: number, error: string) => {
    if (runId !== runIdRef.current) return;
    setState((s) => ({ ...s, status: 'failed', error }));
  }, []);

  const stop = useCallback(() => {
    clientRef.current?.stop(runIdRef.current);
    setState((s) => ({ ...s, stopping: true }));
  }, []);

  const workerDataKey = () => clientRef.current?.dataKey ?? null;

  return { state, begin, start, fail, stop, workerDataKey };
}
