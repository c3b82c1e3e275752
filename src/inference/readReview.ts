/**
 * How the model reads a review: exactly the tokenizer, numWords and padding it was trained with,
 * plus what the page shows about it (which words are out of vocabulary, what was truncated).
 */
import { writePaddedRow, type PadSide } from '../text/pad';
import type { Tokenizer } from '../text/tokenizer';

export type TokenStatus = 'kept' | 'oov' | 'truncated';

export interface ReadToken {
  word: string;
  /** The id the model sees (the OOV token's id for an unknown word when there is one), or null if dropped. */
  id: number | null;
  status: TokenStatus;
  /** Out of vocabulary (unknown, or its index is not below numWords). */
  oov: boolean;
  /** Which of the words the model reads this is (0 = the first it reads), or null if it reads none of it. */
  step: number | null;
}

export interface ReviewReading {
  /** The padded row of `maxlen` ids the model reads. */
  ids: Int32Array;
  words: number;
  /** Ids before padding or truncation. */
  sequenceLength: number;
  oovWords: number;
  truncated: boolean;
  /** Ids cut off by truncation. */
  truncatedIds: number;
  /** Up to `displayLimit` words around what the model reads, in text order. */
  tokens: ReadToken[];
  /** Index (in the review's words) of `tokens[0]`. */
  tokensFrom: number;
}

export interface ReadOptions {
  maxlen: number;
  padding: PadSide;
  truncating: PadSide;
  /** Words to return for display (a 1 MB paste has ~200,000). */
  displayLimit?: number;
}

export function readReview(tokenizer: Tokenizer, text: string, options: ReadOptions): ReviewReading {
  const { maxlen, padding, truncating } = options;
  const words = tokenizer.textToWords(text);
  const limit = tokenizer.numWords ?? Number.POSITIVE_INFINITY;
  const oovIndex = tokenizer.oovToken === null ? undefined : tokenizer.indexOf(tokenizer.oovToken);
  const sequence: number[] = [];
  /** Position of each word in `sequence`, or -1 when dropped. */
  const positions = new Int32Array(words.length);
  const oovFlags = new Uint8Array(words.length);
  let oovWords = 0;
  for (let w = 0; w < words.length; w++) {
    const index = tokenizer.indexOf(words[w]!);
    const known = index !== undefined && index < limit;
    const id = known ? index : oovIndex;
    if (!known) {
      oovWords++;
      oovFlags[w] = 1;
    }
    positions[w] = id === undefined ? -1 : sequence.length;
    if (id !== undefined) sequence.push(id);
  }
  const ids = new Int32Array(maxlen);
  writePaddedRow(sequence, ids, 0, maxlen, padding, truncating);
  const kept = Math.min(sequence.length, maxlen);
  const keptFrom = truncating === 'pre' ? sequence.length - kept : 0;

  const displayLimit = options.displayLimit ?? 400;
  // Show the end of a long review when the start is cut (pre-truncation), else its start.
  const tokensFrom = words.length > displayLimit && truncating === 'pre' ? words.length - displayLimit : 0;
  const tokensTo = Math.min(words.length, tokensFrom + displayLimit);
  const tokens: ReadToken[] = [];
  for (let w = tokensFrom; w < tokensTo; w++) {
    const position = positions[w]!;
    const inWindow = position >= keptFrom && position < keptFrom + kept;
    tokens.push({
      word: words[w]!,
      id: position < 0 ? null : sequence[position]!,
      oov: oovFlags[w] === 1,
      status: position >= 0 && !inWindow ? 'truncated' : oovFlags[w] === 1 ? 'oov' : 'kept',
      step: position >= 0 && inWindow ? position - keptFrom : null,
    });
  }
  return {
    ids,
    words: words.length,
    sequenceLength: sequence.length,
    oovWords,
    truncated: sequence.length > maxlen,
    truncatedIds: sequence.length - kept,
    tokens,
    tokensFrom,
  };
}
