/** A small real bundle for tests: a model built with the app's builder, weights randomised, a fitted tokenizer. */
import * as tf from '@tensorflow/tfjs';
import { bundleFromArtifacts } from '../../src/bundle/artifacts';
import { METADATA_FORMAT, METADATA_VERSION, type BundleMetadata } from '../../src/bundle/metadata';
import type { ModelBundle } from '../../src/bundle/types';
import { seededRandom } from '../../src/data/random';
import { buildSentimentModel } from '../../src/model/buildModel';
import { saveModelArtifacts } from '../../src/model/exportModel';
import { Tokenizer } from '../../src/text/tokenizer';

export const TEXTS = [
  'A wonderful, moving film: the acting was superb and the story stayed with me.',
  'Terrible. The plot made no sense and the dialogue was painful; I walked out.',
  'Not bad at all, though the ending dragged. Great music!',
  "I didn't like it, I loved it. Best film of the year, 10/10.",
  'Boring, boring, boring. What a waste of a good cast.',
];

export interface TinyModelOptions {
  maxlen?: number;
  numWords?: number;
  embeddingDim?: number;
  lstmUnits?: number;
  /** Scale of the random weights: large values saturate the gates, like a trained model's. */
  scale?: number;
  seed?: number;
  oovToken?: string | null;
  /** Embedding mask_zero: the LSTM skips the padding. */
  maskZero?: boolean;
}

export function makeMetadata(overrides: Partial<BundleMetadata> = {}): BundleMetadata {
  return {
    format: METADATA_FORMAT,
    formatVersion: METADATA_VERSION,
    name: 'test model',
    appVersion: '0.0.0-test',
    createdAt: '2025-01-02T03:04:05.000Z',
    maxlen: 12,
    padding: 'pre',
    truncating: 'pre',
    numWords: 30,
    oovToken: null,
    training: null,
    dataset: null,
    metrics: { validation: null, test: { loss: 0.5, accuracy: 0.75, count: 100 }, shortVersions: null, auc: null },
    ...overrides,
  };
}

/** Builds the app's model, overwrites its weights with seeded uniform noise, fits a tokenizer. */
export async function tinyModel(options: TinyModelOptions = {}) {
  const { maxlen = 12, numWords = 30, embeddingDim = 6, lstmUnits = 5, scale = 0.5, seed = 1 } = options;
  const oovToken = options.oovToken ?? null;
  const model = buildSentimentModel({
    vocabularySize: numWords,
    maxlen,
    embeddingDim,
    lstmUnits,
    dropout: 0,
    seed,
    maskZero: options.maskZero ?? false,
  });
  const random = seededRandom(seed + 100);
  const weights = model.getWeights().map((w) =>
    tf.tensor(
      Float32Array.from({ length: w.size }, () => (random() * 2 - 1) * scale),
      w.shape,
    ),
  );
  model.setWeights(weights);
  tf.dispose(weights);
  const tokenizer = new Tokenizer({ numWords, oovToken });
  tokenizer.fitOnTexts(TEXTS);
  return { model, tokenizer, maxlen, numWords, oovToken };
}

export async function tinyBundle(
  options: TinyModelOptions = {},
): Promise<{ bundle: ModelBundle; model: tf.LayersModel; tokenizer: Tokenizer }> {
  const { model, tokenizer, maxlen, numWords, oovToken } = await tinyModel(options);
  const artifacts = await saveModelArtifacts(model);
  const bundle = bundleFromArtifacts(artifacts, tokenizer.toJson(), makeMetadata({ maxlen, numWords, oovToken }));
  return { bundle, model, tokenizer };
}
