/** Keras clips probabilities to [eps, 1 - eps] before the log; so do we, so losses compare. */
export const KERAS_EPSILON = 1e-7;

export interface ConfusionMatrix {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

export interface BinaryMetrics {
  loss: number;
  accuracy: number;
  confusion: ConfusionMatrix;
  count: number;
}

/** Mean binary cross-entropy, accuracy at 0.5 and the confusion matrix of probabilities vs labels. */
export function binaryMetrics(probabilities: ArrayLike<number>, labels: ArrayLike<number>): BinaryMetrics {
  if (probabilities.length !== labels.length) {
    throw new Error(`${probabilities.length} predictions for ${labels.length} labels`);
  }
  const confusion: ConfusionMatrix = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  let lossSum = 0;
  const count = labels.length;
  for (let i = 0; i < count; i++) {
    const p = Math.min(Math.max(probabilities[i]!, KERAS_EPSILON), 1 - KERAS_EPSILON);
    const positive = labels[i]! === 1;
    lossSum -= positive ? Math.log(p) : Math.log(1 - p);
    const predictedPositive = probabilities[i]! > 0.5;
    if (predictedPositive && positive) confusion.truePositives++;
    else if (predictedPositive) confusion.falsePositives++;
    else if (positive) confusion.falseNegatives++;
    else confusion.trueNegatives++;
  }
  const correct = confusion.truePositives + confusion.trueNegatives;
  return {
    loss: count === 0 ? Number.NaN : lossSum / count,
    accuracy: count === 0 ? Number.NaN : correct / count,
    confusion,
    count,
  };
}

/** Exponential moving average with bias correction (as TensorBoard's smoothing does at the start). */
export function smoothSeries(values: readonly number[], weight: number): number[] {
  const out: number[] = [];
  let average = 0;
  for (let i = 0; i < values.length; i++) {
    average = weight * average + (1 - weight) * values[i]!;
    out.push(average / (1 - weight ** (i + 1)));
  }
  return out;
}
