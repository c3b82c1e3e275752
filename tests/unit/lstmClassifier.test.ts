import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateBundle } from '../../src/bundle/validate';
import { bundleFromArtifacts } from '../../src/bundle/artifacts';
import { seededRandom } from '../../src/data/random';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import { stockEngine } from '../../src/model/engine';
import { saveModelArtifacts } from '../../src/model/exportModel';
import { createOptimizer, trainStep } from '../../src/model/runner';
import { buildSentimentModel } from '../../src/model/buildModel';
import { LstmClassifier } from '../../src/inference/lstmClassifier';
import { makeMetadata, tinyModel } from './bundleHelpers';
import { Tokenizer } from '../../src/text/tokenizer';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installEmbeddingGradient();
});

/** Rows of ids: pre-padded of every length, post-padded, all padding, and full rows. */
function rows(count: number, maxlen: number, vocabulary: number, seed: number): Int32Array[] {
  const random = seededRandom(seed);
  const out: Int32Array[] = [new Int32Array(maxlen)];
  for (let r = 0; r < count; r++) {
    const row = new Int32Array(maxlen);
    const length = r % 3 === 0 ? maxlen : 1 + Math.floor(random() * maxlen);
    const post = r % 5 === 1;
    for (let i = 0; i < length; i++) row[post ? i : maxlen - length + i] = 1 + Math.floor(random() * (vocabulary - 1));
    out.push(row);
  }
  return out;
}

async function classifierFor(model: tf.LayersModel, maxlen: number, numWords: number): Promise<LstmClassifier> {
  const artifacts = await saveModelArtifacts(model);
  const tokenizer = new Tokenizer({ numWords });
  tokenizer.fitOnTexts(['a b c']);
  const validated = validateBundle(
    bundleFromArtifacts(artifacts, tokenizer.toJson(), makeMetadata({ maxlen, numWords })),
  );
  return new LstmClassifier({
    architecture: validated.architecture,
    weights: new Float32Array(validated.bundle.weightData),
    offsets: validated.weightOffsets,
  });
}

function tfjsProbabilities(model: tf.LayersModel, ids: Int32Array[], maxlen: number): Float32Array {
  return tf.tidy(() => {
    const input = tf.tensor2d(
      ids.flatMap((r) => Array.from(r)),
      [ids.length, maxlen],
      'int32',
    );
    return (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
  });
}

async function expectSameAsTfjs(model: tf.LayersModel, maxlen: number, vocabulary: number, count = 24) {
  const classifier = await classifierFor(model, maxlen, vocabulary);
  const ids = rows(count, maxlen, vocabulary, 5);
  const expected = tfjsProbabilities(model, ids, maxlen);
  const ours = ids.map((row) => classifier.probability(row));
  let maxDifference = 0;
  ours.forEach((p, i) => (maxDifference = Math.max(maxDifference, Math.abs(p - expected[i]!))));
  expect(maxDifference).toBeLessThan(1e-5);
  // The cached padding states and projections change nothing when asked again, in another order.
  const again = [...ids].reverse().map((row) => classifier.probability(row));
  expect(again.reverse()).toEqual(ours);
  return { ours, expected };
}

describe('LstmClassifier equals tfjs model.predict (cpu backend) to 1e-5', () => {
  it('with small random weights', async () => {
    const { model, maxlen, numWords } = await tinyModel({ scale: 0.5 });
    const before = tf.memory().numTensors;
    const { expected } = await expectSameAsTfjs(model, maxlen, numWords);
    // The probabilities vary, so equality is not trivial.
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.01);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('with large weights that saturate the gates', async () => {
    const { model, maxlen, numWords } = await tinyModel({ scale: 3, seed: 4 });
    await expectSameAsTfjs(model, maxlen, numWords);
    model.dispose();
  });

  it('at the default sizes (E=128, H=128, L=200) with the initial weights', async () => {
    const model = buildSentimentModel({
      vocabularySize: 500,
      maxlen: 200,
      embeddingDim: 128,
      lstmUnits: 128,
      dropout: 0,
      seed: 9,
    });
    await expectSameAsTfjs(model, 200, 500, 6);
    model.dispose();
  });

  it('after training on a toy task (trained-like weights)', async () => {
    const maxlen = 10;
    const model = buildSentimentModel({
      vocabularySize: 12,
      maxlen,
      embeddingDim: 8,
      lstmUnits: 8,
      dropout: 0,
      seed: 2,
    });
    const optimizer = createOptimizer({ optimizer: 'rmsprop', learningRate: 0.02 });
    const random = seededRandom(3);
    for (let step = 0; step < 40; step++) {
      const ids = new Int32Array(32 * maxlen);
      const labels = new Float32Array(32);
      for (let r = 0; r < 32; r++) {
        let score = 0;
        for (let t = 0; t < maxlen; t++) {
          const id = 1 + Math.floor(random() * 11);
          ids[r * maxlen + t] = id;
          score += id === 1 ? 1 : id === 2 ? -1 : 0;
        }
        labels[r] = score > 0 ? 1 : 0;
      }
      await trainStep(model, stockEngine, optimizer, ids, labels, maxlen);
    }
    optimizer.dispose();
    const { expected } = await expectSameAsTfjs(model, maxlen, 12, 40);
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.5);
    model.dispose();
  });

  it('with hard_sigmoid gates (the tfjs default)', async () => {
    const model = buildSentimentModel(
      { vocabularySize: 30, maxlen: 12, embeddingDim: 6, lstmUnits: 5, dropout: 0, seed: 3 },
      { recurrentActivation: 'hardSigmoid' },
    );
    const weights = model.getWeights().map((w) => tf.randomUniform(w.shape, -1, 1, 'float32', 7));
    model.setWeights(weights);
    tf.dispose(weights);
    await expectSameAsTfjs(model, 12, 30);
    model.dispose();
  });

  it('with mask_zero (padding steps carry the state over)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({
          inputDim: 30,
          outputDim: 6,
          inputLength: 12,
          maskZero: true,
          embeddingsInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 1 }),
        }),
        tf.layers.lstm({
          units: 5,
          recurrentActivation: 'sigmoid',
          recurrentInitializer: 'glorotUniform',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
        tf.layers.dense({
          units: 1,
          activation: 'sigmoid',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        }),
      ],
    });
    await expectSameAsTfjs(model, 12, 30);
    model.dispose();
  });
});
