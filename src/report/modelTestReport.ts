/**
 * A saved model's test report on demand: the model reads the loaded test reviews' texts itself
 * (its own tokenizer, numWords, maxlen and padding, or the baseline's reading), and the figures
 * are the ones a finished run shows (report/runReport.ts, training/metrics.ts): accuracy at 0.5,
 * ROC, precision-recall, calibration, the validation split's threshold, the short versions.
 * Reading the texts rather than the data worker's padded ids matters: those ids come from the
 * tokenizer fitted on the loaded training reviews, which need not be the model's.
 */
import { unpackTexts, type PackedTexts } from '../data/packedTexts';
import { SHORT_VERSION_WORDS } from '../data/shortVersionSequences';
import { lastSentence, lastWords } from '../text/shortVersions';
import { binaryMetrics, type BinaryMetrics } from '../training/metrics';
import type { ShortVersionAccuracy } from '../training/shortVersionAccuracy';
import { validationSplit } from '../training/validationSplit';
import type { RunReport } from '../workers/train/api';
import { assembleReport, NO_VALIDATION_SPLIT } from './runReport';

/** Where the threshold comes from: the model's own validation split of the loaded training reviews, or why not. */
export type ValidationSource =
  | {
      train: PackedTexts;
      share: number;
      seed: number;
      /** Validation reviews the model's run held out: the rebuilt split must have as many. */
      reviews: number;
    }
  | { missing: string };

export interface ReportRequest {
  test: PackedTexts;
  validation: ValidationSource;
}

export type ReportPhase = 'test' | 'short-versions' | 'validation';

export interface ReportProgress {
  phase: ReportPhase;
  /** Reviews read so far over all phases, and in all. */
  done: number;
  total: number;
}

export interface ModelTestReport {
  /** Accuracy at 0.5, loss and confusion matrix of the test predictions. */
  test: BinaryMetrics;
  report: RunReport;
  shortVersions: ShortVersionAccuracy;
  /** P(positive) of each test review, with the dataset review it is (for the mistakes browser and search). */
  predictions: { reviewIds: Int32Array; labels: Uint8Array; probabilities: Float32Array };
  /** Validation reviews the threshold was chosen on (0 without). */
  validationReviews: number;
  seconds: number;
}

/** Progress at most this often: a smooth bar, few messages. */
const PROGRESS_EVERY = 250;

/** The report of `probability` (one text's P(positive)) over the request's reviews. */
export function modelTestReport(
  probability: (text: string) => number,
  request: ReportRequest,
  onProgress: (progress: ReportProgress) => void = () => {},
): ModelTestReport {
  const started = performance.now();
  const { test } = request;
  if (test.count === 0) throw new Error('There are no test reviews to report on: load the dataset first.');
  const texts = unpackTexts(test);
  let validation = request.validation;
  let validationRows: Int32Array | null = null;
  if (!('missing' in validation)) {
    validationRows = validationSplit(validation.train.labels, validation.share, validation.seed).validation;
    if (validationRows.length !== validation.reviews) {
      validation = {
        missing: `No threshold chosen on a validation split: the loaded training reviews give ${validationRows.length} validation reviews where the model's run held out ${validation.reviews}.`,
      };
      validationRows = null;
    }
  }
  const total = 3 * texts.length + (validationRows?.length ?? 0);
  let done = 0;
  const step = (phase: ReportPhase) => {
    done++;
    if (done % PROGRESS_EVERY === 0 || done === total) onProgress({ phase, done, total });
  };
  const score = (phase: ReportPhase, rows: readonly string[]) =>
    Float32Array.from(rows, (text) => {
      const p = probability(text);
      step(phase);
      return p;
    });

  // Float32, as a run's predictions are: the same rounding before the 0.5 cut.
  const probabilities = score('test', texts);
  const sentences = score(
    'short-versions',
    texts.map((text) => lastSentence(text)),
  );
  const tails = score(
    'short-versions',
    texts.map((text) => lastWords(text, SHORT_VERSION_WORDS)),
  );
  const scored = { probabilities, labels: test.labels };

  let report: RunReport;
  if ('missing' in validation) report = assembleReport(scored, validation.missing);
  else if (!validationRows || validationRows.length === 0) report = assembleReport(scored, NO_VALIDATION_SPLIT);
  else {
    const { train } = validation;
    const decoder = new TextDecoder();
    const validationTexts = Array.from(validationRows, (row) =>
      decoder.decode(train.bytes.subarray(train.offsets[row]!, train.offsets[row + 1]!)),
    );
    report = assembleReport(scored, {
      probabilities: score('validation', validationTexts),
      labels: Uint8Array.from(validationRows, (row) => train.labels[row]!),
    });
  }
  return {
    test: binaryMetrics(probabilities, test.labels),
    report,
    shortVersions: {
      lastSentence: binaryMetrics(sentences, test.labels).accuracy,
      lastWords: binaryMetrics(tails, test.labels).accuracy,
      words: SHORT_VERSION_WORDS,
      count: texts.length,
    },
    predictions: { reviewIds: test.reviewIds, labels: test.labels, probabilities },
    validationReviews: validationRows?.length ?? 0,
    seconds: (performance.now() - started) / 1000,
  };
}
