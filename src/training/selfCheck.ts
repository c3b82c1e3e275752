/**
 * The end-of-run self-check: the model a user downloads must give the probabilities the engine that
 * trained it gave. A few hundred test reviews are predicted both ways; if they disagree, the run
 * says so and reports the downloadable model's own test accuracy instead of the engine's.
 */
import { binaryMetrics, type BinaryMetrics } from './metrics';

export const SELF_CHECK_REVIEWS = 256;
/** Float32 GPU arithmetic against a float64 forward pass: agreement is ~1e-7; a bug is far above this. */
export const SELF_CHECK_TOLERANCE = 1e-4;

export interface SelfCheckResult {
  /** Reviews predicted both ways. */
  reviews: number;
  /** Largest |engine − bundle| probability over those reviews. */
  maxDifference: number;
  tolerance: number;
  passed: boolean;
}

/** Up to `wanted` rows spread evenly over `count` (both labels, short and long reviews alike). */
export function selfCheckRows(count: number, wanted = SELF_CHECK_REVIEWS): Int32Array {
  const n = Math.min(count, wanted);
  return Int32Array.from({ length: n }, (_, i) => Math.floor((i * count) / n));
}

export function compareProbabilities(
  engine: ArrayLike<number>,
  bundle: ArrayLike<number>,
  tolerance = SELF_CHECK_TOLERANCE,
): SelfCheckResult {
  if (engine.length !== bundle.length)
    throw new Error(`${engine.length} engine vs ${bundle.length} bundle predictions`);
  let maxDifference = 0;
  for (let i = 0; i < engine.length; i++) {
    const difference = Math.abs(engine[i]! - bundle[i]!);
    // NaN on either side is a failure, not a difference of 0.
    maxDifference = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : Math.max(maxDifference, difference);
  }
  return { reviews: engine.length, maxDifference, tolerance, passed: maxDifference <= tolerance };
}

export interface CheckedTestResult {
  selfCheck: SelfCheckResult | null;
  /** Test metrics of the model the user downloads (the engine's when the check passed). */
  test: BinaryMetrics | null;
  /** P(positive) per test row, from the same model as `test`. */
  probabilities: Float32Array | null;
}

/**
 * Compares the engine with the saved model on the self-check rows and decides whose test figures
 * stand. `engineTest` holds the engine's probabilities for every test row, or null when the run
 * was stopped before its test evaluation (then only the check rows are predicted, by `engineAt`).
 */
export async function checkAgainstBundle(args: {
  count: number;
  labels: ArrayLike<number>;
  engineTest: Float32Array | null;
  engineAt: (rows: Int32Array) => Promise<Float32Array>;
  bundleAt: (row: number) => number;
  onBundleProgress?: (done: number, total: number) => void;
}): Promise<CheckedTestResult> {
  const { count, labels, engineTest, engineAt, bundleAt, onBundleProgress } = args;
  if (count === 0) return { selfCheck: null, test: null, probabilities: null };
  const rows = selfCheckRows(count);
  const engine = engineTest ? Float32Array.from(rows, (row) => engineTest[row]!) : await engineAt(rows);
  const selfCheck = compareProbabilities(
    engine,
    Float64Array.from(rows, (row) => bundleAt(row)),
  );
  if (!engineTest) return { selfCheck, test: null, probabilities: null };
  if (selfCheck.passed) return { selfCheck, test: binaryMetrics(engineTest, labels), probabilities: engineTest };
  // The engine's figures describe a model nobody can download: report the saved model's own.
  const probabilities = new Float32Array(count);
  for (let row = 0; row < count; row++) {
    probabilities[row] = bundleAt(row);
    if ((row + 1) % 500 === 0 || row + 1 === count) onBundleProgress?.(row + 1, count);
    if ((row + 1) % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { selfCheck, test: binaryMetrics(probabilities, labels), probabilities };
}
