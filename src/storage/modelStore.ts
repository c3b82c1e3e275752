/**
 * Saved models in IndexedDB. Summaries and bundles live in two stores under one key, so the list
 * reads a few hundred bytes per model, not each model's megabytes of weights.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { isBaselineBundle, type AnyBundle } from '../baseline/bundle';
import type { ModelBundle } from '../bundle/types';

export type ModelSource = 'trained' | 'file';
/** What a saved model is: the LSTM or the linear baseline. */
export type ModelKind = 'lstm' | 'baseline';

export interface SavedModel {
  id: number;
  /** Absent in models saved before the baseline existed: those are all LSTMs. */
  kind?: ModelKind;
  name: string;
  source: ModelSource;
  savedAt: string;
  /** The model's own creation date (metadata): with `bytes`, recognises a model saved before. */
  createdAt: string;
  /** When it was last made the current model: the most recent is loaded after a page reload. */
  lastUsedAt: string;
  testAccuracy: number | null;
  /** The LSTM's maxlen and numWords; null for the baseline, which reads every word. */
  maxlen: number | null;
  numWords: number | null;
  /** e.g. "Embedding(20000, 128) → LSTM(128), 5 epochs", "NBSVM: 49,283 unigrams + 388,689 bigrams". */
  description: string;
  bytes: number;
}

interface Schema extends DBSchema {
  summaries: { key: number; value: SavedModel };
  bundles: { key: number; value: AnyBundle };
}

const DB_NAME = 'sentiment-lab';
const DB_VERSION = 1;

/** A storage failure, with a message for people (quota, private mode, blocked storage). */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const SAVED_MODEL_ADVICE = 'Delete saved models you no longer need, or download this one as a zip to keep it.';

/** `advice`: what the person can do about a full quota (the saved models' by default). */
export function describeStorageError(
  error: unknown,
  action: string,
  bytes?: number,
  advice = SAVED_MODEL_ADVICE,
): StorageError {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'QuotaExceededError') {
    return new StorageError(
      `Could not ${action}: the browser's storage quota for this site is full` +
        (bytes ? ` (this model needs ${megabytes(bytes)})` : '') +
        `. ${advice}`,
      { cause: error },
    );
  }
  return new StorageError(`Could not ${action}: ${detail || name || 'the browser refused'}.`, { cause: error });
}

export function bundleBytes(bundle: AnyBundle): number {
  if (isBaselineBundle(bundle)) return bundle.weights.byteLength + bundle.featuresText.length;
  return bundle.weightData.byteLength + bundle.tokenizerJson.length + JSON.stringify(bundle.modelJson).length;
}

const count = new Intl.NumberFormat('en-US');

function describe(bundle: AnyBundle): string {
  if (isBaselineBundle(bundle)) {
    const { unigrams, bigrams } = bundle.metadata.model;
    return `NBSVM baseline: ${count.format(unigrams)} unigrams + ${count.format(bigrams)} bigrams`;
  }
  return describeLstm(bundle);
}

function describeLstm(bundle: ModelBundle): string {
  const settings = bundle.metadata.training?.settings;
  const epochs = bundle.metadata.training?.epochsTrained;
  const shape = settings
    ? `Embedding(${settings.numWords}, ${settings.embeddingDim}) → LSTM(${settings.lstmUnits})`
    : 'Embedding → LSTM';
  const described = epochs === undefined ? shape : `${shape}, ${epochs} epoch${epochs === 1 ? '' : 's'}`;
  return bundle.metadata.training?.selfCheck?.passed === false ? `${described} · FAILED the self-check` : described;
}

/** The bundle as the list names it (a rename changes the summary only). */
function renamed(bundle: AnyBundle, name: string): AnyBundle {
  if (isBaselineBundle(bundle)) return { ...bundle, metadata: { ...bundle.metadata, name } };
  return { ...bundle, metadata: { ...bundle.metadata, name } };
}

export class ModelStore {
  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  static async open(): Promise<ModelStore> {
    try {
      const db = await openDB<Schema>(DB_NAME, DB_VERSION, {
        upgrade(database) {
          database.createObjectStore('summaries', { keyPath: 'id', autoIncrement: true });
          database.createObjectStore('bundles');
        },
      });
      return new ModelStore(db);
    } catch (error) {
      throw describeStorageError(error, 'open the saved-models database');
    }
  }

  async list(): Promise<SavedModel[]> {
    try {
      const all = await this.db.getAll('summaries');
      return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt) || b.id - a.id);
    } catch (error) {
      throw describeStorageError(error, 'read the saved models');
    }
  }

  /**
   * Saves a bundle and returns its summary; a quota error leaves nothing half-written. A model
   * already saved (loading its own download again) is not stored twice: it just becomes the last used.
   */
  async save(bundle: AnyBundle, source: ModelSource): Promise<SavedModel> {
    const now = new Date().toISOString();
    const bytes = bundleBytes(bundle);
    const existing = (await this.list()).find((m) => m.createdAt === bundle.metadata.createdAt && m.bytes === bytes);
    if (existing) return (await this.load(existing.id)).summary;
    const baseline = isBaselineBundle(bundle);
    const summary: Omit<SavedModel, 'id'> = {
      kind: baseline ? 'baseline' : 'lstm',
      name: bundle.metadata.name,
      source,
      savedAt: now,
      createdAt: bundle.metadata.createdAt,
      lastUsedAt: now,
      testAccuracy: bundle.metadata.metrics.test?.accuracy ?? null,
      maxlen: baseline ? null : bundle.metadata.maxlen,
      numWords: baseline ? null : bundle.metadata.numWords,
      description: describe(bundle),
      bytes,
    };
    try {
      const tx = this.db.transaction(['summaries', 'bundles'], 'readwrite');
      // The key path fills in `id`.
      const id = await tx.objectStore('summaries').add(summary as SavedModel);
      await tx.objectStore('bundles').put(bundle, id);
      await tx.done;
      return { ...summary, id };
    } catch (error) {
      throw describeStorageError(error, 'save the model in this browser', bytes);
    }
  }

  /** The bundle of a saved model (its name as renamed), and marks it as the last one used. */
  async load(id: number): Promise<{ summary: SavedModel; bundle: AnyBundle }> {
    try {
      const tx = this.db.transaction(['summaries', 'bundles'], 'readwrite');
      const summary = await tx.objectStore('summaries').get(id);
      const bundle = await tx.objectStore('bundles').get(id);
      if (!summary || !bundle) throw new Error(`saved model ${id} no longer exists`);
      const used = { ...summary, lastUsedAt: new Date().toISOString() };
      await tx.objectStore('summaries').put(used);
      await tx.done;
      return { summary: used, bundle: renamed(bundle, summary.name) };
    } catch (error) {
      throw describeStorageError(error, 'load the saved model');
    }
  }

  /** The bundle of a saved model (its name as renamed), without making it the last one used: for reports and comparisons. */
  async peek(id: number): Promise<AnyBundle> {
    try {
      const tx = this.db.transaction(['summaries', 'bundles'], 'readonly');
      const summary = await tx.objectStore('summaries').get(id);
      const bundle = await tx.objectStore('bundles').get(id);
      await tx.done;
      if (!summary || !bundle) throw new Error(`saved model ${id} no longer exists`);
      return renamed(bundle, summary.name);
    } catch (error) {
      throw describeStorageError(error, 'read the saved model');
    }
  }

  async rename(id: number, name: string): Promise<void> {
    try {
      const tx = this.db.transaction('summaries', 'readwrite');
      const summary = await tx.store.get(id);
      if (!summary) throw new Error(`saved model ${id} no longer exists`);
      await tx.store.put({ ...summary, name });
      await tx.done;
    } catch (error) {
      throw describeStorageError(error, 'rename the saved model');
    }
  }

  async remove(id: number): Promise<void> {
    try {
      const tx = this.db.transaction(['summaries', 'bundles'], 'readwrite');
      await Promise.all([tx.objectStore('summaries').delete(id), tx.objectStore('bundles').delete(id), tx.done]);
    } catch (error) {
      throw describeStorageError(error, 'delete the saved model');
    }
  }

  /** The model used last, to load after a page reload. */
  async mostRecentlyUsed(): Promise<SavedModel | null> {
    const all = await this.list();
    return all.reduce<SavedModel | null>((best, m) => (!best || m.lastUsedAt > best.lastUsedAt ? m : best), null);
  }

  close(): void {
    this.db.close();
  }
}
