import * as tf from '@tensorflow/tfjs';

/**
 * Keras's LSTM cell for a single timestep from a zero state, in tfjs ops: c = σ(i)·tanh(g),
 * h = σ(o)·tanh(c). The reference at L=1, where tfjs's LSTM layer cannot be differentiated (the
 * gradient of its per-step unstack fails); shared by the engine checks and the WebAssembly tests.
 */
export function oneStepLstm(
  input: tf.Tensor,
  kernel: tf.Tensor,
  recurrent: tf.Tensor,
  bias: tf.Tensor,
  units: number,
): tf.Tensor {
  const [batch, , inputDim] = input.shape as [number, number, number];
  const zeroState = tf.zeros([batch, units]);
  const z = tf.add(
    tf.add(tf.matMul(tf.reshape(input, [batch, inputDim]), kernel), tf.matMul(zeroState, recurrent)),
    bias,
  );
  const [i, f, g, o] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const c = tf.add(tf.mul(tf.sigmoid(f), zeroState), tf.mul(tf.sigmoid(i), tf.tanh(g)));
  return tf.mul(tf.sigmoid(o), tf.tanh(c));
}
