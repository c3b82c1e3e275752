/**
 * Review texts as one UTF-8 buffer and their byte offsets, with labels and dataset ids: the
 * loaded reviews cross from the data worker to the baseline's worker through the page as a few
 * transferable arrays (zero-copy), where 25,000 strings would be cloned twice and decoded on the
 * page's main thread on the way.
 */
import type { Review } from './review';

export interface PackedTexts {
  count: number;
  bytes: Uint8Array;
  /** `count + 1` byte offsets: text i is `bytes[offsets[i] .. offsets[i + 1])`. */
  offsets: Uint32Array;
  labels: Uint8Array;
  reviewIds: Int32Array;
}

export function packTexts(reviews: readonly Review[]): PackedTexts {
  const encoder = new TextEncoder();
  const encoded = reviews.map((r) => encoder.encode(r.text));
  const offsets = new Uint32Array(reviews.length + 1);
  for (let i = 0; i < encoded.length; i++) offsets[i + 1] = offsets[i]! + encoded[i]!.length;
  const bytes = new Uint8Array(offsets[reviews.length]!);
  encoded.forEach((e, i) => bytes.set(e, offsets[i]));
  return {
    count: reviews.length,
    bytes,
    offsets,
    labels: Uint8Array.from(reviews, (r) => r.label),
    reviewIds: Int32Array.from(reviews, (r) => r.id),
  };
}

export function unpackTexts(packed: PackedTexts): string[] {
  const decoder = new TextDecoder();
  return Array.from({ length: packed.count }, (_, i) =>
    decoder.decode(packed.bytes.subarray(packed.offsets[i]!, packed.offsets[i + 1]!)),
  );
}

/** The arrays to transfer. */
export const packedBuffers = (packed: PackedTexts): ArrayBuffer[] =>
  [packed.bytes, packed.offsets, packed.labels, packed.reviewIds].map((a) => a.buffer as ArrayBuffer);
