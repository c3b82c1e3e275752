import * as tf from '@tensorflow/tfjs';
import type { TrainingSettings } from '../training/settings';
import type { BatchRunner } from '../training/trainer';
import type { ModelEngine } from './engine';
import { binaryAccuracy, binaryCrossentropy } from './loss';

export function createOptimizer(settings: Pick<TrainingSettings, 'optimizer' | 'learningRate'>): tf.Optimizer {
  switch (settings.optimizer) {
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate, 0.9, 0, 1e-7);
    case 'adam':
      return tf.train.adam(settings.learningRate, 0.9, 0.999, 1e-7);
    case 'sgd':
      return tf.train.sgd(settings.learningRate);
  }
}

/** tfjs's layers model trained by a tfjs optimizer, its forward pass computed by `engine`. */
export function layersRunner(args: {
  model: tf.LayersModel;
  engine: ModelEngine;
  optimizer: tf.Optimizer;
  maxlen: number;
}): BatchRunner<tf.Tensor[]> {
  const { model, engine, optimizer, maxlen } = args;
  return {
    trainBatch: (ids, labels) => trainStep(model, engine, optimizer, ids, labels, maxlen),
    async predictBatch(ids, rows) {
      const probabilities = tf.tidy(() => engine.predict(model, tf.tensor2d(ids, [rows, maxlen], 'int32'), false));
      const values = (await probabilities.data()) as Float32Array;
      probabilities.dispose();
      return values;
    },
    snapshot: () => snapshotWeights(model),
    restore: (weights) => model.setWeights(weights),
    release: (weights) => weights.forEach((w) => w.dispose()),
    setLearningRate: (learningRate) => setOptimizerLearningRate(optimizer, learningRate),
  };
}

/**
 * tfjs's SGD bakes its rate into a scalar (`setLearningRate` remakes it); RMSprop and Adam read
 * their `learningRate` field at every step, a field tfjs declares protected but has no setter for.
 * By class name: tfjs optimizers answer `instanceof` for any optimizer class (Symbol.hasInstance).
 */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const name = optimizer.getClassName();
  if (name === 'SGD') (optimizer as tf.SGDOptimizer).setLearningRate(learningRate);
  else if (name === 'RMSProp' || name === 'Adam')
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
  else throw new Error(`No learning-rate schedule for the ${name} optimizer.`);
}

/** One optimizer step on one batch; returns the batch's loss and accuracy (read back to the CPU). */
export async function trainStep(
  model: tf.LayersModel,
  engine: ModelEngine,
  optimizer: tf.Optimizer,
  batchIds: Int32Array,
  batchLabels: Float32Array,
  maxlen: number,
): Promise<{ loss: number; accuracy: number }> {
  const size = batchLabels.length;
  const ids = tf.tensor2d(batchIds, [size, maxlen], 'int32');
  const labels = tf.tensor2d(batchLabels, [size, 1]);
  let accuracy: tf.Scalar | null = null;
  const loss = optimizer.minimize(() => {
    const probabilities = engine.predict(model, ids, true);
    accuracy = tf.keep(binaryAccuracy(labels, probabilities));
    return binaryCrossentropy(labels, probabilities);
  }, true)!;
  const [lossValue, accuracyValue] = await Promise.all([loss.data(), accuracy!.data()]);
  tf.dispose([ids, labels, loss, accuracy!]);
  return { loss: lossValue[0]!, accuracy: accuracyValue[0]! };
}

function snapshotWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => tf.keep(w.clone()));
}
