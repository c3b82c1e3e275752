/**
 * f32x4 maths for the LSTM kernels. Static methods of a class only because `@inline` is valid
 * TypeScript syntax on methods (Prettier and ESLint parse it) but not on top-level functions.
 */

/** Below this magnitude a gradient or optimizer accumulator is set to 0 (see `flush`). */
const TINY: f32 = 1e-30;

export class Simd {
  /**
   * e^x, Cephes expf: x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for e^r, 2^n from the
   * exponent bits. Relative error ~1e-7. x is clamped to ±87 so 2^n stays a normal float and no
   * sigmoid of a large negative input ends up subnormal (tfjs would give 0 or a subnormal there:
   * the difference is below 1e-37).
   */
  @inline static exp(v: v128): v128 {
    const x = f32x4.min(f32x4.max(v, f32x4.splat(-87.0)), f32x4.splat(87.0));
    const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.4426950408889634)));
    // ln2 split in two (Cody–Waite) so x - n·ln2 keeps its low bits.
    let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
    r = f32x4.add(r, f32x4.mul(n, f32x4.splat(2.1219444e-4)));
    const r2 = f32x4.mul(r, r);
    let y = f32x4.splat(1.98756915e-4);
    y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
    y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
    y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
    y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
    y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
    y = f32x4.add(f32x4.add(f32x4.mul(y, r2), r), f32x4.splat(1.0));
    const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
    return f32x4.mul(y, scale);
  }

  @inline static sigmoid(x: v128): v128 {
    const one = f32x4.splat(1.0);
    return f32x4.div(one, f32x4.add(one, Simd.exp(f32x4.neg(x))));
  }

  /**
   * tanh: Cephes tanhf's odd polynomial below |x| = 0.625 (where 1 - 2/(e^2x + 1) would lose
   * its low bits to cancellation), that formula above; the sign is put back from x.
   */
  @inline static tanh(x: v128): v128 {
    const one = f32x4.splat(1.0);
    const ax = f32x4.abs(x);
    const e = Simd.exp(f32x4.add(ax, ax));
    const large = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
    const z = f32x4.mul(ax, ax);
    let p = f32x4.splat(-5.70498872745e-3);
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
    const small = f32x4.add(ax, f32x4.mul(f32x4.mul(ax, z), p));
    const magnitude = v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(0.625)));
    return v128.or(magnitude, v128.and(x, i32x4.splat(0x80000000)));
  }

  /**
   * WebAssembly has no flush-to-zero mode, and subnormal floats make x86 arithmetic ~100x slower.
   * Gradients carried back through 100+ timesteps (and optimizer accumulators of rows that stop
   * getting gradients) decay into that range, so they are set to 0 below 1e-30: 8 orders of
   * magnitude above the subnormals, far below anything that changes a float32 weight.
   */
  @inline static flush(x: v128): v128 {
    return v128.and(x, f32x4.ge(f32x4.abs(x), f32x4.splat(TINY)));
  }

  @inline static flushScalar(x: f32): f32 {
    return Mathf.abs(x) < TINY ? 0 : x;
  }
}
