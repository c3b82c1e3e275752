import type * as tf from '@tensorflow/tfjs';
import type { EngineName } from '../training/settings';

/**
 * How the model's forward pass is computed. The weights always live in the standard layers model;
 * an engine only decides how to run it (and so how its gradient is taken). The trainer and the UI
 * only see this interface, so a faster recurrent implementation drops in without touching them.
 */
export interface ModelEngine {
  readonly name: EngineName;
  /** Probabilities `[batch, 1]` for token ids `[batch, maxlen]`. Callers wrap it in a tidy. */
  predict(model: tf.LayersModel, ids: tf.Tensor2D, training: boolean): tf.Tensor2D;
}

/** tfjs's own layers: the LSTM runs as a JavaScript loop of small ops per timestep. */
export const stockEngine: ModelEngine = {
  name: 'stock',
  predict: (model, ids, training) => model.apply(ids, { training }) as tf.Tensor2D,
};
