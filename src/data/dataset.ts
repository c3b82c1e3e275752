/** A dataset as the data pipeline prepares it: the request, its progress, and the padded splits. */
import type { LengthStats } from '../text/lengthStats';
import type { PadSide } from '../text/pad';
import type { Label, Split } from './review';
import type { ShortVersionSequences } from './shortVersionSequences';

export interface DatasetRequestOptions {
  /** Where manifest.json and the shards are served, relative to the page. */
  baseUrl: string;
  trainReviews: number;
  testReviews: number;
  numWords: number;
  maxlen: number;
  padding: PadSide;
  truncating: PadSide;
  oovToken: string | null;
}

export type LoadPhase = 'manifest' | 'download' | 'verify' | 'decompress' | 'tokenize' | 'pad';

export interface PhaseProgress {
  phase: LoadPhase;
  done: number;
  total: number;
  unit: 'bytes' | 'shards' | 'reviews';
}

/**
 * Padded reviews, the one shape every stage passes around (the data worker's splits, the training
 * worker's data, a training or test batch source): `ids` is a row-major `[count, maxlen]` matrix of
 * token ids and `labels` holds one label (0 negative, 1 positive) per row.
 */
export interface PaddedMatrix {
  ids: Int32Array;
  labels: Uint8Array;
  count: number;
  maxlen: number;
}

/** One split, tokenized and padded, with what the page shows about it. */
export interface EncodedSplit extends PaddedMatrix {
  split: Split;
  positives: number;
  negatives: number;
  /** Token count of each review before padding or truncation. */
  lengths: Int32Array;
  /** Each review's id in the dataset (the number in `<id>_<rating>.txt`; with its label, unique in a split). */
  reviewIds: Int32Array;
}

export interface SampleReview {
  id: number;
  rating: number;
  label: Label;
  text: string;
  paddedIds: number[];
  tokens: number;
}

export interface DatasetSummary {
  sourceSha256: string;
  manifestCounts: Record<Split, { reviews: number; positives: number; negatives: number }>;
  /** Distinct words in the training reviews used. */
  distinctWords: number;
  /** Embedding input size: the largest token id plus one. */
  vocabularySize: number;
  numWords: number;
  maxlen: number;
  trainLengths: LengthStats;
  /** Share of training-review tokens that the numWords cut-off drops. */
  droppedTokenShare: number;
  samples: SampleReview[];
  timings: {
    fetchVerifyDecompressMs: number;
    /** Tokenizer fit plus tokenize and pad of the training reviews. */
    trainTokenizePadMs: number;
    testTokenizePadMs: number;
    shardsFromCache: number;
    /** Shards read from the browser's offline copy instead of the network. */
    shardsFromStore: number;
  };
}

export interface PreparedDataset {
  train: EncodedSplit;
  test: EncodedSplit;
  /** Each test review's last sentence and last 20 words, tokenized (their accuracy is reported beside the whole reviews'). */
  testShortVersions: ShortVersionSequences;
  summary: DatasetSummary;
  /** The tokenizer the ids were made with, as Keras `Tokenizer.to_json()`: saved with each trained model. */
  tokenizerJson: string;
}
