import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasetRequestOptions, LoadPhase, PhaseProgress, PreparedDataset } from '../worker/protocol';
import { DataClient } from './dataClient';

export type PhaseProgressMap = Partial<Record<LoadPhase, PhaseProgress>>;

export interface DatasetState {
  loading: boolean;
  progress: PhaseProgressMap;
  dataset: PreparedDataset | null;
  error: string | null;
}

const INITIAL: DatasetState = { loading: false, progress: {}, dataset: null, error: null };

/** Loads datasets through the data worker; a failed load keeps the previous dataset. */
export function useDataset() {
  const clientRef = useRef<DataClient | null>(null);
  const [state, setState] = useState<DatasetState>(INITIAL);

  useEffect(() => {
    const client = new DataClient();
    clientRef.current = client;
    return () => {
      client.dispose();
      clientRef.current = null;
    };
  }, []);

  const load = useCallback(async (options: DatasetRequestOptions) => {
    const client = clientRef.current;
    if (!client) return;
    setState((s) => ({ ...s, loading: true, progress: {}, error: null }));
    try {
      const dataset = await client.load(options, {
        onProgress: (progress) => setState((s) => ({ ...s, progress: { ...s.progress, [progress.phase]: progress } })),
      });
      // Exposed for the data benchmark (scripts/bench-data.ts), which reads the worker's own timings.
      (window as unknown as { __datasetTimings: unknown }).__datasetTimings = dataset.summary.timings;
      setState((s) => ({ loading: false, progress: s.progress, dataset, error: null }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message === 'Superseded by a newer load') return;
      setState((s) => ({ ...s, loading: false, error: message }));
    }
  }, []);

  return { ...state, load };
}
