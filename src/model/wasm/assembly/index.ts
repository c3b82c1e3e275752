/**
 * One training step of Embedding(V, E) → LSTM(H, tanh, sigmoid gates) → Dense(1, sigmoid) with
 * binary cross-entropy, in four phases over one memory laid out by the TypeScript wrapper (the
 * header's slots are in ../layout.ts). Each phase takes a thread index and works on its share, so
 * the same code runs on one thread or on several instances sharing a memory; between phases every
 * thread must have finished the previous one:
 *
 *   1. phasePrepare: zero this thread's gradient block, pack Uᵀ and Wᵀ, project the batch's
 *      distinct tokens (P = emb[token] · W + b: one matrix product, not one per timestep).
 *   2. phaseForwardBackward(rows [from, to)): the recurrence forward, the loss head, and
 *      backward through time for those sequences into this thread's partial gradients.
 *   3. phaseEmbedding: per distinct token dP = Σ dz over its positions; its embedding gradient
 *      row dP · Wᵀ and its share of the kernel gradient embᵀ · dP.
 *   4. phaseOptimize: sum the threads' partial gradients and apply the optimizer to the dense
 *      weights and to every embedding row (tfjs updates the whole variable each step).
 *
 * Gate order i, f, g (cell candidate), o, as Keras and tfjs store the kernels.
 */
import { Cfg } from './header';
import { Simd } from './simd';
import { gemm, gemmAtB } from './matmul';
import {
  OPTIMIZER_ADAM,
  OPTIMIZER_RMSPROP,
  SLOT_BATCH,
  SLOT_CELL,
  SLOT_CHUNK,
  SLOT_CSR_POS,
  SLOT_CSR_START,
  SLOT_DC,
  SLOT_DENSE,
  SLOT_DENSE_COUNT,
  SLOT_DENSE_STRIDE,
  SLOT_DH,
  SLOT_DH_MASKED,
  SLOT_DLOGIT,
  SLOT_EMB,
  SLOT_EMBED,
  SLOT_EPSILON,
  SLOT_FIRST_STEP,
  SLOT_GATES,
  SLOT_GEMB,
  SLOT_GRAD,
  SLOT_HIDDEN,
  SLOT_LABELS,
  SLOT_IDS,
  SLOT_LR,
  SLOT_MASK_ZERO,
  SLOT_MAXLEN,
  SLOT_NEG_LR,
  SLOT_ONE_MINUS_ACC_B1,
  SLOT_ONE_MINUS_ACC_B2,
  SLOT_ONE_MINUS_P1,
  SLOT_ONE_MINUS_P2,
  SLOT_OPTIMIZER,
  SLOT_P1,
  SLOT_P2,
  SLOT_POS_UNIQUE,
  SLOT_PROB,
  SLOT_PROJ,
  SLOT_ROWS,
  SLOT_ROW_MAP,
  SLOT_S1_DENSE,
  SLOT_S1_EMB,
  SLOT_S2_DENSE,
  SLOT_S2_EMB,
  SLOT_SCRATCH,
  SLOT_SCRATCH_STRIDE,
  SLOT_TANHC,
  SLOT_THREADS,
  SLOT_UNIQ_TOKEN,
  SLOT_UNIQUE,
  SLOT_UNITS,
  SLOT_UT,
  SLOT_VOCAB,
  SLOT_WT,
  SLOT_ZERO,
} from '../layout';

export { gemm, gemmAtB };
export { classifyProjectAhead, classifyRow, classifyWarmUp } from './classify';

/**
 * Embedding mask_zero, as tfjs's LSTM applies it: at a step whose id is 0 the state carries over
 * (h_t = h_{t-1}, c_t = c_{t-1}; zeros before a row's first word) and no gradient reaches that
 * step's gates or input. Steps before the batch's first read step are masked for every row: the
 * passes skip them, so a batch of short reviews costs only its own length.
 */
class Mask {
  @inline static on(cfg: usize): bool {
    return Cfg.int(cfg, SLOT_MASK_ZERO) != 0;
  }
  /** The first timestep the passes run (0 without masking). */
  @inline static firstStep(cfg: usize): i32 {
    return Mask.on(cfg) ? Cfg.int(cfg, SLOT_FIRST_STEP) : 0;
  }
  /**
   * One past the last row of [from, to) that reads a word at step t: the matrix products of step t
   * run over [from, end) only. Rows after it are masked (their state carries over, their gradient
   * is 0). Length-bucketed batches come sorted longest first, so under pre-padding this is tight.
   */
  static activeEnd(cfg: usize, from: i32, to: i32, t: i32): i32 {
    if (!Mask.on(cfg)) return to;
    for (let b = to - 1; b >= from; b--) if (!Mask.masked(cfg, b, t)) return b + 1;
    return from;
  }
  @inline static masked(cfg: usize, b: i32, t: i32): bool {
    return (
      Mask.on(cfg) &&
      load<i32>(Cfg.ptr(cfg, SLOT_IDS) + ((<usize>b * <usize>Cfg.int(cfg, SLOT_MAXLEN) + <usize>t) << 2)) == 0
    );
  }
}

/** Where a thread's per-thread blocks start. */
class Blocks {
  @inline static grad(cfg: usize, thread: i32): usize {
    return Cfg.ptr(cfg, SLOT_GRAD) + ((<usize>thread * <usize>Cfg.int(cfg, SLOT_DENSE_STRIDE)) << 2);
  }
  @inline static scratch(cfg: usize, thread: i32): usize {
    return Cfg.ptr(cfg, SLOT_SCRATCH) + <usize>thread * <usize>Cfg.int(cfg, SLOT_SCRATCH_STRIDE);
  }
}

/** The layout's memory starts after the module's own static data. */
export function heapBase(): usize {
  return __heap_base;
}

export function phasePrepare(cfg: usize, thread: i32, threads: i32): void {
  const E = Cfg.int(cfg, SLOT_EMBED);
  const H = Cfg.int(cfg, SLOT_UNITS);
  const G = 4 * H;
  const gradBytes = (<usize>Cfg.int(cfg, SLOT_DENSE_STRIDE)) << 2;
  memory.fill(Blocks.grad(cfg, thread), 0, gradBytes);
  // phaseOptimize sums every block the layout has: with fewer threads running than it has
  // blocks, the idle ones must hold zeros too.
  if (thread == 0) {
    for (let k = threads; k < Cfg.int(cfg, SLOT_THREADS); k++) memory.fill(Blocks.grad(cfg, k), 0, gradBytes);
  }

  const W = Cfg.ptr(cfg, SLOT_DENSE);
  const U = W + ((<usize>E * G) << 2);
  // Uᵀ and Wᵀ, rows [j0, j1) of [4H, ·]: the backward products read them row by row. Scalar,
  // 2·(E + H)·4H floats: noise next to the step.
  const UT = Cfg.ptr(cfg, SLOT_UT);
  const WT = Cfg.ptr(cfg, SLOT_WT);
  const j1 = Cfg.split(G, thread + 1, threads);
  for (let j = Cfg.split(G, thread, threads); j < j1; j++) {
    for (let k = 0; k < H; k++) {
      store<f32>(UT + ((<usize>j * H + k) << 2), load<f32>(U + ((<usize>k * G + j) << 2)));
    }
    for (let e = 0; e < E; e++) {
      store<f32>(WT + ((<usize>j * E + e) << 2), load<f32>(W + ((<usize>e * G + j) << 2)));
    }
  }

  projectTokens(cfg, thread, threads);
}

/** Phase 1 for predictions: only the projections of the batch's distinct tokens (no gradients, no transposes). */
export function phasePrepareForward(cfg: usize, thread: i32, threads: i32): void {
  projectTokens(cfg, thread, threads);
}

/**
 * P[u] = emb[token u] · W + b for this thread's share of the distinct tokens, `chunk` rows at a
 * time gathered into scratch so the product reads a contiguous A.
 */
function projectTokens(cfg: usize, thread: i32, threads: i32): void {
  const E = Cfg.int(cfg, SLOT_EMBED);
  const G = 4 * Cfg.int(cfg, SLOT_UNITS);
  const W = Cfg.ptr(cfg, SLOT_DENSE);
  const bias = W + ((<usize>(E + Cfg.int(cfg, SLOT_UNITS)) * G) << 2);
  const unique = Cfg.int(cfg, SLOT_UNIQUE);
  const u1 = Cfg.split(unique, thread + 1, threads);
  const chunk = Cfg.int(cfg, SLOT_CHUNK);
  const xs = Blocks.scratch(cfg, thread);
  const emb = Cfg.ptr(cfg, SLOT_EMB);
  const tokens = Cfg.ptr(cfg, SLOT_UNIQ_TOKEN);
  const proj = Cfg.ptr(cfg, SLOT_PROJ);
  const rowBytes = (<usize>E) << 2;
  const gateBytes = (<usize>G) << 2;
  for (let u = Cfg.split(unique, thread, threads); u < u1; u += chunk) {
    const count = min(chunk, u1 - u);
    for (let r = 0; r < count; r++) {
      const token = <usize>load<i32>(tokens + ((<usize>(u + r)) << 2));
      memory.copy(xs + <usize>r * rowBytes, emb + token * rowBytes, rowBytes);
      memory.copy(proj + <usize>(u + r) * gateBytes, bias, gateBytes);
    }
    gemm(xs, E, W, G, proj + <usize>u * gateBytes, G, count, G, E, true);
  }
}

/**
 * The forward recurrence of rows [from, to): gates, cell, tanh(cell) and hidden state of every
 * timestep, kept for the backward pass (record t·B + b holds row b's values at timestep t).
 */
function forward(cfg: usize, from: i32, to: i32): void {
  const B = Cfg.int(cfg, SLOT_BATCH);
  const L = Cfg.int(cfg, SLOT_MAXLEN);
  const E = Cfg.int(cfg, SLOT_EMBED);
  const H = Cfg.int(cfg, SLOT_UNITS);
  const G = 4 * H;
  const hBytes = (<usize>H) << 2;
  const gBytes = (<usize>G) << 2;
  const W = Cfg.ptr(cfg, SLOT_DENSE);
  const U = W + <usize>E * gBytes;
  const gates = Cfg.ptr(cfg, SLOT_GATES);
  const cell = Cfg.ptr(cfg, SLOT_CELL);
  const tanhc = Cfg.ptr(cfg, SLOT_TANHC);
  const hidden = Cfg.ptr(cfg, SLOT_HIDDEN);
  const proj = Cfg.ptr(cfg, SLOT_PROJ);
  const posUnique = Cfg.ptr(cfg, SLOT_POS_UNIQUE);
  // Row of zeros (at least H floats): c_{-1}, so step 0 needs no branch of its own.
  const zeroRow = Cfg.ptr(cfg, SLOT_ZERO);
  const hOff: usize = (<usize>H) << 2;
  const fOff: usize = hOff;
  const gOff: usize = hOff * 2;
  const oOff: usize = hOff * 3;

  // The rows [from, to) of one timestep are contiguous: one matrix product h(t-1) · U per step.
  const t0 = Mask.firstStep(cfg);
  for (let t = t0; t < L; t++) {
    const rec0 = <usize>t * B + from;
    for (let b = from; b < to; b++) {
      const u = <usize>load<i32>(posUnique + ((<usize>b * L + t) << 2));
      memory.copy(gates + (<usize>t * B + b) * gBytes, proj + u * gBytes, gBytes);
    }
    const active = Mask.activeEnd(cfg, from, to, t);
    if (t > t0 && active > from)
      gemm(hidden + (rec0 - B) * hBytes, H, U, G, gates + rec0 * gBytes, G, active - from, G, H, true);
    for (let b = from; b < to; b++) {
      const rec = <usize>t * B + b;
      const z = gates + rec * gBytes;
      const c = cell + rec * hBytes;
      const tc = tanhc + rec * hBytes;
      const h = hidden + rec * hBytes;
      if (Mask.masked(cfg, b, t)) {
        // The state carries over; the gates are never read (backward gives this step dz = 0).
        if (t > t0) {
          const back = <usize>B * hBytes;
          memory.copy(c, c - back, hBytes);
          memory.copy(tc, tc - back, hBytes);
          memory.copy(h, h - back, hBytes);
        } else {
          memory.fill(c, 0, hBytes);
          memory.fill(tc, 0, hBytes);
          memory.fill(h, 0, hBytes);
        }
        continue;
      }
      const cPrev = t > t0 ? c - <usize>B * hBytes : zeroRow;
      for (let j: usize = 0; j < hOff; j += 16) {
        const i = Simd.sigmoid(v128.load(z + j));
        const f = Simd.sigmoid(v128.load(z + fOff + j));
        const g = Simd.tanh(v128.load(z + gOff + j));
        const o = Simd.sigmoid(v128.load(z + oOff + j));
        const cNew = f32x4.add(f32x4.mul(f, v128.load(cPrev + j)), f32x4.mul(i, g));
        const tcNew = Simd.tanh(cNew);
        v128.store(z + j, i);
        v128.store(z + fOff + j, f);
        v128.store(z + gOff + j, g);
        v128.store(z + oOff + j, o);
        v128.store(c + j, cNew);
        v128.store(tc + j, tcNew);
        v128.store(h + j, f32x4.mul(o, tcNew));
      }
    }
  }
}

/** P(positive) of rows [from, to) after `forward`: sigmoid(h_L · w + b), as tfjs's cpu backend computes it. */
function headProbabilities(cfg: usize, from: i32, to: i32): void {
  const B = Cfg.int(cfg, SLOT_BATCH);
  const L = Cfg.int(cfg, SLOT_MAXLEN);
  const E = Cfg.int(cfg, SLOT_EMBED);
  const H = Cfg.int(cfg, SLOT_UNITS);
  const hBytes = (<usize>H) << 2;
  const gBytes = (<usize>(4 * H)) << 2;
  const denseKernel = Cfg.ptr(cfg, SLOT_DENSE) + <usize>E * gBytes + <usize>H * gBytes + gBytes;
  const denseBias = load<f32>(denseKernel + hBytes);
  const hidden = Cfg.ptr(cfg, SLOT_HIDDEN);
  const prob = Cfg.ptr(cfg, SLOT_PROB);
  const lastRec = <usize>(L - 1) * B;
  for (let b = from; b < to; b++) {
    const h = hidden + (lastRec + b) * hBytes;
    let acc = f32x4.splat(0);
    for (let j: usize = 0; j < hBytes; j += 16)
      acc = f32x4.add(acc, f32x4.mul(v128.load(h + j), v128.load(denseKernel + j)));
    const logit =
      f32x4.extract_lane(acc, 0) +
      f32x4.extract_lane(acc, 1) +
      f32x4.extract_lane(acc, 2) +
      f32x4.extract_lane(acc, 3) +
      denseBias;
    // tfjs's cpu sigmoid is 1 / (1 + Math.exp(-x)) in float64, rounded to float32.
    store<f32>(prob + ((<usize>b) << 2), <f32>(1.0 / (1.0 + Math.exp(-(<f64>logit)))));
  }
}

/**
 * Phase 2 for predictions: the forward pass of rows [from, to) and their probabilities, nothing
 * kept for a backward pass and no gradient touched (phasePrepare must have run).
 */
export function phaseForward(cfg: usize, thread: i32, from: i32, to: i32): void {
  if (from >= to) return;
  forward(cfg, from, to);
  headProbabilities(cfg, from, to);
}

/** Returns how many leading timesteps the backward pass skipped (see the early exit), for benchmarks. */
export function phaseForwardBackward(cfg: usize, thread: i32, from: i32, to: i32): i32 {
  if (from >= to) return 0;
  const B = Cfg.int(cfg, SLOT_BATCH);
  const L = Cfg.int(cfg, SLOT_MAXLEN);
  const E = Cfg.int(cfg, SLOT_EMBED);
  const H = Cfg.int(cfg, SLOT_UNITS);
  const G = 4 * H;
  const rows = to - from;
  const hBytes = (<usize>H) << 2;
  const gBytes = (<usize>G) << 2;
  const W = Cfg.ptr(cfg, SLOT_DENSE);
  const U = W + <usize>E * gBytes;
  const denseKernel = U + <usize>H * gBytes + gBytes;
  const UT = Cfg.ptr(cfg, SLOT_UT);
  const gates = Cfg.ptr(cfg, SLOT_GATES);
  const cell = Cfg.ptr(cfg, SLOT_CELL);
  const tanhc = Cfg.ptr(cfg, SLOT_TANHC);
  const hidden = Cfg.ptr(cfg, SLOT_HIDDEN);
  // Row of zeros (at least H floats): c_{-1}, so step 0 needs no branch of its own.
  const zeroRow = Cfg.ptr(cfg, SLOT_ZERO);
  const hOff: usize = (<usize>H) << 2;
  const fOff: usize = hOff;
  const gOff: usize = hOff * 2;
  const oOff: usize = hOff * 3;

  forward(cfg, from, to);

  // ---- Head: p = sigmoid(h_L · w + b), loss = -mean(y log p + (1-y) log(1-p)) with p clipped
  // to [1e-7, 1 - 1e-7] as Keras and ../../loss.ts do; the clip passes no gradient outside.
  const grad = Blocks.grad(cfg, thread);
  const gradU = grad + <usize>E * gBytes;
  const gradBias = gradU + <usize>H * gBytes;
  const gradDenseKernel = gradBias + gBytes;
  const labels = Cfg.ptr(cfg, SLOT_LABELS);
  const prob = Cfg.ptr(cfg, SLOT_PROB);
  const dlogits = Cfg.ptr(cfg, SLOT_DLOGIT);
  const dhAll = Cfg.ptr(cfg, SLOT_DH);
  const dcAll = Cfg.ptr(cfg, SLOT_DC);
  const scale: f32 = -1.0 / <f32>Cfg.int(cfg, SLOT_ROWS);
  const low: f32 = 1e-7;
  const high: f32 = <f32>(1 - 1e-7);
  let gradDenseBias: f32 = 0;
  const lastRec = <usize>(L - 1) * B;
  headProbabilities(cfg, from, to);
  for (let b = from; b < to; b++) {
    const h = hidden + (lastRec + b) * hBytes;
    const p = load<f32>(prob + ((<usize>b) << 2));
    const y = load<f32>(labels + ((<usize>b) << 2));
    let dp: f32 = 0;
    if (p >= low && p <= high) dp = (scale * y) / p - (scale * (1 - y)) / (1 - p);
    const dlogit = dp * p * (1 - p);
    store<f32>(dlogits + ((<usize>b) << 2), dlogit);
    gradDenseBias += dlogit;
    const dl = f32x4.splat(dlogit);
    const dh = dhAll + <usize>b * hBytes;
    for (let j: usize = 0; j < hOff; j += 16) {
      v128.store(gradDenseKernel + j, f32x4.add(v128.load(gradDenseKernel + j), f32x4.mul(dl, v128.load(h + j))));
      v128.store(dh + j, f32x4.mul(dl, v128.load(denseKernel + j)));
    }
    memory.fill(dcAll + <usize>b * hBytes, 0, hBytes);
  }
  store<f32>(gradDenseKernel + hBytes, load<f32>(gradDenseKernel + hBytes) + gradDenseBias);

  // ---- Backward through time. At step t, with dh = dL/dh_t and dc = dL/dc_t from later steps:
  //   dc += dh·o·(1 - tanh²c);  dz_i = dc·g·i(1-i);  dz_f = dc·c_{t-1}·f(1-f);
  //   dz_g = dc·i·(1-g²);  dz_o = dh·tanh(c)·o(1-o);  dc_{t-1} = dc·f;  dh_{t-1} = dz · Uᵀ.
  // dz overwrites the gates of step t (not needed any more); Σ_t h_{t-1}ᵀ·dz_t is dU.
  const dhRows = dhAll + <usize>from * hBytes;
  const dhMasked = Cfg.ptr(cfg, SLOT_DH_MASKED);
  const one = f32x4.splat(1.0);
  const zero = f32x4.splat(0);
  const t0 = Mask.firstStep(cfg);
  let skipped = t0;
  let t = L - 1;
  for (; t >= t0; t--) {
    const rec0 = <usize>t * B + from;
    // Lanes where dz_t or dc_{t-1} is not 0 (see the early exit below).
    let live = i32x4.splat(0);
    let anyMasked = false;
    for (let b = from; b < to; b++) {
      const rec = <usize>t * B + b;
      const z = gates + rec * gBytes;
      const dh = dhAll + <usize>b * hBytes;
      const dcp = dcAll + <usize>b * hBytes;
      if (Mask.masked(cfg, b, t)) {
        // No gradient for this step's gates; dh and dc pass to step t-1 unchanged (dh is kept
        // aside from the product below, which writes every row).
        memory.fill(z, 0, gBytes);
        memory.copy(dhMasked + <usize>b * hBytes, dh, hBytes);
        anyMasked = true;
        for (let j: usize = 0; j < hOff; j += 16) {
          const carried = v128.or(f32x4.ne(v128.load(dh + j), zero), f32x4.ne(v128.load(dcp + j), zero));
          live = v128.or(live, carried);
        }
        continue;
      }
      const tc = tanhc + rec * hBytes;
      const cPrev = t > t0 ? cell + (rec - B) * hBytes : zeroRow;
      for (let j: usize = 0; j < hOff; j += 16) {
        const i = v128.load(z + j);
        const f = v128.load(z + fOff + j);
        const g = v128.load(z + gOff + j);
        const o = v128.load(z + oOff + j);
        const tcv = v128.load(tc + j);
        const dhv = Simd.flush(v128.load(dh + j));
        const dc = f32x4.add(v128.load(dcp + j), f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(tcv, tcv))));
        const cp = v128.load(cPrev + j);
        const dzi = f32x4.mul(f32x4.mul(dc, g), f32x4.mul(i, f32x4.sub(one, i)));
        const dzf = f32x4.mul(f32x4.mul(dc, cp), f32x4.mul(f, f32x4.sub(one, f)));
        const dzg = f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g)));
        const dzo = f32x4.mul(f32x4.mul(dhv, tcv), f32x4.mul(o, f32x4.sub(one, o)));
        const zi = Simd.flush(dzi);
        const zf = Simd.flush(dzf);
        const zg = Simd.flush(dzg);
        const zo = Simd.flush(dzo);
        const dcNext = Simd.flush(f32x4.mul(dc, f));
        v128.store(z + j, zi);
        v128.store(z + fOff + j, zf);
        v128.store(z + gOff + j, zg);
        v128.store(z + oOff + j, zo);
        v128.store(dcp + j, dcNext);
        const nonzero = v128.or(v128.or(f32x4.ne(zi, zero), f32x4.ne(zf, zero)), f32x4.ne(zg, zero));
        live = v128.or(live, v128.or(v128.or(nonzero, f32x4.ne(zo, zero)), f32x4.ne(dcNext, zero)));
      }
    }
    if (!v128.any_true(live)) {
      // Every dz_t and dc_{t-1} of these rows is exactly 0 (flushed), so dh_{t-1} = dz_t · Uᵀ is 0
      // too and so is everything before: write dz = 0 for the earlier steps (the embedding phase
      // reads them) and stop. Exact, and with fast-decaying gradients it skips most of the
      // backward pass.
      skipped = t;
      break;
    }
    const dz = gates + rec0 * gBytes;
    // db += Σ_rows dz.
    for (let b = 0; b < rows; b++) {
      const zb = dz + <usize>b * gBytes;
      for (let j: usize = 0; j < gBytes; j += 16) {
        v128.store(gradBias + j, f32x4.add(v128.load(gradBias + j), v128.load(zb + j)));
      }
    }
    // Rows from `active` on are masked at t: dz = 0, and their dh is left as it is (it carries over).
    const active = Mask.activeEnd(cfg, from, to, t);
    if (t > t0 && active > from) {
      gemm(dz, G, UT, H, dhRows, H, active - from, H, G, false);
      gemmAtB(hidden + (rec0 - B) * hBytes, H, dz, G, gradU, G, active - from, H, G);
      if (anyMasked)
        for (let b = from; b < active; b++)
          if (Mask.masked(cfg, b, t)) memory.copy(dhAll + <usize>b * hBytes, dhMasked + <usize>b * hBytes, hBytes);
    }
  }
  // After an early exit the steps not run backward give their positions dz = 0 (the embedding
  // phase reads them). Steps before the batch's first read step are masked: it never reads those.
  for (let s = t0; s <= t; s++) memory.fill(gates + (<usize>s * B + from) * gBytes, 0, <usize>rows * gBytes);
  return skipped;
}

export function phaseEmbedding(cfg: usize, thread: i32, threads: i32): void {
  const E = Cfg.int(cfg, SLOT_EMBED);
  const G = 4 * Cfg.int(cfg, SLOT_UNITS);
  const eBytes = (<usize>E) << 2;
  const gBytes = (<usize>G) << 2;
  const unique = Cfg.int(cfg, SLOT_UNIQUE);
  const u1 = Cfg.split(unique, thread + 1, threads);
  const chunk = Cfg.int(cfg, SLOT_CHUNK);
  const xs = Blocks.scratch(cfg, thread);
  const dp = xs + <usize>chunk * eBytes;
  const emb = Cfg.ptr(cfg, SLOT_EMB);
  const tokens = Cfg.ptr(cfg, SLOT_UNIQ_TOKEN);
  const starts = Cfg.ptr(cfg, SLOT_CSR_START);
  const positions = Cfg.ptr(cfg, SLOT_CSR_POS);
  const gates = Cfg.ptr(cfg, SLOT_GATES);
  const gEmb = Cfg.ptr(cfg, SLOT_GEMB);
  const WT = Cfg.ptr(cfg, SLOT_WT);
  const gradW = Blocks.grad(cfg, thread);
  for (let u = Cfg.split(unique, thread, threads); u < u1; u += chunk) {
    const count = min(chunk, u1 - u);
    for (let r = 0; r < count; r++) {
      const token = <usize>load<i32>(tokens + ((<usize>(u + r)) << 2));
      memory.copy(xs + <usize>r * eBytes, emb + token * eBytes, eBytes);
      // dP = Σ dz over the token's positions (none for the padding id under mask_zero).
      const out = dp + <usize>r * gBytes;
      const q0 = load<i32>(starts + ((<usize>(u + r)) << 2));
      const q1 = load<i32>(starts + ((<usize>(u + r + 1)) << 2));
      if (q0 == q1) {
        memory.fill(out, 0, gBytes);
        continue;
      }
      memory.copy(out, gates + <usize>load<i32>(positions + ((<usize>q0) << 2)) * gBytes, gBytes);
      for (let q = q0 + 1; q < q1; q++) {
        const src = gates + <usize>load<i32>(positions + ((<usize>q) << 2)) * gBytes;
        for (let j: usize = 0; j < gBytes; j += 16) {
          v128.store(out + j, f32x4.add(v128.load(out + j), v128.load(src + j)));
        }
      }
    }
    // The token's embedding gradient: Σ_positions dz · Wᵀ = dP · Wᵀ.
    gemm(dp, G, WT, E, gEmb + <usize>u * eBytes, E, count, E, G, false);
    // dW += Σ_positions xᵀ · dz = Σ_tokens emb[token]ᵀ · dP.
    gemmAtB(xs, E, dp, G, gradW, G, count, E, G);
  }
}

/**
 * tfjs 4.22's update rules, float32, in its operation order:
 *   sgd:     w = (-lr)·g + w
 *   rmsprop: ms = ms·decay + g²·(1-decay); mom = mom·momentum + g·lr / √(ms + ε); w = w - mom
 *   adam:    m = m·β1 + g·(1-β1); v = v·β2 + g²·(1-β2);
 *            w = (m/(1-β1ᵗ)) / (√(v/(1-β2ᵗ)) + ε) · (-lr) + w
 * Accumulators are flushed below 1e-30 (see Simd.flush): rows absent from many batches decay
 * towards subnormals otherwise.
 */
class Update {
  @inline static sgd(w: usize, g: usize, count: i32, negLr: f32): void {
    const end = (<usize>count) << 2;
    const vend = end & ~(<usize>15);
    const nl = f32x4.splat(negLr);
    let j: usize = 0;
    for (; j < vend; j += 16) v128.store(w + j, f32x4.add(f32x4.mul(nl, v128.load(g + j)), v128.load(w + j)));
    for (; j < end; j += 4) store<f32>(w + j, negLr * load<f32>(g + j) + load<f32>(w + j));
  }

  @inline static rmsprop(
    w: usize,
    g: usize,
    ms: usize,
    mom: usize,
    count: i32,
    lr: f32,
    decay: f32,
    oneMinusDecay: f32,
    momentum: f32,
    eps: f32,
  ): void {
    const end = (<usize>count) << 2;
    const vend = end & ~(<usize>15);
    const vlr = f32x4.splat(lr);
    const vdecay = f32x4.splat(decay);
    const vomd = f32x4.splat(oneMinusDecay);
    const vmom = f32x4.splat(momentum);
    const veps = f32x4.splat(eps);
    let j: usize = 0;
    for (; j < vend; j += 16) {
      const gv = v128.load(g + j);
      const s = Simd.flush(f32x4.add(f32x4.mul(v128.load(ms + j), vdecay), f32x4.mul(f32x4.mul(gv, gv), vomd)));
      const m = Simd.flush(
        f32x4.add(f32x4.mul(v128.load(mom + j), vmom), f32x4.div(f32x4.mul(gv, vlr), f32x4.sqrt(f32x4.add(s, veps)))),
      );
      v128.store(ms + j, s);
      v128.store(mom + j, m);
      v128.store(w + j, f32x4.sub(v128.load(w + j), m));
    }
    for (; j < end; j += 4) {
      const gv = load<f32>(g + j);
      const s = Simd.flushScalar(load<f32>(ms + j) * decay + gv * gv * oneMinusDecay);
      const m = Simd.flushScalar(load<f32>(mom + j) * momentum + (gv * lr) / Mathf.sqrt(s + eps));
      store<f32>(ms + j, s);
      store<f32>(mom + j, m);
      store<f32>(w + j, load<f32>(w + j) - m);
    }
  }

  @inline static adam(
    w: usize,
    g: usize,
    m1: usize,
    m2: usize,
    count: i32,
    negLr: f32,
    beta1: f32,
    oneMinusBeta1: f32,
    beta2: f32,
    oneMinusBeta2: f32,
    eps: f32,
    oneMinusAcc1: f32,
    oneMinusAcc2: f32,
  ): void {
    const end = (<usize>count) << 2;
    const vend = end & ~(<usize>15);
    const vnl = f32x4.splat(negLr);
    const vb1 = f32x4.splat(beta1);
    const vomb1 = f32x4.splat(oneMinusBeta1);
    const vb2 = f32x4.splat(beta2);
    const vomb2 = f32x4.splat(oneMinusBeta2);
    const veps = f32x4.splat(eps);
    const va1 = f32x4.splat(oneMinusAcc1);
    const va2 = f32x4.splat(oneMinusAcc2);
    let j: usize = 0;
    for (; j < vend; j += 16) {
      const gv = v128.load(g + j);
      const m = Simd.flush(f32x4.add(f32x4.mul(v128.load(m1 + j), vb1), f32x4.mul(gv, vomb1)));
      const v = Simd.flush(f32x4.add(f32x4.mul(v128.load(m2 + j), vb2), f32x4.mul(f32x4.mul(gv, gv), vomb2)));
      v128.store(m1 + j, m);
      v128.store(m2 + j, v);
      const step = f32x4.div(f32x4.div(m, va1), f32x4.add(f32x4.sqrt(f32x4.div(v, va2)), veps));
      v128.store(w + j, f32x4.add(f32x4.mul(step, vnl), v128.load(w + j)));
    }
    for (; j < end; j += 4) {
      const gv = load<f32>(g + j);
      const m = Simd.flushScalar(load<f32>(m1 + j) * beta1 + gv * oneMinusBeta1);
      const v = Simd.flushScalar(load<f32>(m2 + j) * beta2 + gv * gv * oneMinusBeta2);
      store<f32>(m1 + j, m);
      store<f32>(m2 + j, v);
      const step = m / oneMinusAcc1 / (Mathf.sqrt(v / oneMinusAcc2) + eps);
      store<f32>(w + j, step * negLr + load<f32>(w + j));
    }
  }
}

function applyUpdate(cfg: usize, w: usize, g: usize, s1: usize, s2: usize, count: i32): void {
  const kind = Cfg.int(cfg, SLOT_OPTIMIZER);
  if (kind == OPTIMIZER_RMSPROP) {
    Update.rmsprop(
      w,
      g,
      s1,
      s2,
      count,
      Cfg.float(cfg, SLOT_LR),
      Cfg.float(cfg, SLOT_P1),
      Cfg.float(cfg, SLOT_ONE_MINUS_P1),
      Cfg.float(cfg, SLOT_P2),
      Cfg.float(cfg, SLOT_EPSILON),
    );
  } else if (kind == OPTIMIZER_ADAM) {
    Update.adam(
      w,
      g,
      s1,
      s2,
      count,
      Cfg.float(cfg, SLOT_NEG_LR),
      Cfg.float(cfg, SLOT_P1),
      Cfg.float(cfg, SLOT_ONE_MINUS_P1),
      Cfg.float(cfg, SLOT_P2),
      Cfg.float(cfg, SLOT_ONE_MINUS_P2),
      Cfg.float(cfg, SLOT_EPSILON),
      Cfg.float(cfg, SLOT_ONE_MINUS_ACC_B1),
      Cfg.float(cfg, SLOT_ONE_MINUS_ACC_B2),
    );
  } else {
    Update.sgd(w, g, count, Cfg.float(cfg, SLOT_NEG_LR));
  }
}

export function phaseOptimize(cfg: usize, thread: i32, threads: i32): void {
  // Dense weights: this thread's share, cut at multiples of 4 floats so SIMD stays aligned.
  const count = Cfg.int(cfg, SLOT_DENSE_COUNT);
  const quads = (count + 3) >> 2;
  const a0 = Cfg.split(quads, thread, threads) << 2;
  const a1 = min(Cfg.split(quads, thread + 1, threads) << 2, count);
  const total = Cfg.int(cfg, SLOT_THREADS);
  const grad0 = Blocks.grad(cfg, 0);
  if (a1 > a0) {
    const off = (<usize>a0) << 2;
    const bytes = (<usize>(a1 - a0)) << 2;
    // Sum the other threads' partial gradients into thread 0's block (the padding floats past
    // `count` are zeros in every block, so whole vectors are safe).
    for (let k = 1; k < total; k++) {
      const src = Blocks.grad(cfg, k) + off;
      const dst = grad0 + off;
      for (let j: usize = 0; j < bytes; j += 16) v128.store(dst + j, f32x4.add(v128.load(dst + j), v128.load(src + j)));
    }
    applyUpdate(
      cfg,
      Cfg.ptr(cfg, SLOT_DENSE) + off,
      grad0 + off,
      Cfg.ptr(cfg, SLOT_S1_DENSE) + off,
      Cfg.ptr(cfg, SLOT_S2_DENSE) + off,
      a1 - a0,
    );
  }

  // Embedding: every row, as tfjs applies the optimizer to the whole (dense) gradient; rows not in
  // the batch get a zero gradient, so their accumulators decay and Adam still moves them.
  const V = Cfg.int(cfg, SLOT_VOCAB);
  const E = Cfg.int(cfg, SLOT_EMBED);
  const eBytes = (<usize>E) << 2;
  const rowMap = Cfg.ptr(cfg, SLOT_ROW_MAP);
  const gEmb = Cfg.ptr(cfg, SLOT_GEMB);
  const zero = Cfg.ptr(cfg, SLOT_ZERO);
  const emb = Cfg.ptr(cfg, SLOT_EMB);
  const s1 = Cfg.ptr(cfg, SLOT_S1_EMB);
  const s2 = Cfg.ptr(cfg, SLOT_S2_EMB);
  const r1 = Cfg.split(V, thread + 1, threads);
  for (let r = Cfg.split(V, thread, threads); r < r1; r++) {
    const u = load<i32>(rowMap + ((<usize>r) << 2));
    const g = u >= 0 ? gEmb + <usize>u * eBytes : zero;
    const off = <usize>r * eBytes;
    applyUpdate(cfg, emb + off, g, s1 + off, s2 + off, E);
  }
}

/**
 * The machine's f32x4 peak as this engine can reach it (no FMA in WebAssembly SIMD): 12
 * independent chains of x = x·m + c, enough to cover the latency of a mul followed by an add on
 * two multiply and two add pipes. 96 flops per iteration; returns a sum so nothing is dead code.
 */
export function simdPeak(iterations: i32): f32 {
  const m = f32x4.splat(0.9999999);
  const c = f32x4.splat(1e-7);
  let x0 = f32x4.splat(0.1),
    x1 = f32x4.splat(0.2),
    x2 = f32x4.splat(0.3),
    x3 = f32x4.splat(0.4),
    x4 = f32x4.splat(0.5),
    x5 = f32x4.splat(0.6),
    x6 = f32x4.splat(0.7),
    x7 = f32x4.splat(0.8),
    x8 = f32x4.splat(0.9),
    x9 = f32x4.splat(1.0),
    x10 = f32x4.splat(1.1),
    x11 = f32x4.splat(1.2);
  for (let i = 0; i < iterations; i++) {
    x0 = f32x4.add(f32x4.mul(x0, m), c);
    x1 = f32x4.add(f32x4.mul(x1, m), c);
    x2 = f32x4.add(f32x4.mul(x2, m), c);
    x3 = f32x4.add(f32x4.mul(x3, m), c);
    x4 = f32x4.add(f32x4.mul(x4, m), c);
    x5 = f32x4.add(f32x4.mul(x5, m), c);
    x6 = f32x4.add(f32x4.mul(x6, m), c);
    x7 = f32x4.add(f32x4.mul(x7, m), c);
    x8 = f32x4.add(f32x4.mul(x8, m), c);
    x9 = f32x4.add(f32x4.mul(x9, m), c);
    x10 = f32x4.add(f32x4.mul(x10, m), c);
    x11 = f32x4.add(f32x4.mul(x11, m), c);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(x0, x1), f32x4.add(x2, x3)), f32x4.add(f32x4.add(x4, x5), f32x4.add(x6, x7))),
    f32x4.add(f32x4.add(x8, x9), f32x4.add(x10, x11)),
  );
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
