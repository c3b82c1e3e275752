/**
 * Which positions read each row of a table (compressed sparse rows): entries `offsets[r]` to
 * `offsets[r + 1]` of `order` are the positions that read row r, ascending, relative to the first
 * position indexed. The fused engine's projection gradient adds each position's gradient into its
 * token's row on the GPU with it, in one shader pass, instead of reading every position's gradient
 * back to the CPU.
 */
export interface RowIndex {
  /** `rows + 1` entries. */
  offsets: Int32Array;
  order: Int32Array;
}

/**
 * The index of positions `from … to − 1` of `rowOfPosition` into a table of `rows` rows. Negative
 * entries (padding that reads no row) are left out.
 */
export function buildRowIndex(rowOfPosition: Int32Array, rows: number, from: number, to: number): RowIndex {
  const offsets = new Int32Array(rows + 1);
  for (let p = from; p < to; p++) {
    const row = rowOfPosition[p]!;
    if (row >= rows) throw new Error(`Position ${p} reads row ${row} of a table of ${rows}`);
    if (row >= 0) offsets[row + 1]!++;
  }
  for (let r = 0; r < rows; r++) offsets[r + 1]! += offsets[r]!;
  const next = offsets.slice(0, rows);
  const order = new Int32Array(offsets[rows]!);
  for (let p = from; p < to; p++) {
    const row = rowOfPosition[p]!;
    if (row >= 0) order[next[row]!++] = p - from;
  }
  return { offsets, order };
}
