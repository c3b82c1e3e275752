import * as tf from '@tensorflow/tfjs';
import { orthogonalMatrix } from './orthogonal';

export interface ModelShape {
  /** Embedding input size: the largest token id plus one. */
  vocabularySize: number;
  maxlen: number;
  embeddingDim: number;
  lstmUnits: number;
  dropout: number;
  seed: number;
  /** Embedding mask_zero: the LSTM skips padding (id 0), carrying its state over; default false. */
  maskZero?: boolean;
}

/** Only the benchmark turns these off, to measure what each fix is worth. */
export interface BuildFixes {
  /** false: tfjs's own Orthogonal initializer (slow on WebGL) instead of ours on the CPU. */
  orthogonalOnCpu?: boolean;
  /** tfjs's default gate activation is hardSigmoid; the article's is sigmoid. */
  recurrentActivation?: 'sigmoid' | 'hardSigmoid';
}

/**
 * The seed article's model as a standard tfjs layers model (so saved artifacts load with plain
 * `tf.loadLayersModel` and in Keras): Embedding → LSTM(tanh, sigmoid gates) → Dense(1, sigmoid).
 * Initialisers follow Keras: glorot-uniform kernels, orthogonal recurrent kernel, unit forget bias.
 */
export function buildSentimentModel(shape: ModelShape, fixes: BuildFixes = {}): tf.LayersModel {
  const { vocabularySize, maxlen, embeddingDim, lstmUnits, dropout, seed, maskZero = false } = shape;
  const orthogonalOnCpu = fixes.orthogonalOnCpu ?? true;
  const model = tf.sequential({
    name: 'sentiment_lstm',
    layers: [
      tf.layers.embedding({
        name: 'embedding',
        inputDim: vocabularySize,
        outputDim: embeddingDim,
        inputLength: maxlen,
        maskZero,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
      }),
      tf.layers.lstm({
        name: 'lstm',
        units: lstmUnits,
        activation: 'tanh',
        // tfjs defaults to hardSigmoid; Keras and the article use sigmoid.
        recurrentActivation: fixes.recurrentActivation ?? 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
        // The orthogonal matrix is written below from the CPU: tfjs's Orthogonal initializer takes
        // tens of seconds on WebGL (TFJS-NOTES.md), and would run again whenever a saved model is loaded.
        recurrentInitializer: orthogonalOnCpu ? 'zeros' : tf.initializers.orthogonal({ seed: seed + 3 }),
        // Keras's unit_forget_bias is written below too: tfjs's unitForgetBias initialiser leaks
        // four tensors per model built.
        biasInitializer: 'zeros',
        dropout,
      }),
      tf.layers.dense({
        name: 'dense',
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
      }),
    ],
  });
  const [, recurrentKernel, bias] = model.getLayer('lstm').weights;
  if (orthogonalOnCpu) {
    const orthogonal = tf.tensor2d(orthogonalMatrix(lstmUnits, 4 * lstmUnits, seed + 3), [lstmUnits, 4 * lstmUnits]);
    recurrentKernel!.write(orthogonal);
    orthogonal.dispose();
  }
  // Gate order i, f, c, o: the forget gate's bias starts at 1 so early gradients flow through time.
  const forgetBias = new Float32Array(4 * lstmUnits).fill(1, lstmUnits, 2 * lstmUnits);
  const biasTensor = tf.tensor1d(forgetBias);
  bias!.write(biasTensor);
  biasTensor.dispose();
  return model;
}
