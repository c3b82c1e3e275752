/**
 * A hash table from pairs of non-negative int32s (two word ids) to consecutive slots 0, 1, 2, …
 * in first-seen order: open addressing with linear probing over one typed array holding each
 * bucket's pair and slot side by side (one cache line per probe: with millions of bigrams the
 * table is far larger than the cache). Fitting the IMDB training reviews' dictionary took 4.9 s in
 * Node with it against 9.9 s with a Map keyed by `a * 2^26 + b`, whose keys are heap numbers.
 */
const STRIDE = 4; // first, second, slot + 1 (0: empty), padding to 16 bytes

export class PairTable {
  private buckets: Int32Array;
  private mask: number;
  private size = 0;

  constructor(initialCapacity = 1 << 16) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
    this.buckets = new Int32Array(capacity * STRIDE);
    this.mask = capacity - 1;
  }

  get length(): number {
    return this.size;
  }

  private bucketOf(first: number, second: number): number {
    let h = Math.imul(first, 0x9e3779b1) ^ Math.imul(second + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h & this.mask;
  }

  /** The pair's slot, or -1 if it was never added. */
  get(first: number, second: number): number {
    const buckets = this.buckets;
    for (let b = this.bucketOf(first, second); ; b = (b + 1) & this.mask) {
      const at = b * STRIDE;
      const slot = buckets[at + 2]!;
      if (slot === 0) return -1;
      if (buckets[at] === first && buckets[at + 1] === second) return slot - 1;
    }
  }

  /** The pair's slot, adding it (as the next slot) if new. */
  add(first: number, second: number): number {
    const buckets = this.buckets;
    for (let b = this.bucketOf(first, second); ; b = (b + 1) & this.mask) {
      const at = b * STRIDE;
      const slot = buckets[at + 2]!;
      if (slot === 0) {
        buckets[at] = first;
        buckets[at + 1] = second;
        buckets[at + 2] = ++this.size;
        // At most half full keeps probes short.
        if (this.size * 2 > this.mask + 1) this.grow();
        return this.size - 1;
      }
      if (buckets[at] === first && buckets[at + 1] === second) return slot - 1;
    }
  }

  private grow(): void {
    const old = this.buckets;
    this.buckets = new Int32Array(old.length * 2);
    this.mask = (this.mask + 1) * 2 - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at + 2] === 0) continue;
      let b = this.bucketOf(old[at]!, old[at + 1]!);
      while (this.buckets[b * STRIDE + 2] !== 0) b = (b + 1) & this.mask;
      this.buckets.set(old.subarray(at, at + 3), b * STRIDE);
    }
  }
}
