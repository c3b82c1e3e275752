/**
 * The baseline's features: the unigrams and bigrams of each review's word sequence, binarized
 * (present or not), over a dictionary fitted on the training reviews that keeps the n-grams found
 * in at least `minCount` of them. Fitting counts document frequencies with word ids and pairs of
 * them, never building a string per bigram; only the kept features get their text.
 */
import { PairTable } from './pairTable';
import { bigramText, type TextReading } from './reading';
import { sparseRowsFrom, type SparseRows } from './sparseRows';

export interface FeatureOptions {
  /** Keep an n-gram found in at least this many training reviews (counted once per review). */
  minCount: number;
}

export interface FittedFeatures {
  /** Each feature's text (a word, or two words joined by the split string); its index is its id. */
  texts: string[];
  unigrams: number;
  bigrams: number;
  /** The training reviews' rows. */
  rows: SparseRows;
  /** The rows of other reviews (test, validation) over the same dictionary. */
  encode(documents: readonly (readonly string[])[]): SparseRows;
  /** One review's feature ids, each once. */
  encodeOne(words: readonly string[]): Int32Array;
}

/** A growable Int32 column (document counts, last document seen). */
class Column {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/**
 * Fits the dictionary on `documents` (each review's word sequence) and encodes them.
 * `onDocument` is called after each document of both passes (2 × documents.length calls).
 */
export function fitFeatures(
  documents: readonly (readonly string[])[],
  reading: TextReading,
  options: FeatureOptions,
  onDocument?: () => void,
): FittedFeatures {
  if (!Number.isInteger(options.minCount) || options.minCount < 1)
    throw new Error(`minCount must be a whole number of at least 1, got ${options.minCount}`);
  // Pass 1: document frequency of every word and every adjacent pair of words.
  const wordIds = new Map<string, number>();
  const words: string[] = [];
  const wordDocs = new Column();
  const wordLast = new Column();
  const pairs = new PairTable();
  const pairFirsts = new Column();
  const pairSeconds = new Column();
  const pairDocs = new Column();
  const pairLast = new Column();
  const idDocuments: Int32Array[] = [];
  documents.forEach((document, d) => {
    const ids = new Int32Array(document.length);
    for (let k = 0; k < document.length; k++) {
      const word = document[k]!;
      let id = wordIds.get(word);
      if (id === undefined) {
        id = words.length;
        wordIds.set(word, id);
        words.push(word);
        wordDocs.push(0);
        wordLast.push(-1);
      }
      ids[k] = id;
      if (wordLast.data[id] !== d) {
        wordLast.data[id] = d;
        wordDocs.data[id]!++;
      }
      if (k === 0) continue;
      const slot = pairs.add(ids[k - 1]!, id);
      if (slot === pairDocs.length) {
        pairFirsts.push(ids[k - 1]!);
        pairSeconds.push(id);
        pairDocs.push(0);
        pairLast.push(-1);
      }
      if (pairLast.data[slot] !== d) {
        pairLast.data[slot] = d;
        pairDocs.data[slot]!++;
      }
    }
    idDocuments.push(ids);
    onDocument?.();
  });

  // The dictionary: kept unigrams first, then kept bigrams, each in first-seen order.
  const texts: string[] = [];
  const featureOfWord = new Int32Array(words.length).fill(-1);
  for (let id = 0; id < words.length; id++) {
    if (wordDocs.data[id]! >= options.minCount) {
      featureOfWord[id] = texts.length;
      texts.push(words[id]!);
    }
  }
  const unigrams = texts.length;
  const featureOfPair = new Int32Array(pairDocs.length).fill(-1);
  for (let slot = 0; slot < pairDocs.length; slot++) {
    if (pairDocs.data[slot]! < options.minCount) continue;
    featureOfPair[slot] = texts.length;
    texts.push(bigramText(words[pairFirsts.data[slot]!]!, words[pairSeconds.data[slot]!]!, reading));
  }

  // Pass 2 (and any other reviews): each review's distinct feature ids.
  const seen = new Int32Array(texts.length).fill(-1);
  let stamp = 0;
  const encodeIds = (ids: ArrayLike<number>): Int32Array => {
    const mark = stamp++;
    const out: number[] = [];
    const add = (feature: number) => {
      if (feature < 0 || seen[feature] === mark) return;
      seen[feature] = mark;
      out.push(feature);
    };
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      if (id < 0) continue;
      add(featureOfWord[id]!);
      if (k === 0 || ids[k - 1]! < 0) continue;
      const slot = pairs.get(ids[k - 1]!, id);
      if (slot >= 0) add(featureOfPair[slot]!);
    }
    return Int32Array.from(out);
  };
  const rows = sparseRowsFrom(
    idDocuments.map((ids) => {
      const row = encodeIds(ids);
      onDocument?.();
      return row;
    }),
  );
  // A word never seen in training has no id (-1): it forms no feature and breaks its bigrams.
  const encodeOne = (document: readonly string[]) => encodeIds(document.map((word) => wordIds.get(word) ?? -1));
  return {
    texts,
    unigrams,
    bigrams: texts.length - unigrams,
    rows,
    encodeOne,
    encode: (docs) => sparseRowsFrom(docs.map(encodeOne)),
  };
}
