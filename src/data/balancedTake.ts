import type { Review } from './review';

/**
 * The first `count` reviews with labels as balanced as the pool allows (half positive, half
 * negative), keeping the pool's (already shuffled) order.
 */
export function takeBalanced(pool: readonly Review[], count: number): Review[] {
  if (count >= pool.length) return [...pool];
  const positivesInPool = pool.reduce((n, r) => n + r.label, 0);
  const negativesInPool = pool.length - positivesInPool;
  let wantPositive = Math.min(Math.ceil(count / 2), positivesInPool);
  let wantNegative = Math.min(count - wantPositive, negativesInPool);
  wantPositive = count - wantNegative;
  const taken: Review[] = [];
  for (const review of pool) {
    if (review.label === 1 && wantPositive > 0) {
      taken.push(review);
      wantPositive--;
    } else if (review.label === 0 && wantNegative > 0) {
      taken.push(review);
      wantNegative--;
    }
    if (wantPositive === 0 && wantNegative === 0) break;
  }
  return taken;
}
