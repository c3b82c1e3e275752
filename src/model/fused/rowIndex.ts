/**
 * Which positions read each row of a table, grouped by row and, within a row, by chunk of
 * positions (compressed sparse rows over (row, chunk) pairs): entries `offsets[r·C + c]` to
 * `offsets[r·C + c + 1]` of `order` are the positions of chunk c that read row r, ascending, each
 * given relative to its chunk's start. The fused engine's projection gradient adds each position's
 * gradient into its token's row on the GPU with it, in one shader pass, instead of reading every
 * position's gradient back to the CPU; grouping by chunk lets the shader read each chunk's
 * gradients from one texture in a loop of its own.
 */
export interface RowIndex {
  /** `rows · chunks + 1` entries. */
  offsets: Int32Array;
  order: Int32Array;
  chunks: number;
}

/**
 * The index of positions `from … to − 1` of `rowOfPosition` into a table of `rows` rows, the
 * positions cut into chunks of `chunkPositions` from `from`. Negative entries (padding that reads
 * no row) are left out.
 */
export function buildRowIndex(
  rowOfPosition: Int32Array,
  rows: number,
  from: number,
  to: number,
  chunkPositions: number = to - from,
): RowIndex {
  const chunks = Math.max(1, Math.ceil((to - from) / chunkPositions));
  const key = (p: number, row: number) => row * chunks + Math.floor((p - from) / chunkPositions);
  const offsets = new Int32Array(rows * chunks + 1);
  for (let p = from; p < to; p++) {
    const row = rowOfPosition[p]!;
    if (row >= rows) throw new Error(`Position ${p} reads row ${row} of a table of ${rows}`);
    if (row >= 0) offsets[key(p, row) + 1]!++;
  }
  for (let k = 0; k < rows * chunks; k++) offsets[k + 1]! += offsets[k]!;
  const next = offsets.slice(0, rows * chunks);
  const order = new Int32Array(offsets[rows * chunks]!);
  for (let p = from; p < to; p++) {
    const row = rowOfPosition[p]!;
    if (row >= 0) order[next[key(p, row)]!++] = (p - from) % chunkPositions;
  }
  return { offsets, order, chunks };
}
