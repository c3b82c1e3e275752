/**
 * A test report of probabilities against labels: the ROC curve and its AUC, the precision-recall
 * curve, a reliability (calibration) table, and the threshold that maximises accuracy. One sort,
 * O(n log n); reviews with equal probabilities are one step of the curves (ties count half in the
 * AUC, as the Mann-Whitney statistic does).
 */

export interface CurvePoint {
  /** ROC: false-positive rate; PR: recall. */
  x: number;
  /** ROC: true-positive rate; PR: precision. */
  y: number;
  /** Predicted positive at and above this probability. */
  threshold: number;
}

export interface CalibrationBin {
  /** Probabilities in [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  count: number;
  meanProbability: number;
  /** Share of positives among the bin's reviews. */
  positiveRate: number;
}

export interface TestReport {
  count: number;
  positives: number;
  auc: number;
  /** Area under the precision-recall curve (average precision, the step-wise sum). */
  averagePrecision: number;
  roc: CurvePoint[];
  pr: CurvePoint[];
  calibration: CalibrationBin[];
}

/** Curves keep at most this many points (evenly over the ranking), enough to draw. */
const MAX_POINTS = 200;

function checkInputs(probabilities: ArrayLike<number>, labels: ArrayLike<number>): { positives: number } {
  if (probabilities.length !== labels.length)
    throw new Error(`${probabilities.length} predictions for ${labels.length} labels`);
  if (labels.length === 0) throw new Error('There are no reviews to report on.');
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`Label ${labels[i]} at row ${i} is neither 0 nor 1`);
    if (!Number.isFinite(probabilities[i]!)) throw new Error(`Probability at row ${i} is not a number`);
    positives += labels[i]!;
  }
  if (positives === 0 || positives === labels.length)
    throw new Error(
      `All ${labels.length} reviews are ${positives === 0 ? 'negative' : 'positive'}: ROC and precision-recall curves need both classes.`,
    );
  return { positives };
}

/** Row indices by descending probability. */
function ranking(probabilities: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: probabilities.length }, (_, i) => i);
  return order.sort((a, b) => probabilities[b]! - probabilities[a]!);
}

function thin(points: CurvePoint[]): CurvePoint[] {
  if (points.length <= MAX_POINTS) return points;
  const step = (points.length - 1) / (MAX_POINTS - 1);
  return Array.from({ length: MAX_POINTS }, (_, i) => points[Math.round(i * step)]!);
}

export function testReport(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): TestReport {
  const { positives } = checkInputs(probabilities, labels);
  const count = labels.length;
  const negatives = count - positives;
  const order = ranking(probabilities);
  const roc: CurvePoint[] = [{ x: 0, y: 0, threshold: Number.POSITIVE_INFINITY }];
  const pr: CurvePoint[] = [];
  let truePositives = 0;
  let falsePositives = 0;
  let auc = 0;
  let averagePrecision = 0;
  for (let i = 0; i < count;) {
    // One step per distinct probability: ties move both rates at once.
    const threshold = probabilities[order[i]!]!;
    let tiedPositives = 0;
    let tiedNegatives = 0;
    while (i < count && probabilities[order[i]!] === threshold) {
      if (labels[order[i]!] === 1) tiedPositives++;
      else tiedNegatives++;
      i++;
    }
    const previousTpr = truePositives / positives;
    truePositives += tiedPositives;
    falsePositives += tiedNegatives;
    const tpr = truePositives / positives;
    const fpr = falsePositives / negatives;
    // Trapezoid over the step: a tie of positives and negatives counts half, as Mann-Whitney does.
    auc += ((tiedNegatives / negatives) * (previousTpr + tpr)) / 2;
    const precision = truePositives / (truePositives + falsePositives);
    averagePrecision += (tiedPositives / positives) * precision;
    roc.push({ x: fpr, y: tpr, threshold });
    pr.push({ x: tpr, y: precision, threshold });
  }
  return {
    count,
    positives,
    auc,
    averagePrecision,
    roc: thin(roc),
    pr: thin(pr),
    calibration: calibration(probabilities, labels, bins),
  };
}

/** Reliability table: `bins` equal-width bins of probability, each with its mean prediction and its share of positives. */
export function calibration(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const sums = new Float64Array(bins);
  const counts = new Int32Array(bins);
  const positives = new Int32Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    sums[bin]! += p;
    counts[bin]!++;
    positives[bin]! += labels[i]!;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (counts[b] === 0) continue;
    out.push({
      from: b / bins,
      to: (b + 1) / bins,
      count: counts[b]!,
      meanProbability: sums[b]! / counts[b]!,
      positiveRate: positives[b]! / counts[b]!,
    });
  }
  return out;
}

/**
 * The probability threshold (predict positive when p ≥ threshold) with the highest accuracy on
 * these reviews, and that accuracy. Ties go to the threshold closest to 0.5.
 */
export function bestThreshold(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
): { threshold: number; accuracy: number } {
  checkInputs(probabilities, labels);
  const count = labels.length;
  const order = ranking(probabilities);
  let positivesTotal = 0;
  for (let i = 0; i < count; i++) positivesTotal += labels[i]!;
  // Threshold above everything: all predicted negative.
  let correct = count - positivesTotal;
  let best = { threshold: 1, accuracy: correct / count };
  for (let i = 0; i < count;) {
    const threshold = probabilities[order[i]!]!;
    while (i < count && probabilities[order[i]!] === threshold) {
      correct += labels[order[i]!] === 1 ? 1 : -1;
      i++;
    }
    const accuracy = correct / count;
    if (
      accuracy > best.accuracy ||
      (accuracy === best.accuracy && Math.abs(threshold - 0.5) < Math.abs(best.threshold - 0.5))
    )
      best = { threshold, accuracy };
  }
  return best;
}

/** Accuracy when predicting positive at p ≥ threshold. */
export function accuracyAt(probabilities: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if ((probabilities[i]! >= threshold ? 1 : 0) === labels[i]) correct++;
  return correct / labels.length;
}

export type MistakeKind = 'false-positive' | 'false-negative';

/** Rows predicted wrong at 0.5, most confident first: said positive for negatives, or the reverse. */
export function mostConfidentMistakes(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  kind: MistakeKind,
): number[] {
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const saidPositive = probabilities[i]! > 0.5;
    if (kind === 'false-positive' ? saidPositive && labels[i] === 0 : !saidPositive && labels[i] === 1) rows.push(i);
  }
  return rows.sort((a, b) =>
    kind === 'false-positive' ? probabilities[b]! - probabilities[a]! : probabilities[a]! - probabilities[b]!,
  );
}
