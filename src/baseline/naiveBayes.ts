/**
 * The naive-Bayes log-count ratio of Wang & Manning (2012): with binarized features x,
 * p = alpha + Σ_{positive} x, q = alpha + Σ_{negative} x, and r = log((p / ‖p‖₁) / (q / ‖q‖₁)).
 * Feature j's r is how much more often it occurs in positive than in negative reviews (in log),
 * smoothed by alpha; the classifier is then trained on r ∘ x.
 */
import { type SparseRows } from './sparseRows';

export function logCountRatio(
  rows: SparseRows,
  labels: ArrayLike<number>,
  /** Which rows to count (the training split; validation rows are left out). */
  use: ArrayLike<number>,
  features: number,
  alpha: number,
): Float64Array {
  if (!(alpha > 0)) throw new Error(`alpha must be above 0, got ${alpha}`);
  const p = new Float64Array(features).fill(alpha);
  const q = new Float64Array(features).fill(alpha);
  for (let u = 0; u < use.length; u++) {
    const i = use[u]!;
    const counts = labels[i] === 1 ? p : q;
    for (let k = rows.offsets[i]!; k < rows.offsets[i + 1]!; k++) counts[rows.indices[k]!]!++;
  }
  let pTotal = 0;
  let qTotal = 0;
  for (let j = 0; j < features; j++) {
    pTotal += p[j]!;
    qTotal += q[j]!;
  }
  const r = new Float64Array(features);
  const offset = Math.log(qTotal / pTotal);
  for (let j = 0; j < features; j++) r[j] = Math.log(p[j]! / q[j]!) + offset;
  return r;
}
