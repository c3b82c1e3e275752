/**
 * Reading a header block: the training step's (../layout.ts) and the classifier's
 * (../classifyLayout.ts) are both arrays of 4-byte slots, i32 or f32, that the TypeScript wrapper
 * fills, so the kernels keep no state of their own.
 */
export class Cfg {
  @inline static int(cfg: usize, slot: i32): i32 {
    return load<i32>(cfg + ((<usize>slot) << 2));
  }
  @inline static ptr(cfg: usize, slot: i32): usize {
    return <usize>load<i32>(cfg + ((<usize>slot) << 2));
  }
  @inline static float(cfg: usize, slot: i32): f32 {
    return load<f32>(cfg + ((<usize>slot) << 2));
  }
  /** Start of thread `part` of `threads` in an even split of [0, count). */
  @inline static split(count: i32, part: i32, threads: i32): i32 {
    return <i32>((<i64>count * part) / threads);
  }
}
