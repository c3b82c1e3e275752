/**
 * The short versions of the test reviews (text/shortVersions.ts: each review's last sentence and
 * its last 20 words), tokenized like the reviews themselves. They are short, so they travel packed
 * (one id array and row offsets, a few MB for 25,000 reviews) rather than padded to maxlen, and are
 * padded a chunk at a time where they are predicted.
 */
import { writePaddedRow, type PadSide } from '../text/pad';
import { lastSentence, lastWords } from '../text/shortVersions';
import type { PaddedMatrix } from './dataset';

/** The words of the last-words version: a fixed, documented rule, so anyone can recompute the figure. */
export const SHORT_VERSION_WORDS = 20;

/** Variable-length sequences: row r is `ids[offsets[r], offsets[r + 1])`. */
export interface PackedSequences {
  offsets: Int32Array;
  ids: Int32Array;
}

export interface ShortVersionSequences {
  lastSentence: PackedSequences;
  lastWords: PackedSequences;
}

export type ShortVersionKind = keyof ShortVersionSequences;

export function packSequences(sequences: ReadonlyArray<ArrayLike<number>>): PackedSequences {
  const offsets = new Int32Array(sequences.length + 1);
  for (let r = 0; r < sequences.length; r++) offsets[r + 1] = offsets[r]! + sequences[r]!.length;
  const ids = new Int32Array(offsets[sequences.length]!);
  sequences.forEach((sequence, r) => ids.set(sequence, offsets[r]!));
  return { offsets, ids };
}

/** Both short versions of each text, read by `encode` (the dataset's tokenizer). */
export function encodeShortVersions(
  texts: readonly string[],
  encode: (text: string) => ArrayLike<number>,
): ShortVersionSequences {
  return {
    lastSentence: packSequences(texts.map((text) => encode(lastSentence(text)))),
    lastWords: packSequences(texts.map((text) => encode(lastWords(text, SHORT_VERSION_WORDS)))),
  };
}

/** Rows `[from, to)` of `packed`, padded and truncated as the dataset's matrices are, with their labels. */
export function paddedRows(
  packed: PackedSequences,
  labels: Uint8Array,
  from: number,
  to: number,
  maxlen: number,
  padding: PadSide,
  truncating: PadSide,
): PaddedMatrix {
  const count = to - from;
  const ids = new Int32Array(count * maxlen);
  for (let r = 0; r < count; r++) {
    const sequence = packed.ids.subarray(packed.offsets[from + r]!, packed.offsets[from + r + 1]!);
    writePaddedRow(sequence, ids, r * maxlen, maxlen, padding, truncating);
  }
  return { ids, labels: labels.slice(from, to), count, maxlen };
}

/** The buffers to transfer between workers. */
export function shortVersionBuffers(short: ShortVersionSequences): ArrayBuffer[] {
  return [short.lastSentence.offsets, short.lastSentence.ids, short.lastWords.offsets, short.lastWords.ids].map(
    (array) => array.buffer as ArrayBuffer,
  );
}
