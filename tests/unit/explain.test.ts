/**
 * The Classify box's word-by-word reading (src/inference/reviewClassifier.ts), with the plain and
 * the WebAssembly forward pass: each word's prefix probability is tfjs's LSTM layer's state after
 * that word (returnSequences) through the model's Dense head, as the row is read with its own
 * padding (re-padding a cut review would start from a different padding state); the last one is the
 * prediction; leave-one-out is the prediction for the text without that word; and on a hand-made
 * model where one word is known to flip the sign, that word carries the change.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFromArtifacts } from '../../src/bundle/artifacts';
import { validateBundle } from '../../src/bundle/validate';
import { ReviewClassifier, type Kernels } from '../../src/inference/reviewClassifier';
import { buildSentimentModel } from '../../src/model/buildModel';
import { saveModelArtifacts } from '../../src/model/exportModel';
import { Tokenizer } from '../../src/text/tokenizer';
import { makeMetadata, TEXTS, tinyBundle } from './bundleHelpers';
import { loadWasmModule } from './wasmHelpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tfjsProbability = (model: tf.LayersModel, ids: Int32Array) =>
  tf.tidy(() => (model.predict(tf.tensor2d(ids, [1, ids.length], 'int32')) as tf.Tensor).dataSync()[0]!);

/** Both forward passes the Classify box can run (the kernels take units in multiples of 8). */
const PASSES = [
  { name: 'plain' as const, kernels: (): Kernels => ({ missing: 'not in this test' }), sizes: {} },
  {
    name: 'wasm' as const,
    kernels: (): Kernels => ({ module: loadWasmModule() }),
    sizes: { embeddingDim: 8, lstmUnits: 8 },
  },
];

/**
 * tfjs's own reading of a row step by step: its LSTM layer with the model's weights and
 * returnSequences, and the model's Dense head applied to the state after every timestep.
 */
function tfjsStepProbabilities(model: tf.LayersModel, ids: Int32Array): Float32Array {
  const [embeddings, kernel, recurrent, bias, denseKernel, denseBias] = model.getWeights();
  const lstm = tf.layers.lstm({
    units: recurrent!.shape[0]!,
    recurrentActivation: 'sigmoid',
    returnSequences: true,
    weights: [kernel!, recurrent!, bias!],
  });
  const probabilities = tf.tidy(() => {
    const inputs = tf.gather(embeddings!, tf.tensor1d(ids, 'int32')).expandDims(0);
    const states = (lstm.apply(inputs) as tf.Tensor).squeeze([0]) as tf.Tensor2D;
    return tf.sigmoid(states.matMul(denseKernel as tf.Tensor2D).add(denseBias!)).dataSync() as Float32Array;
  });
  lstm.dispose();
  return probabilities;
}

describe.each(PASSES)('word by word, $name forward pass', ({ name, kernels, sizes }) => {
  it('each prefix probability is the state of tfjs’s LSTM after that word, and the last one is the prediction', async () => {
    const { bundle, model } = await tinyBundle({ numWords: 200, maxlen: 30, scale: 1.5, ...sizes });
    const classifier = new ReviewClassifier(validateBundle(bundle), kernels());
    expect(classifier.forwardPass.kind).toBe(name);
    for (const text of TEXTS) {
      const result = classifier.classify(text);
      expect(result.words.length).toBe(result.reading.sequenceLength);
      expect(Math.abs(result.words.at(-1)!.probability - result.probability!)).toBeLessThanOrEqual(1e-6);
      const ids = classifier.read(text).ids;
      const steps = tfjsStepProbabilities(model, ids);
      const read = result.reading.tokens.filter((t) => t.step !== null);
      const firstWord = ids.length - read.length;
      for (let k = 0; k < read.length; k++)
        expect(Math.abs(result.words[k]!.probability - steps[firstWord + k]!), `${text} / ${k}`).toBeLessThan(1e-5);
      expect(Math.abs(result.startProbability! - steps[firstWord - 1]!)).toBeLessThan(1e-5);
      // The changes add up to the whole move from the padding's logit to the prediction's.
      const logit = (p: number) => Math.log(p / (1 - p));
      const total = result.words.reduce((sum, w) => sum + w.change, 0);
      expect(Math.abs(total - (logit(result.probability!) - logit(result.startProbability!)))).toBeLessThan(1e-6);
    }
  });

  it('leave one out is the prediction for the text without that word', async () => {
    const { bundle, model } = await tinyBundle({ numWords: 200, maxlen: 30, scale: 1.5, ...sizes });
    const classifier = new ReviewClassifier(validateBundle(bundle), kernels());
    expect(classifier.forwardPass.kind).toBe(name);
    const text = TEXTS[0]!;
    const { probabilities, unavailable } = classifier.leaveOneOut(text);
    if (!probabilities) throw new Error(unavailable ?? 'no result');
    const words = classifier.classify(text).reading.tokens.map((t) => t.word);
    expect(probabilities).toHaveLength(words.length);
    words.forEach((_, k) => {
      const without = [...words.slice(0, k), ...words.slice(k + 1)].join(' ');
      expect(probabilities[k]).toBeCloseTo(classifier.classify(without).probability!, 12);
      expect(Math.abs(probabilities[k]! - tfjsProbability(model, classifier.read(without).ids))).toBeLessThan(1e-5);
    });
  });

  it('is not offered for a review longer than maxlen', async () => {
    const { bundle } = await tinyBundle({ numWords: 200, maxlen: 5, ...sizes });
    const classifier = new ReviewClassifier(validateBundle(bundle), kernels());
    const outcome = classifier.leaveOneOut(TEXTS[0]!);
    expect(outcome.probabilities).toBeNull();
    expect(outcome.unavailable).toMatch(/up to maxlen \(5\)/);
  });

  it('names the word that flips a hand-made model from negative to positive', async () => {
    // E = 4, H = 4 (8 for the kernels). Gates i, f, o saturated open (bias 10), so the cell sums what g writes; "good"
    // writes tanh(3) into cell 0 and "bad" tanh(-3); the head reads 5·h0 - 1. Every other word
    // has a zero embedding and changes nothing.
    const tokenizer = new Tokenizer({ numWords: 50 });
    tokenizer.fitOnTexts(['the film was good', 'the film was bad', 'a plot']);
    const V = 50;
    const E = 4;
    const H = name === 'wasm' ? 8 : 4;
    const model = buildSentimentModel({
      vocabularySize: V,
      maxlen: 10,
      embeddingDim: E,
      lstmUnits: H,
      dropout: 0,
      seed: 1,
    });
    const embeddings = new Float32Array(V * E);
    embeddings[tokenizer.indexOf('good')! * E + 0] = 1;
    embeddings[tokenizer.indexOf('bad')! * E + 1] = 1;
    const kernel = new Float32Array(E * 4 * H);
    kernel[0 * 4 * H + 2 * H + 0] = 3; // embedding dim 0 → g of unit 0
    kernel[1 * 4 * H + 2 * H + 0] = -3; // embedding dim 1 → g of unit 0
    const bias = new Float32Array(4 * H);
    for (const gate of [0, 1, 3]) bias.fill(10, gate * H, (gate + 1) * H);
    const dense = new Float32Array(H);
    dense[0] = 5;
    const weights = [
      tf.tensor(embeddings, [V, E]),
      tf.tensor(kernel, [E, 4 * H]),
      tf.zeros([H, 4 * H]),
      tf.tensor(bias, [4 * H]),
      tf.tensor(dense, [H, 1]),
      tf.tensor([-1], [1]),
    ];
    model.setWeights(weights);
    tf.dispose(weights);
    const bundle = bundleFromArtifacts(
      await saveModelArtifacts(model),
      tokenizer.toJson(),
      makeMetadata({ maxlen: 10, numWords: 50 }),
    );
    const classifier = new ReviewClassifier(validateBundle(bundle), kernels());
    expect(classifier.forwardPass.kind).toBe(name);

    const result = classifier.classify('the film was good');
    expect(result.startProbability!).toBeLessThan(0.5);
    expect(result.probability!).toBeGreaterThan(0.5);
    const changes = result.words.map((w) => w.change);
    expect(changes.slice(0, 3).every((c) => Math.abs(c) < 1e-6)).toBe(true);
    expect(changes[3]).toBeGreaterThan(3);
    expect(result.words[2]!.probability).toBeLessThan(0.5);
    expect(result.words[3]!.probability).toBeGreaterThan(0.5);

    const outcome = classifier.leaveOneOut('the film was good');
    if (!outcome.probabilities) throw new Error(outcome.unavailable ?? 'no result');
    expect(outcome.probabilities[3]).toBeLessThan(0.5); // without "good", negative
    expect(outcome.probabilities.slice(0, 3).every((p) => p > 0.5)).toBe(true);

    const bad = classifier.classify('the film was bad');
    expect(bad.words[3]!.change).toBeLessThan(-3);
    expect(bad.probability!).toBeLessThan(result.startProbability!);
    model.dispose();
  });
});
