import { useCallback, useEffect, useState } from 'react';
import { CheckpointStore, type CheckpointSummary } from '../../storage/checkpointStore';

/** The unfinished runs the training worker checkpointed (storage/checkpointStore.ts), for the page to offer. */
export function useCheckpoints(refreshWhen: unknown) {
  const [store, setStore] = useState<CheckpointStore | null>(null);
  const [unfinished, setUnfinished] = useState<CheckpointSummary[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let opened: CheckpointStore | null = null;
    let cancelled = false;
    CheckpointStore.open()
      .then((s) => {
        if (cancelled) s.close();
        else setStore((opened = s));
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
      opened?.close();
    };
  }, []);

  const refresh = useCallback(() => {
    if (!store) return;
    store
      .list()
      .then(setUnfinished)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [store]);

  useEffect(refresh, [refresh, refreshWhen]);

  const discard = useCallback(
    (key: string) => {
      void store?.remove(key).finally(refresh);
    },
    [store, refresh],
  );

  const read = useCallback((key: string) => store?.read(key) ?? Promise.resolve(undefined), [store]);

  return { unfinished, error, discard, refresh, read };
}
