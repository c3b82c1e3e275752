import { useCallback, useEffect, useRef, useState } from 'react';
import type { BundleMetadata } from '../../bundle/metadata';
import type { Architecture } from '../../bundle/topology';
import type { ModelBundle } from '../../bundle/types';
import { ModelStore, type SavedModel } from '../../storage/modelStore';
import { InferenceClient } from '../../workers/inference/client';

export type CurrentSource = 'trained' | 'file' | 'saved';

export interface CurrentModel {
  name: string;
  source: CurrentSource;
  /** Its entry in the saved list, if it has one. */
  savedId: number | null;
  metadata: BundleMetadata;
  architecture: Architecture;
  /** Changes whenever another model becomes current (classification reruns). */
  version: number;
}

export interface ModelsState {
  current: CurrentModel | null;
  /** What is being done right now, for the page to say. */
  busy: string | null;
  loadError: string | null;
  storageError: string | null;
  saved: SavedModel[];
  /** The saved list could be read (IndexedDB works here). */
  storeReady: boolean;
}

const INITIAL: ModelsState = {
  current: null,
  busy: null,
  loadError: null,
  storageError: null,
  saved: [],
  storeReady: false,
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Triggers a browser download of one file (the page has a document; the worker does not). */
export function downloadFile(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The current model (held by the inference worker) and the saved models (IndexedDB). Every way a
 * model arrives goes through the worker's validation; a rejected one leaves the current model.
 */
export function useModels() {
  const [client, setClient] = useState<InferenceClient | null>(null);
  const storeRef = useRef<ModelStore | null>(null);
  const [state, setState] = useState<ModelsState>(INITIAL);
  /** Counts model changes the user asked for; the restore after a reload yields to any of them. */
  const generation = useRef(0);
  const version = useRef(0);

  const refreshList = useCallback(async () => {
    const store = storeRef.current;
    if (!store) return;
    try {
      const saved = await store.list();
      setState((s) => ({ ...s, saved }));
    } catch (error) {
      setState((s) => ({ ...s, storageError: message(error) }));
    }
  }, []);

  const makeCurrent = useCallback(
    (bundle: ModelBundle, architecture: Architecture, source: CurrentSource, savedId: number | null) => {
      const current: CurrentModel = {
        name: bundle.metadata.name,
        source,
        savedId,
        metadata: bundle.metadata,
        architecture,
        version: ++version.current,
      };
      setState((s) => ({ ...s, current, busy: null, loadError: null }));
    },
    [],
  );

  /** Saves a newly arrived model in the browser; a failure (quota) is reported, the model stays. */
  const keep = useCallback(
    async (bundle: ModelBundle, source: 'trained' | 'file', forVersion: number) => {
      const store = storeRef.current;
      if (!store) return;
      try {
        const saved = await store.save(bundle, source);
        setState((s) => ({
          ...s,
          storageError: null,
          current: s.current?.version === forVersion ? { ...s.current, savedId: saved.id } : s.current,
        }));
        await refreshList();
      } catch (error) {
        setState((s) => ({ ...s, storageError: message(error) }));
      }
    },
    [refreshList],
  );

  useEffect(() => {
    const inference = new InferenceClient();
    setClient(inference);
    let disposed = false;
    // Open the saved models and bring back the one used last, unless the user got there first.
    (async () => {
      let store: ModelStore;
      try {
        store = await ModelStore.open();
      } catch (error) {
        if (!disposed) setState((s) => ({ ...s, storageError: message(error) }));
        return;
      }
      if (disposed) return store.close();
      storeRef.current = store;
      const saved = await store.list().catch(() => []);
      setState((s) => ({ ...s, saved, storeReady: true }));
      const last = await store.mostRecentlyUsed().catch(() => null);
      if (!last || disposed || generation.current !== 0) return;
      setState((s) => ({ ...s, busy: `Loading your last model, ${last.name}…` }));
      try {
        const { summary, bundle } = await store.load(last.id);
        if (disposed || generation.current !== 0) return;
        const ready = await inference.setBundle(bundle);
        if (!disposed) makeCurrent(bundle, ready.architecture, 'saved', summary.id);
      } catch (error) {
        if (!disposed)
          setState((s) => ({
            ...s,
            busy: null,
            loadError: `Your last saved model could not be loaded: ${message(error)}`,
          }));
      }
    })();
    return () => {
      disposed = true;
      inference.dispose();
      storeRef.current?.close();
      storeRef.current = null;
    };
  }, [makeCurrent]);

  const adoptTrained = useCallback(
    async (bundle: ModelBundle) => {
      if (!client) return;
      generation.current++;
      try {
        const ready = await client.setBundle(bundle);
        makeCurrent(bundle, ready.architecture, 'trained', null);
        await keep(bundle, 'trained', version.current);
      } catch (error) {
        setState((s) => ({ ...s, loadError: `The trained model could not be used: ${message(error)}` }));
      }
    },
    [client, keep, makeCurrent],
  );

  const loadFiles = useCallback(
    async (files: readonly File[]) => {
      if (!client || files.length === 0) return;
      generation.current++;
      const names = files.map((f) => f.name).join(', ');
      setState((s) => ({ ...s, busy: `Reading ${names}…`, loadError: null }));
      try {
        const named = await Promise.all(
          files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
        );
        const { ready, bundle } = await client.loadFiles(named);
        makeCurrent(bundle, ready.architecture, 'file', null);
        await keep(bundle, 'file', version.current);
      } catch (error) {
        setState((s) => ({
          ...s,
          busy: null,
          loadError:
            `Could not load ${names}: ${message(error)}` +
            (s.current ? ` The current model, ${s.current.name}, is still loaded.` : ''),
        }));
      }
    },
    [client, keep, makeCurrent],
  );

  const loadSaved = useCallback(
    async (id: number) => {
      const store = storeRef.current;
      if (!client || !store) return;
      generation.current++;
      setState((s) => ({ ...s, busy: 'Loading the saved model…', loadError: null }));
      try {
        const { summary, bundle } = await store.load(id);
        const ready = await client.setBundle(bundle);
        makeCurrent(bundle, ready.architecture, 'saved', summary.id);
        await refreshList();
      } catch (error) {
        setState((s) => ({
          ...s,
          busy: null,
          loadError:
            `Could not load the saved model: ${message(error)}` +
            (s.current ? ` The current model, ${s.current.name}, is still loaded.` : ''),
        }));
      }
    },
    [client, makeCurrent, refreshList],
  );

  const rename = useCallback(
    async (id: number, name: string) => {
      const store = storeRef.current;
      const trimmed = name.trim();
      if (!store || trimmed === '') return;
      try {
        await store.rename(id, trimmed);
        setState((s) => ({
          ...s,
          storageError: null,
          current: s.current?.savedId === id ? { ...s.current, name: trimmed } : s.current,
        }));
        await refreshList();
      } catch (error) {
        setState((s) => ({ ...s, storageError: message(error) }));
      }
    },
    [refreshList],
  );

  const remove = useCallback(
    async (id: number) => {
      const store = storeRef.current;
      if (!store) return;
      try {
        await store.remove(id);
        setState((s) => ({
          ...s,
          storageError: null,
          current: s.current?.savedId === id ? { ...s.current, savedId: null } : s.current,
        }));
        await refreshList();
      } catch (error) {
        setState((s) => ({ ...s, storageError: message(error) }));
      }
    },
    [refreshList],
  );

  /** Downloads the current model: one zip, or one of its separate files. */
  const download = useCallback(
    async (what: 'zip' | string) => {
      if (!client) return;
      try {
        const files = await client.export(what === 'zip' ? 'zip' : 'files');
        for (const file of files) if (what === 'zip' || file.name === what) downloadFile(file.name, file.bytes);
      } catch (error) {
        setState((s) => ({ ...s, loadError: `Could not prepare the download: ${message(error)}` }));
      }
    },
    [client],
  );

  return { state, client, adoptTrained, loadFiles, loadSaved, rename, remove, download };
}
