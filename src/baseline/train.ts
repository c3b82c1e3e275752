/**
 * The whole baseline, from review texts to a trained linear model: read each review's words,
 * fit the n-gram dictionary (on every training review, as the app's tokenizer is fitted), count
 * the naive-Bayes ratios and train the logistic regression on the training split only (the
 * validation split is left out of both and only scored), then score validation and test.
 */
import { fitFeatures } from './features';
import { logitOf, trainLogistic, type LogisticData } from './logistic';
import { logCountRatio } from './naiveBayes';
import { wordReader, type TextReading } from './reading';
import type { SparseRows } from './sparseRows';

export interface BaselineOptions {
  /** Keep n-grams found in at least this many training reviews. */
  minCount: number;
  /** Naive-Bayes smoothing (Wang & Manning's α). */
  alpha: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  seed: number;
}

/**
 * Chosen on the IMDB training reviews' validation split (npm run accuracy -- --baseline has the
 * figures): n-grams in ≥ 2 reviews (438,000 features; all 1.5 million add nothing but size), Adam
 * 0.003 on batches of 64, λ = 1e-5, 3 epochs (the validation accuracy is flat after the first).
 */
export const BASELINE_DEFAULTS: BaselineOptions = {
  minCount: 2,
  alpha: 1,
  epochs: 3,
  batchSize: 64,
  learningRate: 0.003,
  l2: 1e-5,
  seed: 42,
};

/** The trained model as it is saved: one weight per feature for its presence (w_j · r_j), and a bias. */
export interface LinearModel {
  reading: TextReading;
  /** Each feature's text: unigrams first, then bigrams (two words joined by the split string). */
  features: string[];
  unigrams: number;
  weights: Float32Array;
  bias: number;
}

export type BaselinePhase = 'reading' | 'features' | 'training' | 'testing';

export interface BaselineProgress {
  phase: BaselinePhase;
  done: number;
  total: number;
}

export interface EpochResult {
  epoch: number;
  loss: number;
  validationLoss: number | null;
  validationAccuracy: number | null;
  seconds: number;
}

export interface BaselineInput {
  reading: TextReading;
  trainTexts: readonly string[];
  trainLabels: ArrayLike<number>;
  /** Training rows the ratios and the regression learn from; `validation` rows are only scored. */
  split: { train: ArrayLike<number>; validation: ArrayLike<number> };
  testTexts: readonly string[];
}

export interface BaselineResult {
  model: LinearModel;
  history: EpochResult[];
  /** P(positive) of each validation row (in `split.validation`'s order) and each test review. */
  validationProbabilities: Float64Array;
  testProbabilities: Float64Array;
  /** Reading and dictionary, ratios and optimizer: the time to a trained model. */
  trainingSeconds: number;
  testSeconds: number;
}

const now = () => performance.now();

/** Runs the pipeline; `onProgress` may throw to stop it (a cancelled run). */
export function trainBaseline(
  input: BaselineInput,
  options: BaselineOptions,
  onProgress: (progress: BaselineProgress) => void,
  onEpoch: (epoch: EpochResult) => void = () => {},
): BaselineResult {
  const started = now();
  const read = wordReader(input.reading);
  const n = input.trainTexts.length;
  const report = (phase: BaselinePhase, done: number, total: number) => {
    // Every 500 reviews: often enough for a smooth bar, rare enough to cost nothing.
    if (done % 500 === 0 || done === total) onProgress({ phase, done, total });
  };
  const words = input.trainTexts.map((text, i) => {
    report('reading', i + 1, n);
    return read(text);
  });
  let fitted = 0;
  const features = fitFeatures(words, input.reading, { minCount: options.minCount }, () =>
    report('features', ++fitted, 2 * n),
  );
  words.length = 0;
  const scale = logCountRatio(
    features.rows,
    input.trainLabels,
    input.split.train,
    features.texts.length,
    options.alpha,
  );
  const data: LogisticData = { rows: features.rows, labels: input.trainLabels, scale };
  const validation = input.split.validation;
  const history: EpochResult[] = [];
  const validationProbabilities = new Float64Array(validation.length);
  onProgress({ phase: 'training', done: 0, total: options.epochs });
  const trained = trainLogistic(data, input.split.train, options, (epoch, model) => {
    let lossSum = 0;
    let correct = 0;
    for (let u = 0; u < validation.length; u++) {
      const i = validation[u]!;
      const z = logitOf(model, data, i);
      validationProbabilities[u] = 1 / (1 + Math.exp(-z));
      const y = input.trainLabels[i]!;
      lossSum += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
      if ((z > 0 ? 1 : 0) === y) correct++;
    }
    const result: EpochResult = {
      epoch: epoch.epoch,
      loss: epoch.loss,
      validationLoss: validation.length > 0 ? lossSum / validation.length : null,
      validationAccuracy: validation.length > 0 ? correct / validation.length : null,
      seconds: epoch.seconds,
    };
    history.push(result);
    onEpoch(result);
    onProgress({ phase: 'training', done: epoch.epoch, total: options.epochs });
  });
  const weights = new Float32Array(scale.length);
  for (let j = 0; j < scale.length; j++) weights[j] = trained.weights[j]! * scale[j]!;
  const model: LinearModel = {
    reading: input.reading,
    features: features.texts,
    unigrams: features.unigrams,
    weights,
    bias: trained.bias,
  };
  const trainingSeconds = (now() - started) / 1000;

  const testStarted = now();
  const testRows: SparseRows = features.encode(
    input.testTexts.map((text, i) => {
      report('testing', i + 1, input.testTexts.length);
      return read(text);
    }),
  );
  const testProbabilities = new Float64Array(testRows.count);
  for (let i = 0; i < testRows.count; i++) {
    // The saved float32 weights, so the figures are the downloaded model's.
    let z = model.bias;
    for (let k = testRows.offsets[i]!; k < testRows.offsets[i + 1]!; k++) z += weights[testRows.indices[k]!]!;
    testProbabilities[i] = 1 / (1 + Math.exp(-z));
  }
  return {
    model,
    history,
    validationProbabilities,
    testProbabilities,
    trainingSeconds,
    testSeconds: (now() - testStarted) / 1000,
  };
}
