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
import { LstmClassifier, type ClassifierParts } from '../../src/inference/lstmClassifier';
import type { ForwardPass } from '../../src/inference/forwardPass';
import { WasmLstmClassifier, wasmClassifierUnsupportedReason } from '../../src/inference/wasmLstmClassifier';
import { loadWasmModule } from './wasmHelpers';
import { makeMetadata, tinyModel } from './bundleHelpers';
import { Tokenizer } from '../../src/text/tokenizer';

const SMALL = { vocabularySize: 30, maxlen: 12, embeddingDim: 8, lstmUnits: 8, dropout: 0, seed: 6 };

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

/** The two forward passes the Classify box can run: the plain TypeScript one and the WebAssembly kernels. */
type PassName = 'plain' | 'wasm';
const PASSES: PassName[] = ['plain', 'wasm'];

async function partsFor(model: tf.LayersModel, maxlen: number, numWords: number): Promise<ClassifierParts> {
  const artifacts = await saveModelArtifacts(model);
  const tokenizer = new Tokenizer({ numWords });
  tokenizer.fitOnTexts(['a b c']);
  const validated = validateBundle(
    bundleFromArtifacts(artifacts, tokenizer.toJson(), makeMetadata({ maxlen, numWords })),
  );
  return {
    architecture: validated.architecture,
    weights: new Float32Array(validated.bundle.weightData),
    offsets: validated.weightOffsets,
  };
}

async function classifierFor(
  pass: PassName,
  model: tf.LayersModel,
  maxlen: number,
  numWords: number,
): Promise<ForwardPass> {
  const parts = await partsFor(model, maxlen, numWords);
  return pass === 'plain' ? new LstmClassifier(parts) : new WasmLstmClassifier(loadWasmModule(), parts, maxlen);
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

async function expectSameAsTfjs(pass: PassName, model: tf.LayersModel, maxlen: number, vocabulary: number, count = 24) {
  const classifier = await classifierFor(pass, model, maxlen, vocabulary);
  const ids = rows(count, maxlen, vocabulary, 5);
  const expected = tfjsProbabilities(model, ids, maxlen);
  const ours = ids.map((row) => classifier.probability(row));
  let maxDifference = 0;
  ours.forEach((p, i) => (maxDifference = Math.max(maxDifference, Math.abs(p - expected[i]!))));
  expect(maxDifference).toBeLessThan(1e-5);
  // The cached padding states and projections change nothing when asked again, in another order.
  const again = [...ids].reverse().map((row) => classifier.probability(row));
  expect(again.reverse()).toEqual(ours);
  // Word by word: the last prefix is the prediction, and each prefix is the model on the row cut there.
  for (const row of ids.slice(0, 8)) {
    const { probability, steps } = classifier.explain(row);
    expect(probability).toBe(classifier.probability(row));
    // (Post-padded rows run padding steps after their last word.)
    if (steps.length > 0 && row.at(-1) !== 0)
      expect(Math.abs(steps.at(-1)!.probability - probability)).toBeLessThan(1e-6);
  }
  return { ours, expected };
}

describe.each(PASSES)('the %s forward pass equals tfjs model.predict (cpu backend) to 1e-5', (pass) => {
  // The kernels take units in multiples of 8 and embeddings in multiples of 4; the plain pass any size.
  const kernelSizes = pass === 'wasm' ? { embeddingDim: 8, lstmUnits: 8 } : {};
  it('with small random weights', async () => {
    const { model, maxlen, numWords } = await tinyModel({ scale: 0.5, ...kernelSizes });
    const before = tf.memory().numTensors;
    const { expected } = await expectSameAsTfjs(pass, model, maxlen, numWords);
    // The probabilities vary, so equality is not trivial.
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.01);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('with large weights that saturate the gates', async () => {
    const { model, maxlen, numWords } = await tinyModel({ scale: 3, seed: 4, ...kernelSizes });
    await expectSameAsTfjs(pass, model, maxlen, numWords);
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
    await expectSameAsTfjs(pass, model, 200, 500, 6);
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
    const { expected } = await expectSameAsTfjs(pass, model, maxlen, 12, 40);
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.5);
    model.dispose();
  });

  it('with hard_sigmoid gates (the tfjs default)', async () => {
    if (pass === 'wasm') return; // Not a model for the kernels: see 'falls back' below.
    const model = buildSentimentModel(
      { vocabularySize: 30, maxlen: 12, embeddingDim: 6, lstmUnits: 5, dropout: 0, seed: 3 },
      { recurrentActivation: 'hardSigmoid' },
    );
    const weights = model.getWeights().map((w) => tf.randomUniform(w.shape, -1, 1, 'float32', 7));
    model.setWeights(weights);
    tf.dispose(weights);
    await expectSameAsTfjs(pass, model, 12, 30);
    model.dispose();
  });

  it('with mask_zero (padding steps carry the state over)', async () => {
    const { embeddingDim = 6, lstmUnits: units = 5 } = kernelSizes;
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({
          inputDim: 30,
          outputDim: embeddingDim,
          inputLength: 12,
          maskZero: true,
          embeddingsInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 1 }),
        }),
        tf.layers.lstm({
          units,
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
    await expectSameAsTfjs(pass, model, 12, 30);
    model.dispose();
  });
});

describe('the WebAssembly forward pass', () => {
  it('reads rows of 1 and 7 steps, and rows shorter than maxlen, as tfjs does', async () => {
    for (const maxlen of [1, 7]) {
      const model = buildSentimentModel({
        vocabularySize: 40,
        maxlen,
        embeddingDim: 12,
        lstmUnits: 16,
        dropout: 0,
        seed: maxlen,
      });
      await expectSameAsTfjs('wasm', model, maxlen, 40, 12);
      model.dispose();
    }
  });

  it('says why it cannot run a model, so the plain pass runs it instead', async () => {
    const base = (await partsFor(buildSentimentModel(SMALL), 12, 30)).architecture;
    expect(wasmClassifierUnsupportedReason({ ...base, recurrentActivation: 'hard_sigmoid' }, 12)).toMatch(
      /hard_sigmoid/,
    );
    expect(wasmClassifierUnsupportedReason({ ...base, lstmUnits: 12 }, 12)).toMatch(/multiple of 8/);
    expect(wasmClassifierUnsupportedReason({ ...base, vocabularySize: 2_000_000, lstmUnits: 256 }, 200)).toMatch(
      /MB of WebAssembly memory/,
    );
    expect(wasmClassifierUnsupportedReason(base, 12)).toBeNull();
  });

  it('rejects ids outside the vocabulary and rows longer than maxlen, and keeps working', async () => {
    const model = buildSentimentModel(SMALL);
    const classifier = await classifierFor('wasm', model, 12, 30);
    const row = new Int32Array(12).fill(3);
    const before = classifier.probability(row);
    expect(() => classifier.probability(Int32Array.from({ length: 12 }, (_, i) => (i === 4 ? 30 : 1)))).toThrow(
      /outside the Embedding/,
    );
    expect(() => classifier.probability(new Int32Array(13))).toThrow(/longer than the model's maxlen/);
    expect(classifier.probability(row)).toBe(before);
    model.dispose();
  });
});
