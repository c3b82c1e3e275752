/**
 * Documents as rows of a sparse binary matrix (compressed sparse rows): row i's feature ids are
 * `indices[offsets[i] .. offsets[i + 1])`, each once, so a feature's value is 1 where listed and 0
 * elsewhere (the binarized bag of n-grams of Wang & Manning 2012).
 */
export interface SparseRows {
  count: number;
  /** `count + 1` entries: where each row starts in `indices`, and the end. */
  offsets: Int32Array;
  indices: Int32Array;
}

/** Builds rows from per-row id lists (each already free of repeats). */
export function sparseRowsFrom(rows: readonly ArrayLike<number>[]): SparseRows {
  const offsets = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) offsets[i + 1] = offsets[i]! + rows[i]!.length;
  const indices = new Int32Array(offsets[rows.length]!);
  for (let i = 0; i < rows.length; i++) indices.set(rows[i]!, offsets[i]);
  return { count: rows.length, offsets, indices };
}

/** The feature ids of row `i` (a view, not a copy). */
export const rowOf = (rows: SparseRows, i: number): Int32Array =>
  rows.indices.subarray(rows.offsets[i]!, rows.offsets[i + 1]!);
