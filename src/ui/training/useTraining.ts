import { startTransition, useCallback, useEffect, useReducer, useRef } from 'react';
import type { ModelBundle } from '../../bundle/types';
import type { BatchPoint } from '../../training/trainer';
import type { Checkpointing, RunEvent, RunSummary, TrainingData } from '../../workers/train/api';
import type { CheckpointPlace } from '../../training/checkpointPlace';
import type { TrainingSettings } from '../../training/settings';
import { backendFromSearch } from '../../model/backend';
import { TrainClient } from '../../workers/train/client';
import { publishRunMessage } from '../../testHooks';
import { INITIAL_TRAINING_STATE, trainingReducer } from './trainingState';

export { isRunning, type RunStatus, type TrainingState } from './trainingState';

const CHART_REFRESH_MS = 1000;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A run whose worker lost its WebGL context: where, and how to start it again. */
export interface LostRun {
  settings: TrainingSettings;
  checkpointing: Checkpointing;
  message: string;
  /** The last batch it reported. */
  lostAt: BatchPoint | null;
}

export type OnContextLost = (run: LostRun) => void;

/** A finished run's model bundle (saved, downloadable) and its summary. */
export type OnTrained = (bundle: ModelBundle, summary: RunSummary) => void;

/**
 * The training worker's state as React state (see trainingState.ts for its rules); runs are
 * numbered and answers from older runs dropped. `onTrained` receives each finished run's model
 * bundle (built by the training worker) and summary.
 */
export function useTraining(onTrained?: OnTrained, onContextLost?: OnContextLost) {
  const clientRef = useRef<TrainClient | null>(null);
  const onTrainedRef = useRef(onTrained);
  const onContextLostRef = useRef(onContextLost);
  useEffect(() => {
    onTrainedRef.current = onTrained;
    onContextLostRef.current = onContextLost;
  }, [onTrained, onContextLost]);
  const runIdRef = useRef(0);
  const [state, dispatch] = useReducer(trainingReducer, INITIAL_TRAINING_STATE);
  // Batch points wait here and reach React state once a second: live enough for the charts, and
  // it keeps re-rendering them off the main thread's critical path while the GPU is busy.
  const pendingBatches = useRef<BatchPoint[]>([]);
  const takePending = () => {
    const points = pendingBatches.current;
    pendingBatches.current = [];
    return points;
  };

  useEffect(() => {
    const timer = window.setInterval(() => {
      if (pendingBatches.current.length === 0) return;
      const points = takePending();
      // A transition lets React render the charts in slices, yielding to input between them.
      startTransition(() => dispatch({ type: 'progress', runId: runIdRef.current, points, event: null }));
    }, CHART_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);

  /** Why the worker's WebGL context was lost, while the page recovers from it. */
  const lostRef = useRef<string | null>(null);
  /** The run's last batch point: where a lost context cut it. */
  const lastPointRef = useRef<BatchPoint | null>(null);
  /** The run in progress, as the page would start it again. */
  const activeRunRef = useRef<{ runId: number; settings: TrainingSettings; checkpointing: Checkpointing } | null>(null);
  /** A run handed to onContextLost: its worker's last words are not news. */
  const abandonedRunRef = useRef<number | null>(null);

  const connectWorker = useCallback(() => {
    const client = new TrainClient(backendFromSearch(window.location.search), (message) => {
      lostRef.current = message;
      dispatch({ type: 'backend-lost', message });
      // The worker cannot go on (a read on a lost context may never answer): the page takes the run
      // over at once, and whatever the old worker still says about it is ignored.
      const run = activeRunRef.current;
      activeRunRef.current = null;
      if (run && onContextLostRef.current) {
        abandonedRunRef.current = run.runId;
        onContextLostRef.current({ ...run, message, lostAt: lastPointRef.current });
      }
    });
    clientRef.current = client;
    client.ready.then(
      (backend) => dispatch({ type: 'backend-ready', backend }),
      (error: unknown) => dispatch({ type: 'backend-failed', message: describe(error) }),
    );
    return client;
  }, []);

  useEffect(() => {
    connectWorker();
    return () => {
      clientRef.current?.dispose();
      clientRef.current = null;
    };
  }, [connectWorker]);

  /** A fresh training worker (and with it a fresh WebGL context, or another backend if WebGL is gone). */
  const replaceWorker = useCallback(async () => {
    clientRef.current?.dispose();
    lostRef.current = null;
    return connectWorker().ready;
  }, [connectWorker]);

  /** Marks a new run as started (synchronously, so a double click cannot start two). */
  const begin = useCallback(
    (settings: TrainingSettings, resumedFrom: CheckpointPlace | null = null, notice: string | null = null): number => {
      const runId = ++runIdRef.current;
      pendingBatches.current = [];
      lastPointRef.current = null;
      dispatch({ type: 'begin', runId, settings, startedAt: performance.now(), resumedFrom, notice });
      return runId;
    },
    [],
  );

  const start = useCallback(
    async (runId: number, settings: TrainingSettings, data: TrainingData | null, checkpointing: Checkpointing) => {
      const client = clientRef.current;
      if (!client || runId !== runIdRef.current) return;
      const onEvent = (event: RunEvent) => {
        if (runId !== runIdRef.current) return;
        publishRunMessage({ ...event, runId });
        if (event.type === 'batches') {
          pendingBatches.current.push(...event.points);
          lastPointRef.current = event.points.at(-1) ?? lastPointRef.current;
          return;
        }
        // Anything after batches (an epoch's end, a phase) shows them first; as a transition, the
        // render is sliced, so the main thread never blocks for long.
        const points = takePending();
        startTransition(() => dispatch({ type: 'progress', runId, points, event }));
      };
      activeRunRef.current = { runId, settings, checkpointing };
      try {
        if (data) await client.setData(data);
        const { summary, bundle } = await client.train(runId, settings, onEvent, checkpointing);
        if (activeRunRef.current?.runId === runId) activeRunRef.current = null;
        if (runId !== runIdRef.current) return;
        publishRunMessage({ type: 'done', runId, summary });
        onTrainedRef.current?.(bundle, summary);
        const points = takePending();
        startTransition(() => dispatch({ type: 'done', runId, points, summary }));
      } catch (error) {
        if (activeRunRef.current?.runId === runId) activeRunRef.current = null;
        if (runId !== runIdRef.current || abandonedRunRef.current === runId) return;
        publishRunMessage({ type: 'error', runId, message: describe(error) });
        dispatch({ type: 'failed', runId, message: describe(error) });
      }
    },
    [],
  );

  const fail = useCallback((runId: number, error: string) => {
    if (runId !== runIdRef.current) return;
    dispatch({ type: 'failed', runId, message: error });
  }, []);

  const stop = useCallback(() => {
    const runId = runIdRef.current;
    clientRef.current?.stop(runId).catch(() => {});
    dispatch({ type: 'stopping', runId });
  }, []);

  const workerDataKey = () => clientRef.current?.dataKey ?? null;

  const loseContextForTest = () => clientRef.current?.loseContextForTest() ?? Promise.resolve(false);
  const fillStorageForTest = () => clientRef.current?.fillStorageForTest() ?? Promise.resolve();

  return { state, begin, start, fail, stop, workerDataKey, replaceWorker, loseContextForTest, fillStorageForTest };
}
