import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossAndGradient, logLoss, type LogisticData } from '../../src/baseline/logistic';
import { sparseRowsFrom } from '../../src/baseline/sparseRows';
import { BASELINE_DEFAULTS, trainBaseline } from '../../src/baseline/train';
import { seededRandom } from '../../src/data/random';
import { KERAS_DEFAULT_FILTERS } from '../../src/text/tokenizer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the logistic regression on r ∘ x', () => {
  it('has the loss and gradient tfjs autodiff gives for the dense equivalent', () => {
    const random = seededRandom(5);
    const [n, d, l2] = [12, 9, 0.03];
    const rowsList = Array.from({ length: n }, () => {
      const row: number[] = [];
      for (let j = 0; j < d; j++) if (random() < 0.4) row.push(j);
      return row;
    });
    const labels = Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0));
    const scale = Float64Array.from({ length: d }, () => random() * 4 - 2);
    const weights = Float64Array.from({ length: d }, () => random() - 0.5);
    const bias = 0.3;
    const data: LogisticData = { rows: sparseRowsFrom(rowsList), labels, scale };
    const batch = [0, 3, 4, 7, 8, 11];
    const gradient = new Float64Array(d);
    const ours = lossAndGradient({ weights, bias }, data, batch, l2, gradient);

    // The dense equivalent: X'[i, j] = r_j where feature j is in row i.
    const before = tf.memory().numTensors;
    const expected = tf.tidy(() => {
      const dense = batch.map((i) => Array.from({ length: d }, (_, j) => (rowsList[i]!.includes(j) ? scale[j]! : 0)));
      const X = tf.tensor2d(dense, [batch.length, d], 'float32');
      const y = tf.tensor1d(
        batch.map((i) => labels[i]!),
        'float32',
      );
      const objective = (w: tf.Tensor, b: tf.Tensor) => {
        const z = tf.add(tf.matMul(X, w.reshape([d, 1])).reshape([batch.length]), b);
        const p = tf.sigmoid(z);
        const bce = tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))));
        return tf.add(tf.mean(bce), tf.mul(l2 / 2, tf.sum(tf.square(w))));
      };
      const w = tf.tensor1d(Array.from(weights), 'float32');
      const b = tf.scalar(bias);
      const [gw, gb] = tf.grads(objective)([w, b]);
      return { loss: objective(w, b).dataSync()[0]!, weights: Array.from(gw!.dataSync()), bias: gb!.dataSync()[0]! };
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(ours.loss).toBeCloseTo(expected.loss, 5);
    for (let j = 0; j < d; j++) expect(gradient[j]).toBeCloseTo(expected.weights[j]!, 5);
    expect(ours.biasGradient).toBeCloseTo(expected.bias, 5);
  });

  it('computes the log loss from the logit without overflow', () => {
    expect(logLoss(0, 1)).toBeCloseTo(Math.log(2), 12);
    expect(logLoss(800, 1)).toBe(0);
    expect(logLoss(800, 0)).toBe(800);
    expect(logLoss(-2, 0)).toBeCloseTo(-Math.log(1 - 1 / (1 + Math.exp(2))), 12);
  });
});

describe('the whole baseline', () => {
  it('learns a separable toy set to 100%, on reviews it never saw', () => {
    const random = seededRandom(9);
    const filler = ['the', 'film', 'plot', 'actor', 'scene', 'story', 'music', 'ending'];
    const review = (mood: string) =>
      Array.from({ length: 12 }, (_, k) => (k === 5 ? mood : filler[Math.floor(random() * filler.length)]!)).join(' ');
    const make = (count: number) => {
      const labels = Array.from({ length: count }, (_, i) => i % 2);
      const texts = labels.map((l) =>
        review(l === 1 ? (random() < 0.5 ? 'great' : 'superb') : random() < 0.5 ? 'awful' : 'dull'),
      );
      return { labels, texts };
    };
    const train = make(200);
    const test = make(100);
    const trainIds = Array.from({ length: 180 }, (_, i) => i);
    const validation = Array.from({ length: 20 }, (_, i) => 180 + i);
    const result = trainBaseline(
      {
        reading: { lower: true, filters: KERAS_DEFAULT_FILTERS, split: ' ' },
        trainTexts: train.texts,
        trainLabels: train.labels,
        split: { train: trainIds, validation },
        testTexts: test.texts,
      },
      { ...BASELINE_DEFAULTS, epochs: 20, batchSize: 16, learningRate: 0.05 },
      () => {},
    );
    const correct = test.labels.filter((l, i) => (result.testProbabilities[i]! > 0.5 ? 1 : 0) === l).length;
    expect(correct).toBe(100);
    expect(result.history.at(-1)!.validationAccuracy).toBe(1);
    // The mood words carry the model; the filler's weights stay small beside them.
    const weightOf = (text: string) => result.model.weights[result.model.features.indexOf(text)]!;
    expect(weightOf('great')).toBeGreaterThan(Math.abs(weightOf('film')) * 3);
    expect(weightOf('awful')).toBeLessThan(-Math.abs(weightOf('film')) * 3);
  });
});
