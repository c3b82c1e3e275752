import { useCallback, useEffect, useState } from 'react';
import type { AnyBundle } from '../../baseline/bundle';
import { InferenceClient } from '../../workers/inference/client';
import { INITIAL_MODELS_STATE, ModelLibrary, type ModelsState } from './modelLibrary';

export type { CurrentModel, CurrentSource, ModelsState } from './modelLibrary';

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

/** The model library (see modelLibrary.ts) as React state, for the page's lifetime. */
export function useModels() {
  const [library, setLibrary] = useState<ModelLibrary | null>(null);
  const [state, setState] = useState<ModelsState>(INITIAL_MODELS_STATE);

  useEffect(() => {
    // The library owns a worker, so it is made here (StrictMode runs effects twice, renders are
    // not allowed side effects) and the page renders once more to hand it to the panels.
    const created = new ModelLibrary(new InferenceClient(), setState);
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setLibrary(created);
    void created.open();
    return () => created.dispose();
  }, []);

  const adoptTrained = useCallback(async (bundle: AnyBundle) => library?.adoptTrained(bundle), [library]);
  const loadFiles = useCallback(async (files: readonly File[]) => library?.loadFiles(files), [library]);
  const loadSaved = useCallback(async (id: number) => library?.loadSaved(id), [library]);
  const readSaved = useCallback(
    (id: number) => library?.savedBundle(id) ?? Promise.reject(new Error('The saved models are not open yet.')),
    [library],
  );
  const rename = useCallback(async (id: number, name: string) => library?.rename(id, name), [library]);
  const remove = useCallback(async (id: number) => library?.remove(id), [library]);
  /** Downloads the current model: one zip, or one of its separate files. */
  const download = useCallback(
    async (what: 'zip' | string) => {
      const files = await library?.exportFiles(what === 'zip' ? 'zip' : 'files');
      for (const file of files ?? []) if (what === 'zip' || file.name === what) downloadFile(file.name, file.bytes);
    },
    [library],
  );

  return {
    state,
    client: library?.client ?? null,
    adoptTrained,
    loadFiles,
    loadSaved,
    readSaved,
    rename,
    remove,
    download,
  };
}
