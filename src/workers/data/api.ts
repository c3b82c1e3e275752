/** The data worker's methods (served with workers/rpc.ts): the page loads datasets through them. */
import type { DatasetRequestOptions, PhaseProgress, PreparedDataset } from '../../data/dataset';
import type { PackedTexts } from '../../data/packedTexts';
import type { Review, Split } from '../../data/review';

/** A review of the loaded dataset, named as the padded matrices' `reviewIds` and labels name it. */
export interface ReviewKey {
  id: number;
  label: number;
}

export interface OfflineCopy {
  /** False where the browser offers no Cache API to the worker. */
  available: boolean;
  shards: number;
  bytes: number;
}

export interface DataWorkerApi {
  /**
   * Fetches, verifies, tokenizes and pads the reviews `options` asks for, reporting each phase's
   * progress; the padded matrices are transferred, not copied. `jobId` names the load for `cancel`.
   */
  load(
    jobId: number,
    options: DatasetRequestOptions,
    onProgress: (progress: PhaseProgress) => void,
  ): Promise<PreparedDataset>;
  /** Stops a load at its next progress report; its call rejects with `Cancelled`. */
  cancel(jobId: number): void;
  /** What the offline copy of the dataset holds (verified shards in the Cache API). */
  offlineCopy(): Promise<OfflineCopy>;
  /** Deletes the offline copy (the next load downloads again). */
  clearOfflineCopy(): Promise<void>;
  /** The texts and ratings of reviews of the last loaded dataset (null for one it does not hold). */
  reviews(split: Split, keys: ReviewKey[]): Promise<(Review | null)[]>;
  /**
   * The texts of the last loaded dataset's split in its rows' order (the padded matrices' order),
   * packed and transferred; null when no dataset is loaded.
   */
  texts(split: Split): Promise<PackedTexts | null>;
  /** Reviews of the last loaded dataset whose text contains `query` (case-insensitive), up to `limit`, and how many match. */
  search(split: Split, query: string, limit: number): Promise<{ matches: Review[]; total: number }>;
}
