import type { PaddedMatrix } from '../data/dataset';

/** Copies the rows at `indices[from, to)` into one contiguous batch of ids and float labels. */
export function gatherBatch(
  examples: PaddedMatrix,
  indices: Int32Array | null,
  from: number,
  to: number,
): { ids: Int32Array; labels: Float32Array; size: number } {
  const size = to - from;
  const { maxlen } = examples;
  const ids = new Int32Array(size * maxlen);
  const labels = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const row = indices ? indices[from + i]! : from + i;
    ids.set(examples.ids.subarray(row * maxlen, (row + 1) * maxlen), i * maxlen);
    labels[i] = examples.labels[row]!;
  }
  return { ids, labels, size };
}
