/** The baseline worker's protocol (served with workers/rpc.ts): it trains the NBSVM baseline on review texts. */
import type { BaselineBundle } from '../../baseline/bundle';
import type { BaselineOptions, BaselineProgress, EpochResult } from '../../baseline/train';
import type { DatasetRequestOptions } from '../../data/dataset';
import type { PackedTexts } from '../../data/packedTexts';
import type { BinaryMetrics } from '../../training/metrics';

export interface BaselineData {
  /** Identifies the dataset (source hash + data settings), for the summary. */
  datasetKey: string;
  sourceSha256: string;
  /** The app's tokenizer (Keras JSON): the baseline reads text with its settings. */
  tokenizerJson: string;
  options: DatasetRequestOptions;
  train: PackedTexts;
  test: PackedTexts;
}

/** The same validation split the LSTM's run holds out (training/validationSplit.ts). */
export interface SplitSettings {
  validationShare: number;
  seed: number;
}

export type BaselineEvent = { type: 'progress'; progress: BaselineProgress } | { type: 'epoch'; point: EpochResult };

export interface BaselineSummary {
  datasetKey: string;
  options: BaselineOptions;
  trainExamples: number;
  validationExamples: number;
  unigrams: number;
  bigrams: number;
  history: EpochResult[];
  validation: BinaryMetrics | null;
  test: BinaryMetrics | null;
  /** P(positive) of each test review, with the dataset review it is (to be checked outside the app). */
  testPredictions: { reviewIds: Int32Array; labels: Uint8Array; probabilities: Float32Array };
  /** From the review texts to a trained model; then the test evaluation. */
  trainingSeconds: number;
  testSeconds: number;
  finishedAt: string;
}

export interface TrainedBaseline {
  summary: BaselineSummary;
  bundle: BaselineBundle;
}

export interface BaselineWorkerApi {
  /**
   * Trains on `data.train` less the validation split and tests on `data.test`; every event reaches
   * `onEvent` before the answer. One synchronous job: the page cancels it by ending the worker.
   */
  train(data: BaselineData, split: SplitSettings, onEvent: (event: BaselineEvent) => void): Promise<TrainedBaseline>;
}
