import type { RunnerState, TfjsOptimizerState } from '../training/runnerState';
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
    async captureState() {
      const named = await optimizer.getWeights();
      // getWeights hands out the optimizer's own variables, and one new tensor: the step count.
      const [iterations, ...slots] = named;
      const state: RunnerState = {
        weights: model.getWeights().map((w) => Float32Array.from(w.dataSync())),
        optimizer: {
          engine: 'tfjs',
          iterations: iterations!.tensor.dataSync()[0]!,
          slots: slots.map(({ name, tensor }) => ({
            name,
            shape: tensor.shape,
            values: Float32Array.from(tensor.dataSync()),
          })),
        },
      };
      iterations!.tensor.dispose();
      const adam = adamPowers(optimizer);
      if (adam) (state.optimizer as TfjsOptimizerState).adamPowers = [adam[0].dataSync()[0]!, adam[1].dataSync()[0]!];
      return state;
    },
    async restoreState(state) {
      const weights = model.getWeights().map((w, i) => tf.tensor(state.weights[i]!, w.shape));
      model.setWeights(weights);
      tf.dispose(weights);
      const saved = state.optimizer;
      if (!saved) return;
      if (saved.engine !== 'tfjs') throw new Error(`A checkpoint of the ${saved.engine} engine cannot resume on tfjs.`);
      const named = [
        { name: 'iter', tensor: tf.scalar(saved.iterations, 'int32') },
        ...saved.slots.map(({ name, shape, values }) => ({ name, tensor: tf.tensor(values, shape) })),
      ];
      // setWeights copies each tensor into a variable of its own; the optimizer had none yet.
      await optimizer.setWeights(named);
      tf.dispose(named.map((n) => n.tensor));
      const adam = adamPowers(optimizer);
      if (adam && saved.adamPowers) adam.forEach((power, i) => power.assign(tf.scalar(saved.adamPowers![i]!)));
    },
    snapshotArrays: (snapshot) => snapshot.map((w) => Float32Array.from(w.dataSync())),
  };
}

/** Adam's accumulated β powers (fields tfjs keeps private), or null for another optimizer. */
function adamPowers(optimizer: tf.Optimizer): [tf.Variable, tf.Variable] | null {
  if (optimizer.getClassName() !== 'Adam') return null;
  const { accBeta1, accBeta2 } = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
  return [accBeta1, accBeta2];
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
