import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { DatasetRequestOptions, LoadPhase, PhaseProgress, PreparedDataset } from '../data/dataset';
import type { Split } from '../data/review';
import type { OfflineCopy, ReviewKey } from '../workers/data/api';
import { DataClient } from '../workers/data/client';
import { Cancelled } from '../workers/rpc';
import { publishDatasetTimings } from '../testHooks';

export type PhaseProgressMap = Partial<Record<LoadPhase, PhaseProgress>>;

/** A prepared dataset and the request that made it (its `key` names source + data settings). */
export interface LoadedDataset extends PreparedDataset {
  key: string;
  options: DatasetRequestOptions;
}

export interface DatasetState {
  loading: boolean;
  progress: PhaseProgressMap;
  dataset: LoadedDataset | null;
  error: string | null;
}

export function datasetKey(sourceSha256: string, options: DatasetRequestOptions): string {
  const { trainReviews, testReviews, numWords, maxlen, padding, truncating, oovToken } = options;
  return [sourceSha256, trainReviews, testReviews, numWords, maxlen, padding, truncating, oovToken ?? ''].join(':');
}

const INITIAL: DatasetState = { loading: false, progress: {}, dataset: null, error: null };

/** Loads datasets through the data worker; a failed load keeps the previous dataset. */
export function useDataset() {
  const clientRef = useRef<DataClient | null>(null);
  const [state, setState] = useState<DatasetState>(INITIAL);
  const [offlineCopy, setOfflineCopy] = useState<OfflineCopy | null>(null);
  const refreshOfflineCopy = useCallback(() => {
    void clientRef.current
      ?.offlineCopy()
      .then(setOfflineCopy)
      .catch(() => setOfflineCopy(null));
  }, []);

  useEffect(() => {
    const client = new DataClient();
    clientRef.current = client;
    refreshOfflineCopy();
    return () => {
      client.dispose();
      clientRef.current = null;
    };
  }, [refreshOfflineCopy]);

  const load = useCallback(
    async (options: DatasetRequestOptions): Promise<LoadedDataset | null> => {
      const client = clientRef.current;
      if (!client) return null;
      setState((s) => ({ ...s, loading: true, progress: {}, error: null }));
      try {
        const prepared = await client.load(options, (progress) =>
          setState((s) => ({ ...s, progress: { ...s.progress, [progress.phase]: progress } })),
        );
        publishDatasetTimings(prepared.summary.timings);
        const dataset: LoadedDataset = {
          ...prepared,
          key: datasetKey(prepared.summary.sourceSha256, options),
          options,
        };
        // A transition: React renders the stats, histogram and samples in slices that yield to input,
        // instead of one task long enough to freeze the page.
        startTransition(() => setState((s) => ({ loading: false, progress: s.progress, dataset, error: null })));
        refreshOfflineCopy();
        return dataset;
      } catch (error) {
        if (error instanceof Cancelled) return null;
        const message = error instanceof Error ? error.message : String(error);
        setState((s) => ({ ...s, loading: false, error: message }));
        refreshOfflineCopy();
        return null;
      }
    },
    [refreshOfflineCopy],
  );

  const clearOfflineCopy = useCallback(() => {
    void clientRef.current?.clearOfflineCopy().finally(refreshOfflineCopy);
  }, [refreshOfflineCopy]);

  /** Texts and ratings of reviews of the loaded dataset (from the data worker, which keeps them). */
  const fetchReviews = useCallback(
    (split: Split, keys: ReviewKey[]) =>
      clientRef.current?.reviews(split, keys) ?? Promise.resolve(keys.map(() => null)),
    [],
  );

  const searchReviews = useCallback(
    (split: Split, query: string, limit: number) =>
      clientRef.current?.search(split, query, limit) ?? Promise.resolve({ matches: [], total: 0 }),
    [],
  );

  /** The loaded dataset's texts of a split in row order (for the baseline, which reads words, not ids). */
  const fetchTexts = useCallback((split: Split) => clientRef.current?.texts(split) ?? Promise.resolve(null), []);

  return { ...state, offlineCopy, clearOfflineCopy, load, fetchReviews, searchReviews, fetchTexts };
}
