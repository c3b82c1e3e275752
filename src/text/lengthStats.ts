export interface LengthBin {
  /** First length in the bin (inclusive). */
  from: number;
  /** Last length in the bin (inclusive); Infinity for the overflow bin. */
  to: number;
  count: number;
}

export interface LengthStats {
  count: number;
  mean: number;
  median: number;
  max: number;
  bins: LengthBin[];
  /** Reviews longer than maxlen, which padding cuts. */
  truncated: number;
  truncatedShare: number;
}

/** Histogram of sequence lengths in fixed-width bins, the last bin collecting everything above `cap`. */
export function lengthStats(lengths: ArrayLike<number>, maxlen: number, binWidth = 25, cap = 1000): LengthStats {
  if (binWidth < 1 || cap < binWidth) throw new Error('binWidth must be >= 1 and cap >= binWidth');
  const count = lengths.length;
  const binCount = Math.ceil(cap / binWidth);
  const bins: LengthBin[] = [];
  for (let b = 0; b < binCount; b++) bins.push({ from: b * binWidth, to: (b + 1) * binWidth - 1, count: 0 });
  const overflow: LengthBin = { from: binCount * binWidth, to: Number.POSITIVE_INFINITY, count: 0 };
  let sum = 0;
  let max = 0;
  let truncated = 0;
  const sorted = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const length = lengths[i]!;
    sum += length;
    if (length > max) max = length;
    if (length > maxlen) truncated++;
    sorted[i] = length;
    const bin = Math.floor(length / binWidth);
    if (bin < binCount) bins[bin]!.count++;
    else overflow.count++;
  }
  sorted.sort();
  const median =
    count === 0 ? 0 : count % 2 === 1 ? sorted[(count - 1) / 2]! : (sorted[count / 2 - 1]! + sorted[count / 2]!) / 2;
  if (overflow.count > 0) bins.push(overflow);
  return {
    count,
    mean: count === 0 ? 0 : sum / count,
    median,
    max,
    bins,
    truncated,
    truncatedShare: count === 0 ? 0 : truncated / count,
  };
}
