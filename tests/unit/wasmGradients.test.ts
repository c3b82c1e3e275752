/**
 * The WebAssembly step's forward output and gradients against tfjs (cpu backend) on the same
 * weights and batch. Error: max |wasm - tfjs| / max |tfjs| per tensor (scaledError), ≤ 1e-4.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import { binaryCrossentropy } from '../../src/model/loss';
import { WasmTrainer } from '../../src/model/wasm/wasmTrainer';
import {
  buildModelFor,
  loadWasmModule,
  randomLabels,
  randomWeights,
  reviewLikeIds,
  scaledError,
  setModelWeights,
  tfjsReference,
  type CaseShape,
} from './wasmHelpers';

const TOLERANCE = 1e-4;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cases: (CaseShape & { note: string })[] = [
  { batch: 1, maxlen: 1, vocab: 20, embed: 8, units: 8, note: 'batch 1, one step' },
  { batch: 3, maxlen: 7, vocab: 30, embed: 12, units: 8, note: 'odd batch' },
  { batch: 5, maxlen: 7, vocab: 40, embed: 20, units: 12, note: 'widths not multiples of 8 (kernel tails)' },
  { batch: 5, maxlen: 200, vocab: 100, embed: 8, units: 8, note: 'L=200, long padding runs' },
  { batch: 1, maxlen: 200, vocab: 300, embed: 16, units: 128, note: 'batch 1, L=200, H=128' },
  { batch: 8, maxlen: 200, vocab: 1000, embed: 128, units: 128, note: 'B=8, L=200, H=128' },
  { batch: 127, maxlen: 7, vocab: 5000, embed: 128, units: 128, note: 'B=127, L=7, H=128' },
];

describe('WebAssembly LSTM step gradients vs tfjs', () => {
  const module = loadWasmModule();

  /** The engine's gradients of one batch against tfjs's, every tensor within TOLERANCE of its scale. */
  async function expectGradientsOfTfjs(c: CaseShape, seed: number, ids: Int32Array, maskZero: boolean) {
    const weights = randomWeights(c, seed);
    const labels = randomLabels(c.batch, seed + 2);
    const expected = tfjsReference(c, weights, ids, labels, { maskZero });

    const trainer = await WasmTrainer.create(
      module,
      {
        batchSize: c.batch,
        maxlen: c.maxlen,
        vocabularySize: c.vocab,
        embeddingDim: c.embed,
        lstmUnits: c.units,
        maskZero,
      },
      { kind: 'sgd', learningRate: 0 },
    );
    trainer.setWeights(weights);
    const actual = trainer.gradients(ids, labels);

    // The embedding gradient is the input gradient scatter-added into the tokens' rows.
    const E = c.embed;
    const expectedRows = new Float32Array(actual.embeddingTokens.length * E);
    const rowOf = new Map<number, number>();
    actual.embeddingTokens.forEach((token, u) => rowOf.set(token, u));
    for (let p = 0; p < ids.length; p++) {
      const u = rowOf.get(ids[p]!);
      expect(u, `token ${ids[p]} has a gradient row`).toBeDefined();
      for (let e = 0; e < E; e++) expectedRows[u! * E + e]! += expected.input[p * E + e]!;
    }
    expect(new Set(ids).size).toBe(actual.embeddingTokens.length);

    const errors = {
      probabilities: scaledError(actual.probabilities, expected.probabilities),
      loss: Math.abs(actual.loss - expected.loss),
      embedding: scaledError(actual.embeddingRows, expectedRows),
      kernel: scaledError(actual.kernel, expected.kernel),
      recurrentKernel: scaledError(actual.recurrentKernel, expected.recurrentKernel),
      bias: scaledError(actual.bias, expected.bias),
      denseKernel: scaledError(actual.denseKernel, expected.denseKernel),
      denseBias: scaledError(actual.denseBias, expected.denseBias),
    };
    for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThanOrEqual(TOLERANCE);
    return { expected, actual };
  }

  for (const [index, c] of cases.entries()) {
    it(`${c.note}: B=${c.batch} L=${c.maxlen} V=${c.vocab} E=${c.embed} H=${c.units}`, async () => {
      const seed = 100 + index;
      await expectGradientsOfTfjs(c, seed, reviewLikeIds(c, seed + 1), false);
    }, 120_000);
  }

  describe('with mask_zero (tfjs LSTM with the mask ids ≠ 0)', () => {
    const masked: { c: CaseShape; note: string; ids: (c: CaseShape, seed: number) => Int32Array }[] = [
      { c: { batch: 5, maxlen: 7, vocab: 30, embed: 12, units: 8 }, note: 'pre-padded, odd batch', ids: reviewLikeIds },
      {
        c: { batch: 6, maxlen: 30, vocab: 40, embed: 8, units: 8 },
        note: 'every row at most 6 words: the first 24 steps are skipped',
        ids: (c, seed) =>
          reviewLikeIds({ ...c, maxlen: 6 }, seed).reduce(
            (out, id, p) => {
              out[Math.floor(p / 6) * c.maxlen + 24 + (p % 6)] = id;
              return out;
            },
            new Int32Array(c.batch * c.maxlen),
          ),
      },
      {
        c: { batch: 4, maxlen: 9, vocab: 30, embed: 8, units: 8 },
        note: 'post-padded: the gradient passes back through the masked steps',
        ids: (c, seed) => {
          const ids = reviewLikeIds(c, seed);
          for (let b = 0; b < c.batch; b++) {
            const row = ids.subarray(b * c.maxlen, (b + 1) * c.maxlen);
            const words = row.filter((id) => id !== 0);
            row.fill(0);
            row.set(words);
          }
          return ids;
        },
      },
      {
        c: { batch: 7, maxlen: 40, vocab: 60, embed: 8, units: 8 },
        note: 'rows longest first, as bucketed batches come: the products skip the rows still in padding',
        ids: (c, seed) => {
          const ids = reviewLikeIds(c, seed);
          const rows = Array.from({ length: c.batch }, (_, b) => ids.slice(b * c.maxlen, (b + 1) * c.maxlen));
          rows.sort((a, b) => b.filter((id) => id !== 0).length - a.filter((id) => id !== 0).length);
          return Int32Array.from(rows.flatMap((row) => Array.from(row)));
        },
      },
      {
        c: { batch: 8, maxlen: 200, vocab: 1000, embed: 128, units: 128 },
        note: 'B=8, L=200, H=128',
        ids: reviewLikeIds,
      },
    ];
    for (const [index, { c, note, ids }] of masked.entries()) {
      it(`${note}: B=${c.batch} L=${c.maxlen} E=${c.embed} H=${c.units}`, async () => {
        const seed = 300 + index;
        const batch = ids(c, seed + 1);
        const { expected } = await expectGradientsOfTfjs(c, seed, batch, true);
        // The mask matters: without it tfjs gives other probabilities.
        const unmasked = tfjsReference(c, randomWeights(c, seed), batch, randomLabels(c.batch, seed + 2));
        expect(scaledError(unmasked.probabilities, expected.probabilities)).toBeGreaterThan(1e-3);
      }, 120_000);
    }
  });

  it('stops backward early, exactly, once every carried gradient is flushed to 0', async () => {
    // Forget gates near 0 (bias -4) make dL/dc die within a few dozen steps: the wasm backward pass
    // exits early there and must still give tfjs's gradients (and zeros for the early positions).
    const c: CaseShape = { batch: 6, maxlen: 200, vocab: 80, embed: 8, units: 8 };
    const weights = randomWeights(c, 21);
    weights.bias.fill(-4, c.units, 2 * c.units);
    weights.recurrentKernel.forEach((v, i, a) => (a[i] = v * 0.2));
    const ids = reviewLikeIds(c, 22);
    const labels = randomLabels(c.batch, 23);
    const expected = tfjsReference(c, weights, ids, labels);
    let early = 0;
    for (let b = 0; b < c.batch; b++) {
      for (let t = 0; t < 100; t++) {
        for (let e = 0; e < c.embed; e++)
          early = Math.max(early, Math.abs(expected.input[(b * c.maxlen + t) * c.embed + e]!));
      }
    }
    expect(early, 'the first 100 steps get gradients below the flush threshold').toBeLessThan(1e-30);
    const trainer = await WasmTrainer.create(
      module,
      { batchSize: c.batch, maxlen: c.maxlen, vocabularySize: c.vocab, embeddingDim: c.embed, lstmUnits: c.units },
      { kind: 'sgd', learningRate: 0 },
    );
    trainer.setWeights(weights);
    const actual = trainer.gradients(ids, labels);
    expect(scaledError(actual.kernel, expected.kernel)).toBeLessThanOrEqual(TOLERANCE);
    expect(scaledError(actual.recurrentKernel, expected.recurrentKernel)).toBeLessThanOrEqual(TOLERANCE);
    expect(scaledError(actual.bias, expected.bias)).toBeLessThanOrEqual(TOLERANCE);
    expect(scaledError(actual.denseKernel, expected.denseKernel)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("matches the whole model's gradients with the app's embedding gradient (dense [V, E], zero rows included)", async () => {
    const c: CaseShape = { batch: 5, maxlen: 12, vocab: 40, embed: 8, units: 8 };
    const weights = randomWeights(c, 11);
    const ids = reviewLikeIds(c, 12);
    const labels = randomLabels(c.batch, 13);
    const restore = installEmbeddingGradient();
    const model = buildModelFor(c);
    setModelWeights(model, weights);
    const idTensor = tf.tensor2d(ids, [c.batch, c.maxlen], 'int32');
    const labelTensor = tf.tensor2d(labels, [c.batch, 1]);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => binaryCrossentropy(labelTensor, model.apply(idTensor) as tf.Tensor),
      variables,
    );
    const expected = variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
    const expectedLoss = value.dataSync()[0]!;
    tf.dispose([value, ...Object.values(grads), idTensor, labelTensor]);
    model.dispose();
    restore();

    const trainer = await WasmTrainer.create(
      module,
      { batchSize: c.batch, maxlen: c.maxlen, vocabularySize: c.vocab, embeddingDim: c.embed, lstmUnits: c.units },
      { kind: 'sgd', learningRate: 0 },
    );
    trainer.setWeights(weights);
    const actual = trainer.gradients(ids, labels);
    const dense = new Float32Array(c.vocab * c.embed);
    actual.embeddingTokens.forEach((token, u) =>
      dense.set(actual.embeddingRows.subarray(u * c.embed, (u + 1) * c.embed), token * c.embed),
    );
    const mine = [dense, actual.kernel, actual.recurrentKernel, actual.bias, actual.denseKernel, actual.denseBias];
    mine.forEach((values, i) =>
      expect(scaledError(values, expected[i]!), variables[i]!.name).toBeLessThanOrEqual(TOLERANCE),
    );
    expect(Math.abs(actual.loss - expectedLoss)).toBeLessThanOrEqual(1e-6);
  });

  it('gives the input gradient of every position when every position has its own token', async () => {
    const c: CaseShape = { batch: 3, maxlen: 5, vocab: 15, embed: 8, units: 8 };
    const weights = randomWeights(c, 7);
    const ids = Int32Array.from({ length: 15 }, (_, i) => (i * 7) % 15); // a permutation of 0…14
    const labels = randomLabels(3, 8);
    const expected = tfjsReference(c, weights, ids, labels);
    const trainer = await WasmTrainer.create(
      module,
      { batchSize: 4, maxlen: 5, vocabularySize: 15, embeddingDim: 8, lstmUnits: 8 },
      { kind: 'sgd', learningRate: 0 },
    );
    trainer.setWeights(weights);
    const actual = trainer.gradients(ids, labels); // 3 rows in a trainer sized for 4
    const perPosition = new Float32Array(15 * 8);
    actual.embeddingTokens.forEach((token, u) => {
      const p = ids.indexOf(token);
      perPosition.set(actual.embeddingRows.subarray(u * 8, u * 8 + 8), p * 8);
    });
    expect(scaledError(perPosition, expected.input)).toBeLessThanOrEqual(TOLERANCE);
  });
});
