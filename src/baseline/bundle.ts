/**
 * The baseline's own small bundle: `baseline.json` (format, how text is read, the bias, how it was
 * trained and how well it did), `features.txt` (one n-gram per line: unigrams, then bigrams as two
 * words joined by the split string) and `weights.bin` (one little-endian float32 per feature: the
 * change to the logit when the n-gram is present). Validated as strictly as an LSTM bundle: every
 * mismatch gets a message naming the file.
 */
import { BundleError } from '../bundle/bundleError';
import {
  integerField,
  isObject,
  numberOrNull,
  objectField,
  parseJson,
  stringField,
  type JsonObject,
} from '../bundle/json';
import { readHistory, type EpochRecord } from '../bundle/history';
import { readAuc, readDataset, type MetricsRecord } from '../bundle/metadata';
import type { ModelBundle } from '../bundle/types';
import type { TextReading } from './reading';
import type { BaselineOptions, LinearModel } from './train';

export const BASELINE_FORMAT = 'sentiment-lab-baseline';
export const BASELINE_VERSION = 1;
export const BASELINE_FILES = {
  model: 'baseline.json',
  features: 'features.txt',
  weights: 'weights.bin',
} as const;

export interface BaselineTrainingRecord {
  options: BaselineOptions;
  trainExamples: number;
  validationExamples: number;
  epochsTrained: number;
  /** From the review texts to a trained model (reading, dictionary, ratios, optimizer). */
  trainingSeconds: number;
  /**
   * The share of the training reviews held out for validation (with `options.seed`, the LSTM's
   * split): an on-demand test report picks its threshold on the same reviews. Null in older bundles.
   */
  validationShare: number | null;
  /** Each epoch's training loss and validation figures; null in older bundles. */
  history: EpochRecord[] | null;
}

export interface BaselineMetadata {
  format: typeof BASELINE_FORMAT;
  formatVersion: typeof BASELINE_VERSION;
  name: string;
  appVersion: string;
  /** ISO 8601. */
  createdAt: string;
  /** NB-weighted logistic regression on binarized unigrams and bigrams (Wang & Manning 2012). */
  model: { kind: 'nbsvm'; features: number; unigrams: number; bigrams: number; bias: number };
  reading: TextReading;
  training: BaselineTrainingRecord | null;
  dataset: { sourceSha256: string; trainReviews: number; testReviews: number } | null;
  metrics: {
    validation: MetricsRecord | null;
    test: MetricsRecord | null;
    /** Area under the ROC curve on the test reviews; null when unknown (older bundles). */
    auc: number | null;
  };
}

/** A baseline as the app holds, stores and sends it (`kind` tells it from an LSTM bundle). */
export interface BaselineBundle {
  kind: 'baseline';
  metadata: BaselineMetadata;
  /** features.txt: one feature per line, no trailing newline. */
  featuresText: string;
  /** weights.bin. */
  weights: ArrayBuffer;
}

const WHERE = BASELINE_FILES.model;
const { features: F, weights: W } = BASELINE_FILES;

function finite(parent: JsonObject, key: string, where: string): number {
  const value = numberOrNull(parent, key, where);
  if (value === null) throw new BundleError(`${where}: "${key}" must be a number.`);
  return value;
}

function readMetrics(parent: JsonObject, key: string): MetricsRecord | null {
  const value = parent[key];
  if (value === null || value === undefined) return null;
  const where = `${WHERE} metrics.${key}`;
  if (!isObject(value)) throw new BundleError(`${where} must be an object or null.`);
  const accuracy = finite(value, 'accuracy', where);
  if (accuracy < 0 || accuracy > 1) throw new BundleError(`${where}: "accuracy" must be between 0 and 1.`);
  return { loss: finite(value, 'loss', where), accuracy, count: integerField(value, 'count', where, 0) };
}

function readReading(parent: JsonObject): TextReading {
  const where = `${WHERE} reading`;
  const value = objectField(parent, 'reading', WHERE);
  if (typeof value.lower !== 'boolean') throw new BundleError(`${where}: "lower" must be true or false.`);
  const split = stringField(value, 'split', where);
  if (split === '') throw new BundleError(`${where}: "split" must not be empty.`);
  const filters = stringField(value, 'filters', where);
  // features.txt holds one feature per line, so no word may contain a newline.
  if (!filters.includes('\n') && !split.includes('\n'))
    throw new BundleError(`${where}: "filters" must remove newlines (features.txt has one n-gram per line).`);
  return { lower: value.lower, filters, split };
}

function readOptions(value: JsonObject, where: string): BaselineOptions {
  const options = objectField(value, 'options', where);
  const at = `${where}.options`;
  return {
    minCount: integerField(options, 'minCount', at, 1),
    alpha: finite(options, 'alpha', at),
    epochs: integerField(options, 'epochs', at, 0),
    batchSize: integerField(options, 'batchSize', at, 1),
    learningRate: finite(options, 'learningRate', at),
    l2: finite(options, 'l2', at),
    seed: integerField(options, 'seed', at, 0),
  };
}

function readShare(parent: JsonObject, key: string, where: string): number | null {
  const value = numberOrNull(parent, key, where);
  if (value !== null && (value < 0 || value >= 1)) throw new BundleError(`${where}: "${key}" must be in [0, 1).`);
  return value;
}

function readTraining(value: unknown): BaselineTrainingRecord | null {
  if (value === null || value === undefined) return null;
  const where = `${WHERE} training`;
  if (!isObject(value)) throw new BundleError(`${where} must be an object or null.`);
  return {
    options: readOptions(value, where),
    trainExamples: integerField(value, 'trainExamples', where, 0),
    validationExamples: integerField(value, 'validationExamples', where, 0),
    epochsTrained: integerField(value, 'epochsTrained', where, 0),
    trainingSeconds: finite(value, 'trainingSeconds', where),
    validationShare: readShare(value, 'validationShare', where),
    history: readHistory(value.history, `${where}.history`),
  };
}

/** Checks parsed baseline.json and returns it typed; throws a BundleError naming the bad field. */
export function validateBaselineMetadata(value: unknown): BaselineMetadata {
  if (!isObject(value)) throw new BundleError(`${WHERE} must be a JSON object.`);
  if (value.format !== BASELINE_FORMAT)
    throw new BundleError(`${WHERE}: "format" must be "${BASELINE_FORMAT}", got ${JSON.stringify(value.format)}.`);
  if (value.formatVersion !== BASELINE_VERSION)
    throw new BundleError(
      `${WHERE}: format version ${JSON.stringify(value.formatVersion)} is not supported (this app reads version ${BASELINE_VERSION}).`,
    );
  const createdAt = stringField(value, 'createdAt', WHERE);
  if (Number.isNaN(Date.parse(createdAt))) throw new BundleError(`${WHERE}: "createdAt" must be an ISO date.`);
  const model = objectField(value, 'model', WHERE);
  const at = `${WHERE} model`;
  if (model.kind !== 'nbsvm')
    throw new BundleError(`${at}: "kind" must be "nbsvm", got ${JSON.stringify(model.kind)}.`);
  const features = integerField(model, 'features', at, 0);
  const unigrams = integerField(model, 'unigrams', at, 0);
  const bigrams = integerField(model, 'bigrams', at, 0);
  if (unigrams + bigrams !== features)
    throw new BundleError(`${at}: ${unigrams} unigrams and ${bigrams} bigrams are not ${features} features.`);
  const metrics = value.metrics === undefined ? {} : objectField(value, 'metrics', WHERE);
  return {
    format: BASELINE_FORMAT,
    formatVersion: BASELINE_VERSION,
    name: stringField(value, 'name', WHERE),
    appVersion: stringField(value, 'appVersion', WHERE),
    createdAt,
    model: { kind: 'nbsvm', features, unigrams, bigrams, bias: finite(model, 'bias', at) },
    reading: readReading(value),
    training: readTraining(value.training),
    dataset: readDataset(value.dataset, WHERE),
    metrics: {
      validation: readMetrics(metrics, 'validation'),
      test: readMetrics(metrics, 'test'),
      auc: readAuc(metrics, WHERE),
    },
  };
}

export const parseBaselineMetadata = (text: string): BaselineMetadata =>
  validateBaselineMetadata(parseJson(text, WHERE));

/**
 * Everything a baseline bundle must satisfy before it is used: its metadata, one feature per
 * weight, features that are what their position says (unigrams without the split string, bigrams
 * two words around it), no feature twice, every weight finite. Returns the model it holds.
 */
export function validateBaseline(bundle: BaselineBundle): { bundle: BaselineBundle; model: LinearModel } {
  const metadata = validateBaselineMetadata(bundle.metadata);
  const { features, unigrams } = metadata.model;
  const { split } = metadata.reading;
  if (!(bundle.weights instanceof ArrayBuffer)) throw new BundleError(`${W} is missing.`);
  if (bundle.weights.byteLength !== features * 4)
    throw new BundleError(
      `${W} holds ${bundle.weights.byteLength} bytes, but ${WHERE} says ${features} features (${features * 4} bytes of float32).`,
    );
  if (typeof bundle.featuresText !== 'string') throw new BundleError(`${F} is missing.`);
  const texts = features === 0 ? [] : bundle.featuresText.split('\n');
  if (texts.length !== features)
    throw new BundleError(`${F} has ${texts.length} lines, but ${WHERE} says ${features} features.`);
  const seen = new Set<string>();
  for (let j = 0; j < texts.length; j++) {
    const text = texts[j]!;
    const parts = text.split(split);
    const wanted = j < unigrams ? 1 : 2;
    if (parts.length !== wanted || parts.some((p) => p === '')) {
      throw new BundleError(
        `${F} line ${j + 1} (${JSON.stringify(text.slice(0, 40))}) is not a ${wanted === 1 ? 'word' : 'bigram'}: ` +
          `lines 1–${unigrams} are words and the rest two words joined by ${JSON.stringify(split)}.`,
      );
    }
    if (seen.has(text)) throw new BundleError(`${F} lists ${JSON.stringify(text)} twice (lines must be distinct).`);
    seen.add(text);
  }
  const weights = new Float32Array(bundle.weights.slice(0));
  const bad = weights.findIndex((w) => !Number.isFinite(w));
  if (bad >= 0) throw new BundleError(`${W}: the weight of ${JSON.stringify(texts[bad])} is not a finite number.`);
  return {
    bundle: { ...bundle, metadata },
    model: { reading: metadata.reading, features: texts, unigrams, weights, bias: metadata.model.bias },
  };
}

/** The bundle of a trained model, with the story its metadata tells. */
export function baselineBundle(
  model: LinearModel,
  metadata: Omit<BaselineMetadata, 'format' | 'formatVersion' | 'model' | 'reading'>,
): BaselineBundle {
  if (model.features.some((text) => text.includes('\n')))
    throw new Error('A feature contains a newline: this reading cannot be saved as features.txt');
  const weights = new Float32Array(model.weights);
  return {
    kind: 'baseline',
    metadata: {
      format: BASELINE_FORMAT,
      formatVersion: BASELINE_VERSION,
      ...metadata,
      model: {
        kind: 'nbsvm',
        features: model.features.length,
        unigrams: model.unigrams,
        bigrams: model.features.length - model.unigrams,
        bias: model.bias,
      },
      reading: { ...model.reading },
    },
    featuresText: model.features.join('\n'),
    weights: weights.buffer,
  };
}

/** Any model the app holds: an LSTM bundle or a baseline. */
export type AnyBundle = ModelBundle | BaselineBundle;

export const isBaselineBundle = (bundle: AnyBundle): bundle is BaselineBundle =>
  (bundle as Partial<BaselineBundle>).kind === 'baseline';
