/** metadata.json: how text was turned into ids, how the model was trained and how well it did. */
import type { PadSide } from '../text/pad';
import {
  integerField,
  isObject,
  numberOrNull,
  objectField,
  oneOf,
  parseJson,
  stringField,
  type JsonObject,
} from './json';
import { BundleError, FILE_NAMES } from './bundleError';
import { readHistory, type EpochRecord } from './history';

export const METADATA_FORMAT = 'sentiment-lab-model';
export const METADATA_VERSION = 1;
const SIDES: readonly PadSide[] = ['pre', 'post'];

export interface MetricsRecord {
  loss: number;
  accuracy: number;
  /** Reviews evaluated. */
  count: number;
}

/** Accuracy on the test reviews' short versions: last sentence, last `words` words (src/text/shortVersions.ts). */
export interface ShortVersionRecord {
  lastSentence: number;
  lastWords: number;
  words: number;
  count: number;
}

export interface TrainingRecord {
  /** The run's settings, as the app's URL writes them (numbers and names). */
  settings: Record<string, string | number>;
  backend: string;
  engine: string;
  stopReason: string;
  epochsTrained: number;
  /** The epoch whose weights were kept, when not the last one. */
  restoredEpoch: number | null;
  trainExamples: number;
  validationExamples: number;
  /**
   * The end-of-run self-check: the training engine's probabilities against this bundle's on a few
   * hundred test reviews. A bundle that failed it says so wherever it is listed. Null when not run
   * (older bundles, or runs without test reviews).
   */
  selfCheck: { passed: boolean; maxDifference: number; reviews: number } | null;
  /** Each epoch's losses and accuracies (the Models panel compares runs by them); null in older bundles. */
  history: EpochRecord[] | null;
  /** Wall time of the epochs; null in older bundles. */
  trainingSeconds: number | null;
}

export interface BundleMetadata {
  format: typeof METADATA_FORMAT;
  formatVersion: typeof METADATA_VERSION;
  name: string;
  appVersion: string;
  /** ISO 8601. */
  createdAt: string;
  /** Preprocessing: exactly what the training ids were made with. */
  maxlen: number;
  padding: PadSide;
  truncating: PadSide;
  numWords: number | null;
  oovToken: string | null;
  training: TrainingRecord | null;
  dataset: { sourceSha256: string; trainReviews: number; testReviews: number } | null;
  metrics: {
    validation: MetricsRecord | null;
    test: MetricsRecord | null;
    shortVersions?: ShortVersionRecord | null;
    /** Area under the ROC curve on the test reviews (the run's test report); null when unknown. */
    auc?: number | null;
  };
}

/** metrics.auc: a share, or null (absent in older bundles). `file` names the file in messages. */
export function readAuc(metrics: JsonObject, file: string): number | null {
  const where = `${file} metrics`;
  const auc = numberOrNull(metrics, 'auc', where);
  if (auc !== null && (auc < 0 || auc > 1)) throw new BundleError(`${where}: "auc" must be between 0 and 1.`);
  return auc;
}

const WHERE = FILE_NAMES.metadata;

function readMetrics(parent: JsonObject, key: string): MetricsRecord | null {
  const value = parent[key];
  if (value === null || value === undefined) return null;
  const where = `${WHERE} metrics.${key}`;
  if (!isObject(value)) throw new BundleError(`${where} must be an object or null.`);
  const loss = numberOrNull(value, 'loss', where);
  const accuracy = numberOrNull(value, 'accuracy', where);
  if (loss === null || accuracy === null || accuracy < 0 || accuracy > 1) {
    throw new BundleError(`${where} needs a "loss" and an "accuracy" between 0 and 1.`);
  }
  return { loss, accuracy, count: integerField(value, 'count', where, 0) };
}

function readShortVersions(parent: JsonObject): ShortVersionRecord | null {
  const value = parent.shortVersions;
  if (value === null || value === undefined) return null;
  const where = `${WHERE} metrics.shortVersions`;
  if (!isObject(value)) throw new BundleError(`${where} must be an object or null.`);
  const share = (key: string) => {
    const v = numberOrNull(value, key, where);
    if (v === null || v < 0 || v > 1) throw new BundleError(`${where}: "${key}" must be an accuracy between 0 and 1.`);
    return v;
  };
  return {
    lastSentence: share('lastSentence'),
    lastWords: share('lastWords'),
    words: integerField(value, 'words', where, 1),
    count: integerField(value, 'count', where, 0),
  };
}

function readTraining(value: unknown): TrainingRecord | null {
  if (value === null || value === undefined) return null;
  const where = `${WHERE} training`;
  if (!isObject(value)) throw new BundleError(`${where} must be an object or null.`);
  const rawSettings = objectField(value, 'settings', where);
  const settings: Record<string, string | number> = {};
  for (const [key, setting] of Object.entries(rawSettings)) {
    if (typeof setting !== 'string' && typeof setting !== 'number') {
      throw new BundleError(`${where}.settings: "${key}" must be a number or a string.`);
    }
    settings[key] = setting;
  }
  return {
    settings,
    backend: stringField(value, 'backend', where),
    engine: stringField(value, 'engine', where),
    stopReason: stringField(value, 'stopReason', where),
    epochsTrained: integerField(value, 'epochsTrained', where, 0),
    restoredEpoch: numberOrNull(value, 'restoredEpoch', where),
    trainExamples: integerField(value, 'trainExamples', where, 0),
    validationExamples: integerField(value, 'validationExamples', where, 0),
    selfCheck: readSelfCheck(value.selfCheck, `${where}.selfCheck`),
    history: readHistory(value.history, `${where}.history`),
    trainingSeconds: numberOrNull(value, 'trainingSeconds', where),
  };
}

function readSelfCheck(value: unknown, where: string): TrainingRecord['selfCheck'] {
  if (value === null || value === undefined) return null;
  if (!isObject(value) || typeof value.passed !== 'boolean')
    throw new BundleError(`${where} must be null or an object with a boolean "passed".`);
  const maxDifference = numberOrNull(value, 'maxDifference', where);
  return {
    passed: value.passed,
    // JSON has no Infinity: a NaN or infinite difference is written as null.
    maxDifference: maxDifference ?? Number.POSITIVE_INFINITY,
    reviews: integerField(value, 'reviews', where, 0),
  };
}

/** A bundle's `dataset` record (the LSTM's metadata.json and the baseline's baseline.json share it); `file` names the file in messages. */
export function readDataset(value: unknown, file: string = WHERE): BundleMetadata['dataset'] {
  if (value === null || value === undefined) return null;
  const where = `${file} dataset`;
  if (!isObject(value)) throw new BundleError(`${where} must be an object or null.`);
  const sourceSha256 = stringField(value, 'sourceSha256', where);
  if (!/^[0-9a-f]{64}$/.test(sourceSha256)) throw new BundleError(`${where}: "sourceSha256" must be 64 hex digits.`);
  return {
    sourceSha256,
    trainReviews: integerField(value, 'trainReviews', where, 0),
    testReviews: integerField(value, 'testReviews', where, 0),
  };
}

/** Checks parsed metadata.json and returns it typed; throws a BundleError naming the bad field. */
export function validateMetadata(value: unknown): BundleMetadata {
  if (!isObject(value)) throw new BundleError(`${WHERE} must be a JSON object.`);
  if (value.format !== METADATA_FORMAT) {
    throw new BundleError(`${WHERE}: "format" must be "${METADATA_FORMAT}", got ${JSON.stringify(value.format)}.`);
  }
  if (value.formatVersion !== METADATA_VERSION) {
    throw new BundleError(
      `${WHERE}: format version ${JSON.stringify(value.formatVersion)} is not supported (this app reads version ${METADATA_VERSION}).`,
    );
  }
  const createdAt = stringField(value, 'createdAt', WHERE);
  if (Number.isNaN(Date.parse(createdAt))) throw new BundleError(`${WHERE}: "createdAt" must be an ISO date.`);
  const numWords = value.numWords === null ? null : integerField(value, 'numWords', WHERE, 2);
  const oovToken =
    value.oovToken === null || value.oovToken === undefined ? null : stringField(value, 'oovToken', WHERE);
  const metrics = value.metrics === undefined ? {} : objectField(value, 'metrics', WHERE);
  return {
    format: METADATA_FORMAT,
    formatVersion: METADATA_VERSION,
    name: stringField(value, 'name', WHERE),
    appVersion: stringField(value, 'appVersion', WHERE),
    createdAt,
    maxlen: integerField(value, 'maxlen', WHERE, 1),
    padding: oneOf(value, 'padding', WHERE, SIDES),
    truncating: oneOf(value, 'truncating', WHERE, SIDES),
    numWords,
    oovToken,
    training: readTraining(value.training),
    dataset: readDataset(value.dataset),
    metrics: {
      validation: readMetrics(metrics, 'validation'),
      test: readMetrics(metrics, 'test'),
      shortVersions: readShortVersions(metrics),
      auc: readAuc(metrics, WHERE),
    },
  };
}

export function parseMetadata(text: string): BundleMetadata {
  return validateMetadata(parseJson(text, WHERE));
}
