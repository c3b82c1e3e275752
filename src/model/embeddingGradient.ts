import * as tf from '@tensorflow/tfjs';

/**
 * tfjs differentiates `gather` (what `Embedding` calls) with `unsortedSegmentSum`, whose cost grows
 * with vocabulary × batch × length × width (minutes per L=200 batch on WebGL: ../shared/TFJS-NOTES.md),
 * and the kernel does not exist on wasm. An embedding's gradient only touches the rows that occur in the batch, so we
 * read the ids and the incoming gradient back to the CPU, add each position's gradient row into its
 * token's row, and upload the result: one pass over the batch instead of one per vocabulary entry.
 */
export function rowScatterAddGradient(paramsShape: readonly number[], indices: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const [rows, width] = paramsShape as [number, number];
  const ids = indices.dataSync();
  const gradients = dy.dataSync();
  const out = new Float32Array(rows * width);
  for (let position = 0; position < ids.length; position++) {
    const row = ids[position]!;
    if (row < 0 || row >= rows) continue; // gather would have failed on these; nothing to add
    const target = row * width;
    const source = position * width;
    for (let k = 0; k < width; k++) out[target + k]! += gradients[source + k]!;
  }
  return tf.tensor2d(out, [rows, width]);
}

let installed: tf.GradConfig | null = null;

/**
 * Replaces tfjs's gradient of GatherV2 for the Embedding case (2-D params, axis 0, no batch dims);
 * every other gather keeps the stock gradient. Returns a function that restores the stock one.
 */
export function installEmbeddingGradient(): () => void {
  if (installed) return restoreStock;
  const stock = tf.getGradient('GatherV2');
  if (!stock) throw new Error('tfjs has no gradient registered for GatherV2');
  installed = stock;
  tf.registerGradient({
    kernelName: 'GatherV2',
    inputsToSave: ['x', 'indices'],
    gradFunc: (dy, saved, attrs) => {
      const [x, indices] = saved as [tf.Tensor, tf.Tensor];
      const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
      const embeddingCase = x.rank === 2 && (axis === 0 || axis === -2) && !batchDims;
      if (!embeddingCase) return stock.gradFunc(dy, saved, attrs);
      return {
        x: () => rowScatterAddGradient(x.shape, indices, dy as tf.Tensor),
        indices: () => indices,
      };
    },
  });
  return restoreStock;
}

function restoreStock(): void {
  if (!installed) return;
  tf.registerGradient(installed);
  installed = null;
}
