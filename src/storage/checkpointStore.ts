/**
 * Checkpoints of unfinished runs in IndexedDB: the training worker writes one after every epoch
 * but the last and where a Stop ends a run (replacing the run's previous one in a single
 * transaction, so a half-written checkpoint is never read and the previous one survives a failed
 * write), and deletes it when the run ends otherwise. After a reload or a crash the page lists what is left and offers to resume it. A
 * database of its own, apart from the saved models, so neither's upgrades touch the other.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { EngineName, TrainingSettings } from '../training/settings';
import type { BatchPoint, TrainCheckpoint } from '../training/trainer';
import { placeOf, type CheckpointPlace } from '../training/checkpointPlace';
import { describeStorageError } from './modelStore';

export interface StoredCheckpoint {
  /** Names the run across reloads (the page's run ids restart at 1). */
  key: string;
  settings: TrainingSettings;
  /** The dataset the run trains on (source sha256 and data settings): a resume must load the same. */
  datasetKey: string;
  /** The engine that ran: a resume continues on it (another engine's optimizer state does not fit). */
  engine: Exclude<EngineName, 'auto'>;
  savedAt: string;
  /** The run's batch points so far, for its charts. */
  batches: BatchPoint[];
  checkpoint: TrainCheckpoint;
}

/** What the page lists: everything but the weights. */
export type CheckpointSummary = Omit<StoredCheckpoint, 'checkpoint' | 'batches'> & {
  place: CheckpointPlace;
  epochs: number;
  lastValAccuracy: number | null;
};

interface Schema extends DBSchema {
  checkpoints: { key: string; value: StoredCheckpoint };
}

const DB_NAME = 'sentiment-lab-checkpoints';

export class CheckpointStore {
  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  static async open(): Promise<CheckpointStore> {
    try {
      const db = await openDB<Schema>(DB_NAME, 1, {
        upgrade(database) {
          database.createObjectStore('checkpoints', { keyPath: 'key' });
        },
      });
      return new CheckpointStore(db);
    } catch (error) {
      throw describeStorageError(error, 'open the checkpoint database');
    }
  }

  /** Replaces the run's checkpoint (one put: the old one stays until the new one is complete). */
  async write(stored: StoredCheckpoint): Promise<void> {
    try {
      await this.db.put('checkpoints', stored);
    } catch (error) {
      throw describeStorageError(
        error,
        'write the checkpoint',
        undefined,
        'Delete saved models or discard stopped runs you no longer need to checkpoint again.',
      );
    }
  }

  /**
   * Keeps the `keep` most recent checkpoints of stopped runs and deletes the older ones (in one
   * transaction), so Stop after Stop does not fill the quota with runs nobody goes on with. The
   * checkpoints of runs still training (in another tab, or interrupted by a reload) are never touched.
   */
  async pruneStopped(keep: number): Promise<string[]> {
    const tx = this.db.transaction('checkpoints', 'readwrite');
    const stopped = (await tx.store.getAll())
      .filter((stored) => stored.checkpoint.position !== undefined)
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    const removed = stopped.slice(keep).map((stored) => stored.key);
    await Promise.all([...removed.map((key) => tx.store.delete(key)), tx.done]);
    return removed;
  }

  read(key: string): Promise<StoredCheckpoint | undefined> {
    return this.db.get('checkpoints', key);
  }

  async list(): Promise<CheckpointSummary[]> {
    const all = await this.db.getAll('checkpoints');
    return all
      .map(({ checkpoint, batches: _batches, ...rest }) => ({
        ...rest,
        place: placeOf(checkpoint),
        epochs: rest.settings.epochs,
        lastValAccuracy: checkpoint.history.at(-1)?.valAccuracy ?? null,
      }))
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  async remove(key: string): Promise<void> {
    await this.db.delete('checkpoints', key);
  }

  close(): void {
    this.db.close();
  }
}
