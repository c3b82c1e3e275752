import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import { seededRandom } from '../../src/data/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** d/dparams of sum(gather(params, ids) * weights): the gradient that reaches an Embedding. */
function embeddingGradient(params: tf.Tensor2D, ids: tf.Tensor, weights: tf.Tensor): Float32Array {
  const grad = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(tf.gather(p, ids), weights)));
  const g = grad(params);
  const values = g.dataSync() as Float32Array;
  g.dispose();
  return values;
}

describe('the Embedding gradient (row scatter-add)', () => {
  it('equals the stock unsortedSegmentSum gradient to 1e-5 on random inputs', () => {
    const random = seededRandom(11);
    for (const [vocab, width, positions] of [
      [50, 8, 300],
      [7, 3, 1],
      [1000, 16, 64 * 20],
    ] as const) {
      const params = tf.randomNormal([vocab, width], 0, 1, 'float32', 1) as tf.Tensor2D;
      // Repeated ids, every row at most once or many times, like real batches.
      const idValues = Int32Array.from({ length: positions }, () => Math.floor(random() * random() * vocab));
      const ids = tf.tensor2d(
        idValues,
        [positions / (positions % 20 === 0 ? 20 : 1), positions % 20 === 0 ? 20 : 1],
        'int32',
      );
      const weights = tf.randomNormal([...ids.shape, width], 0, 1, 'float32', 2);
      const stock = embeddingGradient(params, ids, weights);
      const restore = installEmbeddingGradient();
      const fast = embeddingGradient(params, ids, weights);
      restore();
      expect(fast.length).toBe(stock.length);
      let maxError = 0;
      for (let i = 0; i < stock.length; i++) maxError = Math.max(maxError, Math.abs(fast[i]! - stock[i]!));
      expect(maxError).toBeLessThan(1e-5);
      tf.dispose([params, ids, weights]);
    }
  });

  it('leaves other gathers to the stock gradient', () => {
    const restore = installEmbeddingGradient();
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, [1, 1], 1)))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 2, 0, 2]);
    restore();
    tf.dispose([x, g]);
  });
});
