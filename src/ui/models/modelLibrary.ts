import { isBaselineBundle, type AnyBundle, type BaselineMetadata } from '../../baseline/bundle';
import type { BundleMetadata } from '../../bundle/metadata';
import type { NamedBytes } from '../../bundle/files';
import type { Architecture } from '../../bundle/topology';
import { ModelStore, type SavedModel } from '../../storage/modelStore';
import type { ModelReady } from '../../workers/inference/api';
import type { InferenceClient } from '../../workers/inference/client';

export type CurrentSource = 'trained' | 'file' | 'saved';

interface CurrentCommon {
  name: string;
  source: CurrentSource;
  /** Its entry in the saved list, if it has one. */
  savedId: number | null;
  /** Changes whenever another model becomes current (classification reruns). */
  version: number;
}

/** The model in use: an LSTM bundle's metadata and shapes, or the baseline's metadata. */
export type CurrentModel = CurrentCommon &
  (
    | { kind: 'lstm'; metadata: BundleMetadata; architecture: Architecture }
    | { kind: 'baseline'; metadata: BaselineMetadata }
  );

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

export const INITIAL_MODELS_STATE: ModelsState = {
  current: null,
  busy: null,
  loadError: null,
  storageError: null,
  saved: [],
  storeReady: false,
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Update = (change: (state: ModelsState) => ModelsState) => void;

/**
 * The current model (held by the inference worker) and the saved models (IndexedDB). Every way a
 * model arrives goes through the worker's validation; a rejected one leaves the current model.
 * It reports its state through `update` (React's state setter under `useModels`).
 */
export class ModelLibrary {
  private store: ModelStore | null = null;
  private disposed = false;
  /** Counts model changes the user asked for; the restore after a reload yields to any of them. */
  private generation = 0;
  private version = 0;

  constructor(
    readonly client: InferenceClient,
    private readonly update: Update,
  ) {}

  /** Opens the saved models and brings back the one used last, unless the user got there first. */
  async open(): Promise<void> {
    let store: ModelStore;
    try {
      store = await ModelStore.open();
    } catch (error) {
      if (!this.disposed) this.update((s) => ({ ...s, storageError: message(error) }));
      return;
    }
    if (this.disposed) return store.close();
    this.store = store;
    const saved = await store.list().catch(() => []);
    this.update((s) => ({ ...s, saved, storeReady: true }));
    const last = await store.mostRecentlyUsed().catch(() => null);
    if (!last || this.userActed()) return;
    this.update((s) => ({ ...s, busy: `Loading your last model, ${last.name}…` }));
    try {
      const { summary, bundle } = await store.load(last.id);
      if (this.userActed()) return;
      const ready = await this.client.setBundle(bundle);
      if (!this.disposed) this.makeCurrent(bundle, ready, 'saved', summary.id);
    } catch (error) {
      if (!this.disposed)
        this.update((s) => ({
          ...s,
          busy: null,
          loadError: `Your last saved model could not be loaded: ${message(error)}`,
        }));
    }
  }

  async adoptTrained(bundle: AnyBundle): Promise<void> {
    this.generation++;
    try {
      const ready = await this.client.setBundle(bundle);
      this.makeCurrent(bundle, ready, 'trained', null);
      await this.keep(bundle, 'trained', this.version);
    } catch (error) {
      this.update((s) => ({ ...s, loadError: `The trained model could not be used: ${message(error)}` }));
    }
  }

  async loadFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    this.generation++;
    const names = files.map((f) => f.name).join(', ');
    this.update((s) => ({ ...s, busy: `Reading ${names}…`, loadError: null }));
    try {
      const named = await Promise.all(
        files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
      );
      const { ready, bundle } = await this.client.loadFiles(named);
      this.makeCurrent(bundle, ready, 'file', null);
      await this.keep(bundle, 'file', this.version);
    } catch (error) {
      this.failLoad(`Could not load ${names}: ${message(error)}`);
    }
  }

  async loadSaved(id: number): Promise<void> {
    const store = this.store;
    if (!store) return;
    this.generation++;
    this.update((s) => ({ ...s, busy: 'Loading the saved model…', loadError: null }));
    try {
      const { summary, bundle } = await store.load(id);
      const ready = await this.client.setBundle(bundle);
      this.makeCurrent(bundle, ready, 'saved', summary.id);
      await this.refreshList();
    } catch (error) {
      this.failLoad(`Could not load the saved model: ${message(error)}`);
    }
  }

  /** A saved model's bundle, read without changing the current model or the last one used. */
  async savedBundle(id: number): Promise<AnyBundle> {
    if (!this.store) throw new Error('The saved models cannot be read in this browser.');
    return this.store.peek(id);
  }

  async rename(id: number, name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '') return;
    await this.changeSaved(
      (store) => store.rename(id, trimmed),
      (current) => (current.savedId === id ? { ...current, name: trimmed } : current),
    );
  }

  async remove(id: number): Promise<void> {
    await this.changeSaved(
      (store) => store.remove(id),
      (current) => (current.savedId === id ? { ...current, savedId: null } : current),
    );
  }

  /** The current model's files: one zip, or each file apart; null (with a message) if it failed. */
  async exportFiles(as: 'zip' | 'files'): Promise<NamedBytes[] | null> {
    try {
      return await this.client.export(as);
    } catch (error) {
      this.update((s) => ({ ...s, loadError: `Could not prepare the download: ${message(error)}` }));
      return null;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.client.dispose();
    this.store?.close();
    this.store = null;
  }

  private userActed(): boolean {
    return this.disposed || this.generation !== 0;
  }

  private makeCurrent(bundle: AnyBundle, ready: ModelReady, source: CurrentSource, savedId: number | null) {
    const common = { name: bundle.metadata.name, source, savedId, version: ++this.version };
    let current: CurrentModel;
    if (isBaselineBundle(bundle)) current = { ...common, kind: 'baseline', metadata: bundle.metadata };
    else if (ready.architecture) {
      current = { ...common, kind: 'lstm', metadata: bundle.metadata, architecture: ready.architecture };
    } else throw new Error('The inference worker adopted an LSTM bundle without its architecture');
    this.update((s) => ({ ...s, current, busy: null, loadError: null }));
  }

  private failLoad(text: string): void {
    this.update((s) => ({
      ...s,
      busy: null,
      loadError: text + (s.current ? ` The current model, ${s.current.name}, is still loaded.` : ''),
    }));
  }

  /** Saves a newly arrived model in the browser; a failure (quota) is reported, the model stays. */
  private async keep(bundle: AnyBundle, source: 'trained' | 'file', forVersion: number): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      const saved = await store.save(bundle, source);
      this.update((s) => ({
        ...s,
        storageError: null,
        current: s.current?.version === forVersion ? { ...s.current, savedId: saved.id } : s.current,
      }));
      await this.refreshList();
    } catch (error) {
      this.update((s) => ({ ...s, storageError: message(error) }));
    }
  }

  /** A change to a saved entry, mirrored in the current model when it is that entry. */
  private async changeSaved(
    change: (store: ModelStore) => Promise<unknown>,
    mirror: (current: CurrentModel) => CurrentModel,
  ): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      await change(store);
      this.update((s) => ({ ...s, storageError: null, current: s.current && mirror(s.current) }));
      await this.refreshList();
    } catch (error) {
      this.update((s) => ({ ...s, storageError: message(error) }));
    }
  }

  private async refreshList(): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      const saved = await store.list();
      this.update((s) => ({ ...s, saved }));
    } catch (error) {
      this.update((s) => ({ ...s, storageError: message(error) }));
    }
  }
}
