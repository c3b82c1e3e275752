/**
 * The two matrix products of a training step, f32x4, register-blocked. Strides are in floats;
 * every n (columns) must be a multiple of 4 and rows start 16-byte aligned (the wrapper checks E
 * and H are multiples of 4).
 *
 * Tiles are 4 rows × 8 columns: 8 accumulators + 2 B vectors + 1 broadcast A value fit in the 16
 * vector registers V8 uses on x64 (a 4×16 tile would spill), and each k step issues 8 mul + 8 add
 * for 2 vector loads and 4 broadcast loads, so the loop is bound by arithmetic, not loads.
 * WebAssembly SIMD has no fused multiply-add (relaxed SIMD is not everywhere), hence mul then add.
 */

/**
 * C[m×n] = (accumulate ? C : 0) + A[m×k] · B[k×n], all row-major.
 * Columns outside: the 8-column panel of B (k × 32 bytes) stays in L1 while every row block of A
 * streams past it.
 */
export function gemm(
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  accumulate: bool,
): void {
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  const sc = (<usize>ldc) << 2;
  const kEnd = (<usize>k) << 2;
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const bj = b + ((<usize>j) << 2);
    const cj = c + ((<usize>j) << 2);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const a0 = a + <usize>i * sa;
      const a1 = a0 + sa;
      const a2 = a1 + sa;
      const a3 = a2 + sa;
      const c0 = cj + <usize>i * sc;
      const c1 = c0 + sc;
      const c2 = c1 + sc;
      const c3 = c2 + sc;
      let x00 = zero,
        x01 = zero,
        x10 = zero,
        x11 = zero,
        x20 = zero,
        x21 = zero,
        x30 = zero,
        x31 = zero;
      if (accumulate) {
        x00 = v128.load(c0);
        x01 = v128.load(c0, 16);
        x10 = v128.load(c1);
        x11 = v128.load(c1, 16);
        x20 = v128.load(c2);
        x21 = v128.load(c2, 16);
        x30 = v128.load(c3);
        x31 = v128.load(c3, 16);
      }
      let pb = bj;
      for (let off: usize = 0; off < kEnd; off += 4) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        pb += sb;
        let s = v128.load32_splat(a0 + off);
        x00 = f32x4.add(x00, f32x4.mul(s, b0));
        x01 = f32x4.add(x01, f32x4.mul(s, b1));
        s = v128.load32_splat(a1 + off);
        x10 = f32x4.add(x10, f32x4.mul(s, b0));
        x11 = f32x4.add(x11, f32x4.mul(s, b1));
        s = v128.load32_splat(a2 + off);
        x20 = f32x4.add(x20, f32x4.mul(s, b0));
        x21 = f32x4.add(x21, f32x4.mul(s, b1));
        s = v128.load32_splat(a3 + off);
        x30 = f32x4.add(x30, f32x4.mul(s, b0));
        x31 = f32x4.add(x31, f32x4.mul(s, b1));
      }
      v128.store(c0, x00);
      v128.store(c0, x01, 16);
      v128.store(c1, x10);
      v128.store(c1, x11, 16);
      v128.store(c2, x20);
      v128.store(c2, x21, 16);
      v128.store(c3, x30);
      v128.store(c3, x31, 16);
    }
  }
  if (j < n) {
    // The last 4 columns when n % 8 == 4.
    const bj = b + ((<usize>j) << 2);
    const cj = c + ((<usize>j) << 2);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const a0 = a + <usize>i * sa;
      const a1 = a0 + sa;
      const a2 = a1 + sa;
      const a3 = a2 + sa;
      const c0 = cj + <usize>i * sc;
      const c1 = c0 + sc;
      const c2 = c1 + sc;
      const c3 = c2 + sc;
      let x0 = accumulate ? v128.load(c0) : zero;
      let x1 = accumulate ? v128.load(c1) : zero;
      let x2 = accumulate ? v128.load(c2) : zero;
      let x3 = accumulate ? v128.load(c3) : zero;
      let pb = bj;
      for (let off: usize = 0; off < kEnd; off += 4) {
        const b0 = v128.load(pb);
        pb += sb;
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + off), b0));
        x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(a1 + off), b0));
        x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(a2 + off), b0));
        x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(a3 + off), b0));
      }
      v128.store(c0, x0);
      v128.store(c1, x1);
      v128.store(c2, x2);
      v128.store(c3, x3);
    }
  }
  // Rows past the last whole block of 4 (a batch of 1 row: one review's recurrence) go row by row.
  for (let i = m & ~3; i < m; i++) rowTimes(a + <usize>i * sa, b, sb, c + <usize>i * sc, n, kEnd, accumulate);
}

/**
 * One row of A times B into one row of C: 32 columns per pass over k, so 8 independent
 * accumulators hide the latency of the adds (with 2, a single row waits on them), then 8 and 4.
 * Each element still sums over k in order, as the 4-row tiles do.
 */
function rowTimes(a0: usize, b: usize, sb: usize, c0: usize, n: i32, kEnd: usize, accumulate: bool): void {
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 32 <= n; j += 32) {
    const cj = c0 + ((<usize>j) << 2);
    let x0 = zero,
      x1 = zero,
      x2 = zero,
      x3 = zero,
      x4 = zero,
      x5 = zero,
      x6 = zero,
      x7 = zero;
    if (accumulate) {
      x0 = v128.load(cj);
      x1 = v128.load(cj, 16);
      x2 = v128.load(cj, 32);
      x3 = v128.load(cj, 48);
      x4 = v128.load(cj, 64);
      x5 = v128.load(cj, 80);
      x6 = v128.load(cj, 96);
      x7 = v128.load(cj, 112);
    }
    let pb = b + ((<usize>j) << 2);
    for (let off: usize = 0; off < kEnd; off += 4) {
      const s = v128.load32_splat(a0 + off);
      x0 = f32x4.add(x0, f32x4.mul(s, v128.load(pb)));
      x1 = f32x4.add(x1, f32x4.mul(s, v128.load(pb, 16)));
      x2 = f32x4.add(x2, f32x4.mul(s, v128.load(pb, 32)));
      x3 = f32x4.add(x3, f32x4.mul(s, v128.load(pb, 48)));
      x4 = f32x4.add(x4, f32x4.mul(s, v128.load(pb, 64)));
      x5 = f32x4.add(x5, f32x4.mul(s, v128.load(pb, 80)));
      x6 = f32x4.add(x6, f32x4.mul(s, v128.load(pb, 96)));
      x7 = f32x4.add(x7, f32x4.mul(s, v128.load(pb, 112)));
      pb += sb;
    }
    v128.store(cj, x0);
    v128.store(cj, x1, 16);
    v128.store(cj, x2, 32);
    v128.store(cj, x3, 48);
    v128.store(cj, x4, 64);
    v128.store(cj, x5, 80);
    v128.store(cj, x6, 96);
    v128.store(cj, x7, 112);
  }
  for (; j + 4 <= n; j += 4) {
    const cj = c0 + ((<usize>j) << 2);
    let x0 = accumulate ? v128.load(cj) : zero;
    let pb = b + ((<usize>j) << 2);
    for (let off: usize = 0; off < kEnd; off += 4) {
      x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + off), v128.load(pb)));
      pb += sb;
    }
    v128.store(cj, x0);
  }
}

/**
 * C[k×n] += Aᵀ · B for A [rows×k] and B [rows×n] row-major, k % 4 == 0: the weight gradients
 * (Σ over positions of inputᵀ · dz) without transposing anything. Each 4×8 tile of C stays in
 * registers over all rows; per row it reads 4 consecutive floats of A and 8 of B.
 */
export function gemmAtB(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, rows: i32, k: i32, n: i32): void {
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  const sc = (<usize>ldc) << 2;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    for (let kk = 0; kk + 4 <= k; kk += 4) {
      const c0 = c + <usize>kk * sc + ((<usize>j) << 2);
      const c1 = c0 + sc;
      const c2 = c1 + sc;
      const c3 = c2 + sc;
      let x00 = v128.load(c0),
        x01 = v128.load(c0, 16),
        x10 = v128.load(c1),
        x11 = v128.load(c1, 16),
        x20 = v128.load(c2),
        x21 = v128.load(c2, 16),
        x30 = v128.load(c3),
        x31 = v128.load(c3, 16);
      let pa = a + ((<usize>kk) << 2);
      let pb = b + ((<usize>j) << 2);
      for (let r = 0; r < rows; r++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let s = v128.load32_splat(pa);
        x00 = f32x4.add(x00, f32x4.mul(s, b0));
        x01 = f32x4.add(x01, f32x4.mul(s, b1));
        s = v128.load32_splat(pa, 4);
        x10 = f32x4.add(x10, f32x4.mul(s, b0));
        x11 = f32x4.add(x11, f32x4.mul(s, b1));
        s = v128.load32_splat(pa, 8);
        x20 = f32x4.add(x20, f32x4.mul(s, b0));
        x21 = f32x4.add(x21, f32x4.mul(s, b1));
        s = v128.load32_splat(pa, 12);
        x30 = f32x4.add(x30, f32x4.mul(s, b0));
        x31 = f32x4.add(x31, f32x4.mul(s, b1));
        pa += sa;
        pb += sb;
      }
      v128.store(c0, x00);
      v128.store(c0, x01, 16);
      v128.store(c1, x10);
      v128.store(c1, x11, 16);
      v128.store(c2, x20);
      v128.store(c2, x21, 16);
      v128.store(c3, x30);
      v128.store(c3, x31, 16);
    }
  }
  if (j < n) {
    for (let kk = 0; kk + 4 <= k; kk += 4) {
      const c0 = c + <usize>kk * sc + ((<usize>j) << 2);
      const c1 = c0 + sc;
      const c2 = c1 + sc;
      const c3 = c2 + sc;
      let x0 = v128.load(c0),
        x1 = v128.load(c1),
        x2 = v128.load(c2),
        x3 = v128.load(c3);
      let pa = a + ((<usize>kk) << 2);
      let pb = b + ((<usize>j) << 2);
      for (let r = 0; r < rows; r++) {
        const b0 = v128.load(pb);
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(pa), b0));
        x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(pa, 4), b0));
        x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(pa, 8), b0));
        x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(pa, 12), b0));
        pa += sa;
        pb += sb;
      }
      v128.store(c0, x0);
      v128.store(c1, x1);
      v128.store(c2, x2);
      v128.store(c3, x3);
    }
  }
}
