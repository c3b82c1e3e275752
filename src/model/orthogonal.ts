import { seededRandom } from '../data/random';

/** Standard normal samples from a seeded uniform generator (Box–Muller). */
function gaussian(random: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = random();
    const v = random();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}

/**
 * A random orthogonal matrix of shape [rows, cols], row-major, as Keras's `Orthogonal` initializer
 * makes it: QR of a Gaussian matrix, Q's columns signed by diag(R), transposed when rows < cols.
 * Plain JavaScript on the CPU: tfjs's own initializer takes tens of seconds for 128×512 on WebGL.
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number, gain = 1): Float32Array {
  const tall = Math.max(rows, cols);
  const narrow = Math.min(rows, cols);
  const normal = gaussian(seededRandom(seed));
  // Columns of the tall [tall, narrow] Gaussian matrix, orthonormalised by modified Gram–Schmidt
  // in float64 (equivalent to Householder QR with R's diagonal made positive).
  const q: Float64Array[] = [];
  for (let j = 0; j < narrow; j++) {
    const column = new Float64Array(tall);
    for (let i = 0; i < tall; i++) column[i] = normal();
    for (let pass = 0; pass < 2; pass++) {
      for (const previous of q) {
        let dot = 0;
        for (let i = 0; i < tall; i++) dot += previous[i]! * column[i]!;
        for (let i = 0; i < tall; i++) column[i]! -= dot * previous[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < tall; i++) norm += column[i]! * column[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < tall; i++) column[i]! /= norm;
    q.push(column);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // q is [tall, narrow]; the result is q itself when rows >= cols, else its transpose.
      out[r * cols + c] = gain * (rows >= cols ? q[c]![r]! : q[r]![c]!);
    }
  }
  return out;
}
