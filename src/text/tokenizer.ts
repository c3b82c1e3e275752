import { parseOrderedNumberMap, stringifyOrderedNumberMap } from './orderedJson';

/** The characters Keras's `Tokenizer` removes by default (note: the apostrophe is kept). */
export const KERAS_DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

export interface TokenizerOptions {
  /** Keep only word indices below this (index 0 is padding), as Keras does; null keeps all. */
  numWords?: number | null;
  filters?: string;
  lower?: boolean;
  split?: string;
  oovToken?: string | null;
}

function escapeForCharacterClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, (c) => `\\${c}`);
}

/**
 * A tokenizer with the semantics of `keras.preprocessing.text.Tokenizer` (word level): lowercase,
 * replace the filter characters with the split string, split, drop empty strings; words are indexed
 * from 1 by descending frequency, ties in first-seen order; an OOV token, when set, takes index 1.
 */
export class Tokenizer {
  readonly numWords: number | null;
  readonly filters: string;
  readonly lower: boolean;
  readonly split: string;
  readonly oovToken: string | null;

  private documentCount = 0;
  /** Per word, in first-seen order: occurrences, documents containing it, last document counted. */
  private readonly wordStats = new Map<string, WordStats>();
  private wordIndex = new Map<string, number>();
  private indexWord: string[] = [''];
  private readonly filterPattern: RegExp | null;
  /** When split is one character, one regex pass finds the words (same result, ~2x faster). */
  private readonly wordPattern: RegExp | null;

  constructor(options: TokenizerOptions = {}) {
    const numWords = options.numWords ?? null;
    if (numWords !== null && (!Number.isInteger(numWords) || numWords < 1)) {
      throw new Error(`numWords must be a positive integer or null, got ${numWords}`);
    }
    this.numWords = numWords;
    this.filters = options.filters ?? KERAS_DEFAULT_FILTERS;
    this.lower = options.lower ?? true;
    this.split = options.split ?? ' ';
    if (this.split.length === 0) throw new Error('split must not be empty');
    this.oovToken = options.oovToken ?? null;
    this.filterPattern = this.filters.length > 0 ? new RegExp(`[${escapeForCharacterClass(this.filters)}]`, 'g') : null;
    // Without the u flag, astral characters (emoji) are two code units that are never filters,
    // so they stay inside words, as in Keras.
    this.wordPattern =
      this.split.length === 1 ? new RegExp(`[^${escapeForCharacterClass(this.filters + this.split)}]+`, 'g') : null;
  }

  /** Keras's `text_to_word_sequence` with this tokenizer's settings. */
  textToWords(text: string): string[] {
    let s = this.lower ? text.toLowerCase() : text;
    if (this.wordPattern) return s.match(this.wordPattern) ?? [];
    // A multi-character split string: Keras's own steps.
    if (this.filterPattern) s = s.replace(this.filterPattern, this.split);
    const words = s.split(this.split);
    let kept = 0;
    for (const word of words) if (word.length > 0) words[kept++] = word;
    words.length = kept;
    return words;
  }

  fitOnTexts(texts: Iterable<string>): void {
    for (const text of texts) this.countWords(this.textToWords(text));
    this.rebuildIndex();
  }

  /**
   * `fitOnTexts(texts)` followed by `textsToSequences(texts)`, hashing each word once: while
   * counting, each word is recorded by its first-seen slot, and slots are mapped to final indices
   * once the frequency order is known.
   */
  fitOnTextsAndEncode(texts: readonly string[], onText?: () => void): Int32Array[] {
    const slotSequences: Int32Array[] = [];
    for (const text of texts) {
      const words = this.textToWords(text);
      slotSequences.push(this.countWords(words));
      onText?.();
    }
    this.rebuildIndex();
    const oovIndex = this.oovToken === null ? -1 : (this.wordIndex.get(this.oovToken) ?? -1);
    const limit = this.numWords ?? Number.POSITIVE_INFINITY;
    const slotToIndex = new Int32Array(this.wordStats.size);
    for (const [word, stats] of this.wordStats) {
      const index = this.wordIndex.get(word)!;
      slotToIndex[stats.slot] = index < limit ? index : oovIndex;
    }
    return slotSequences.map((slots) => {
      const sequence = new Int32Array(slots.length);
      let length = 0;
      for (let i = 0; i < slots.length; i++) {
        const index = slotToIndex[slots[i]!]!;
        if (index >= 0) sequence[length++] = index;
      }
      return length === slots.length ? sequence : sequence.slice(0, length);
    });
  }

  /** Counts one document's words; returns each word's first-seen slot. */
  private countWords(words: readonly string[]): Int32Array {
    const document = ++this.documentCount;
    const slots = new Int32Array(words.length);
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const stats = this.wordStats.get(word);
      if (stats === undefined) {
        slots[i] = this.wordStats.size;
        this.wordStats.set(word, { count: 1, docs: 1, lastDocument: document, slot: this.wordStats.size });
      } else {
        slots[i] = stats.slot;
        stats.count++;
        if (stats.lastDocument !== document) {
          stats.docs++;
          stats.lastDocument = document;
        }
      }
    }
    return slots;
  }

  private rebuildIndex(): void {
    // Array.prototype.sort is stable, like Python's sort: equal counts keep first-seen order.
    const byFrequency = [...this.wordStats].sort((a, b) => b[1].count - a[1].count);
    const vocabulary = this.oovToken === null ? [] : [this.oovToken];
    for (const [word] of byFrequency) vocabulary.push(word);
    this.wordIndex = new Map();
    vocabulary.forEach((word, i) => this.wordIndex.set(word, i + 1));
    // Keras builds index_word from word_index, so a repeated word keeps its last index.
    this.indexWord = [''];
    for (const [word, index] of this.wordIndex) this.indexWord[index] = word;
  }

  /** Number of distinct words seen while fitting (not counting the OOV token). */
  get distinctWords(): number {
    return this.wordStats.size;
  }

  /** The largest index a sequence can contain plus one: the Embedding's input dimension. */
  get vocabularySize(): number {
    const all = this.indexWord.length;
    return this.numWords === null ? all : Math.min(this.numWords, all);
  }

  /** Word occurrences counted while fitting, and how many of them have an index below numWords. */
  tokenCoverage(): { total: number; inVocabulary: number } {
    const limit = this.numWords ?? Number.POSITIVE_INFINITY;
    let total = 0;
    let inVocabulary = 0;
    for (const [word, { count }] of this.wordStats) {
      total += count;
      if (this.wordIndex.get(word)! < limit) inVocabulary += count;
    }
    return { total, inVocabulary };
  }

  get documentsFitted(): number {
    return this.documentCount;
  }

  indexOf(word: string): number | undefined {
    return this.wordIndex.get(word);
  }

  wordAt(index: number): string | undefined {
    return index > 0 ? this.indexWord[index] : undefined;
  }

  /** Keras's `texts_to_sequences` for one list of words. */
  wordsToSequence(words: readonly string[]): number[] {
    const oovIndex = this.oovToken === null ? undefined : this.wordIndex.get(this.oovToken);
    const limit = this.numWords ?? Number.POSITIVE_INFINITY;
    const sequence: number[] = [];
    for (const word of words) {
      const index = this.wordIndex.get(word);
      if (index !== undefined && index < limit) sequence.push(index);
      else if (oovIndex !== undefined) sequence.push(oovIndex);
    }
    return sequence;
  }

  textsToSequences(texts: Iterable<string>): number[][] {
    const sequences: number[][] = [];
    for (const text of texts) sequences.push(this.wordsToSequence(this.textToWords(text)));
    return sequences;
  }

  /** The JSON of Keras's `Tokenizer.to_json()`, readable by `tokenizer_from_json`. */
  toJson(): string {
    const wordCounts = new Map<string, number>();
    const wordDocs = new Map<string, number>();
    const indexDocs = new Map<string, number>();
    for (const [word, { count, docs }] of this.wordStats) {
      wordCounts.set(word, count);
      wordDocs.set(word, docs);
      const index = this.wordIndex.get(word);
      if (index !== undefined) indexDocs.set(String(index), docs);
    }
    const indexWord = new Map<string, string>();
    for (let i = 1; i < this.indexWord.length; i++) indexWord.set(String(i), this.indexWord[i]!);
    const wordIndexJson = stringifyOrderedNumberMap(this.wordIndex);
    const indexWordJson = `{${[...indexWord].map(([k, w]) => `${JSON.stringify(k)}: ${JSON.stringify(w)}`).join(', ')}}`;
    return JSON.stringify({
      class_name: 'Tokenizer',
      config: {
        num_words: this.numWords,
        filters: this.filters,
        lower: this.lower,
        split: this.split,
        char_level: false,
        oov_token: this.oovToken,
        document_count: this.documentCount,
        word_counts: stringifyOrderedNumberMap(wordCounts),
        word_docs: stringifyOrderedNumberMap(wordDocs),
        index_docs: stringifyOrderedNumberMap(indexDocs),
        index_word: indexWordJson,
        word_index: wordIndexJson,
      },
    });
  }

  /** Reads the JSON of Keras's `Tokenizer.to_json()` (or ours). */
  static fromJson(json: string): Tokenizer {
    let outer: unknown;
    try {
      outer = JSON.parse(json);
    } catch (error) {
      throw new Error(`Tokenizer JSON is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const config = readObject(readObject(outer, 'Tokenizer JSON').config, 'Tokenizer JSON "config"');
    if ((outer as Record<string, unknown>).class_name !== 'Tokenizer') {
      throw new Error('Tokenizer JSON must have "class_name": "Tokenizer"');
    }
    if (config.char_level === true) throw new Error('Character-level tokenizers are not supported');
    const tokenizer = new Tokenizer({
      numWords: readNullableNumber(config.num_words, 'num_words'),
      filters: readString(config.filters, 'filters'),
      lower: readBoolean(config.lower, 'lower'),
      split: readString(config.split, 'split'),
      oovToken:
        config.oov_token === null || config.oov_token === undefined ? null : readString(config.oov_token, 'oov_token'),
    });
    tokenizer.documentCount = readNullableNumber(config.document_count, 'document_count') ?? 0;
    const wordDocs = parseOrderedNumberMap(readString(config.word_docs, 'word_docs'), 'word_docs');
    for (const [word, count] of parseOrderedNumberMap(readString(config.word_counts, 'word_counts'), 'word_counts')) {
      const slot = tokenizer.wordStats.size;
      tokenizer.wordStats.set(word, { count, docs: wordDocs.get(word) ?? 0, lastDocument: 0, slot });
    }
    const wordIndex = parseOrderedNumberMap(readString(config.word_index, 'word_index'), 'word_index');
    tokenizer.wordIndex = wordIndex;
    tokenizer.indexWord = [''];
    for (const [word, index] of wordIndex) {
      if (!Number.isInteger(index) || index < 1) {
        throw new Error(`word_index: the index of ${JSON.stringify(word)} must be a positive integer`);
      }
      tokenizer.indexWord[index] = word;
    }
    for (let i = 1; i < tokenizer.indexWord.length; i++) {
      if (tokenizer.indexWord[i] === undefined) throw new Error(`word_index has no word for index ${i}`);
    }
    return tokenizer;
  }
}

interface WordStats {
  count: number;
  docs: number;
  lastDocument: number;
  /** Position in first-seen order. */
  slot: number;
}

function readObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function readString(value: unknown, key: string): string {
  if (typeof value !== 'string') throw new Error(`Tokenizer config "${key}" must be a string`);
  return value;
}

function readBoolean(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`Tokenizer config "${key}" must be true or false`);
  return value;
}

function readNullableNumber(value: unknown, key: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new Error(`Tokenizer config "${key}" must be an integer or null`);
  }
  return value;
}
