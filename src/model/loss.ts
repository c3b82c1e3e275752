import * as tf from '@tensorflow/tfjs';
import { KERAS_EPSILON } from '../training/metrics';

/** Keras's binary cross-entropy on probabilities: clip to [eps, 1 - eps], mean over the batch. */
export function binaryCrossentropy(labels: tf.Tensor, probabilities: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(probabilities, KERAS_EPSILON, 1 - KERAS_EPSILON);
    const positive = tf.mul(labels, tf.log(p));
    const negative = tf.mul(tf.sub(1, labels), tf.log(tf.sub(1, p)));
    return tf.neg(tf.mean(tf.add(positive, negative)));
  });
}

export function binaryAccuracy(labels: tf.Tensor, probabilities: tf.Tensor): tf.Scalar {
  return tf.tidy(() =>
    tf.mean(tf.cast(tf.equal(tf.cast(tf.greater(probabilities, 0.5), 'float32'), labels), 'float32')),
  );
}
