import type { DatasetRequestOptions, PhaseProgress, PreparedDataset } from '../../data/dataset';
import { callback, connect, Superseding, type Connection } from '../rpc';
import type { PackedTexts } from '../../data/packedTexts';
import type { Review, Split } from '../../data/review';
import type { DataWorkerApi, OfflineCopy, ReviewKey } from './api';

/**
 * The page's side of the data worker: one worker for the page's lifetime. Only the newest load
 * matters: starting one cancels the one before (its promise rejects with `Cancelled`).
 */
export class DataClient {
  private readonly connection: Connection<DataWorkerApi>;
  private readonly latest = new Superseding();

  constructor() {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'data' });
    this.connection = connect<DataWorkerApi>(worker, 'data');
  }

  load(options: DatasetRequestOptions, onProgress: (progress: PhaseProgress) => void): Promise<PreparedDataset> {
    return this.latest.run(
      (jobId) =>
        this.connection.call((api) =>
          api.load(
            jobId,
            options,
            callback((progress: PhaseProgress) => {
              if (this.latest.isCurrent(jobId)) onProgress(progress);
            }),
          ),
        ),
      (jobId) => void this.connection.call((api) => api.cancel(jobId)).catch(() => {}),
    );
  }

  /** Texts and ratings of reviews of the last loaded dataset (null for one it does not hold). */
  reviews(split: Split, keys: ReviewKey[]): Promise<(Review | null)[]> {
    return this.connection.call((api) => api.reviews(split, keys));
  }

  /** The last loaded dataset's texts of `split`, in row order (moved here, not copied). */
  texts(split: Split): Promise<PackedTexts | null> {
    return this.connection.call((api) => api.texts(split));
  }

  search(split: Split, query: string, limit: number): Promise<{ matches: Review[]; total: number }> {
    return this.connection.call((api) => api.search(split, query, limit));
  }

  offlineCopy(): Promise<OfflineCopy> {
    return this.connection.call((api) => api.offlineCopy());
  }

  clearOfflineCopy(): Promise<void> {
    return this.connection.call((api) => api.clearOfflineCopy());
  }

  dispose(): void {
    this.connection.dispose();
  }
}
