export type PadSide = 'pre' | 'post';

export interface PadOptions {
  /** Row length; null uses the longest sequence, as Keras does. */
  maxlen?: number | null;
  padding?: PadSide;
  truncating?: PadSide;
  value?: number;
}

export interface PaddedSequences {
  /** Row-major `[rows, maxlen]` matrix of token ids. */
  data: Int32Array;
  rows: number;
  maxlen: number;
}

/**
 * Keras's `pad_sequences` into one flat Int32Array. The defaults ('pre' padding and truncation)
 * keep a review's last words next to the LSTM state the classifier reads.
 */
export function padSequences(sequences: ReadonlyArray<ArrayLike<number>>, options: PadOptions = {}): PaddedSequences {
  const padding = options.padding ?? 'pre';
  const truncating = options.truncating ?? 'pre';
  const value = options.value ?? 0;
  let maxlen = options.maxlen ?? null;
  if (maxlen === null) maxlen = sequences.reduce((m, s) => Math.max(m, s.length), 0);
  if (!Number.isInteger(maxlen) || maxlen < 1) {
    throw new Error(`maxlen must be a positive integer, got ${maxlen}`);
  }
  const rows = sequences.length;
  const data = new Int32Array(rows * maxlen);
  if (value !== 0) data.fill(value);
  for (let row = 0; row < rows; row++) {
    writePaddedRow(sequences[row]!, data, row * maxlen, maxlen, padding, truncating);
  }
  return { data, rows, maxlen };
}

/** Writes one sequence into `target[offset, offset + maxlen)`, which already holds the pad value. */
export function writePaddedRow(
  sequence: ArrayLike<number>,
  target: Int32Array,
  offset: number,
  maxlen: number,
  padding: PadSide,
  truncating: PadSide,
): void {
  const kept = Math.min(sequence.length, maxlen);
  const from = truncating === 'pre' ? sequence.length - kept : 0;
  const to = padding === 'pre' ? offset + maxlen - kept : offset;
  for (let i = 0; i < kept; i++) target[to + i] = sequence[from + i]!;
}
