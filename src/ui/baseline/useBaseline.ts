import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { BaselineBundle } from '../../baseline/bundle';
import type { BaselineData, BaselineSummary, SplitSettings } from '../../workers/baseline/api';
import { BaselineClient } from '../../workers/baseline/client';
import { Cancelled } from '../../workers/rpc';
import { publishBaseline } from '../../testHooks';
import { baselineReducer, INITIAL_BASELINE_STATE } from './baselineState';

export { baselineRunning, type BaselineState } from './baselineState';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The baseline's worker and its runs as React state; `onTrained` receives each finished run's bundle. */
export function useBaseline(onTrained?: (bundle: BaselineBundle, summary: BaselineSummary) => void) {
  const clientRef = useRef<BaselineClient | null>(null);
  const runIdRef = useRef(0);
  const onTrainedRef = useRef(onTrained);
  useEffect(() => {
    onTrainedRef.current = onTrained;
  }, [onTrained]);
  const [state, dispatch] = useReducer(baselineReducer, INITIAL_BASELINE_STATE);

  useEffect(() => {
    const client = new BaselineClient();
    clientRef.current = client;
    return () => {
      client.dispose();
      clientRef.current = null;
    };
  }, []);

  /** Marks a run as started (synchronously, so a double click cannot start two). */
  const begin = useCallback((): number => {
    const runId = ++runIdRef.current;
    dispatch({ type: 'begin', runId });
    publishBaseline({ runId, summary: null, error: null });
    return runId;
  }, []);

  const start = useCallback(async (runId: number, data: BaselineData, split: SplitSettings) => {
    const client = clientRef.current;
    if (!client || runId !== runIdRef.current) return;
    try {
      const { summary, bundle } = await client.train(data, split, (event) => dispatch({ type: 'event', runId, event }));
      if (runId !== runIdRef.current) return;
      publishBaseline({ runId, summary, error: null });
      dispatch({ type: 'done', runId, summary });
      onTrainedRef.current?.(bundle, summary);
    } catch (error) {
      if (runId !== runIdRef.current) return;
      if (error instanceof Cancelled) {
        dispatch({ type: 'cancelled', runId });
        return;
      }
      publishBaseline({ runId, summary: null, error: describe(error) });
      dispatch({ type: 'failed', runId, message: describe(error) });
    }
  }, []);

  const fail = useCallback((runId: number, message: string) => {
    if (runId !== runIdRef.current) return;
    publishBaseline({ runId, summary: null, error: message });
    dispatch({ type: 'failed', runId, message });
  }, []);

  const cancel = useCallback(() => {
    clientRef.current?.cancel();
    dispatch({ type: 'cancelled', runId: runIdRef.current });
  }, []);

  return { state, begin, start, fail, cancel };
}
