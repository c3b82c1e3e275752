/**
 * A saved baseline reading text: its features looked up by their text, the logit
 * b + Σ weights of the n-grams present (each once), and why, word by word. Every figure is exact
 * for the linear model, so the word-by-word view needs no approximation:
 * - as read: P(positive) of the review cut after each word; a word changes the logit by the
 *   weights of the n-grams it completes for the first time (its unigram, and its bigram with the
 *   word before);
 * - leave one out: the logit without each word, from the n-grams' counts (removing word k takes
 *   away its unigram and both its bigrams and joins its neighbours into a new one).
 */
import { bigramText, wordReader, type TextReading } from './reading';
import type { LinearModel } from './train';

/** One n-gram a word completed for the first time, with its weight (its change to the logit). */
export interface AddedFeature {
  text: string;
  weight: number;
}

export interface WordReading {
  word: string;
  /** The word's unigram feature, or null when the dictionary does not have it. */
  unigram: number | null;
  /** The logit of the review cut after this word. */
  logit: number;
  /** Features this word added (its unigram or its bigram with the word before, if new and known). */
  added: AddedFeature[];
}

export interface ScoredText {
  logit: number;
  words: number;
  /** Distinct unigram and bigram features of the dictionary found in the text. */
  unigrams: number;
  bigrams: number;
  /** Words whose unigram is not in the dictionary. */
  unknownWords: number;
  /** The first `explainLimit` words, read as above. */
  readings: WordReading[];
}

export class BaselineScorer {
  private readonly index = new Map<string, number>();
  private readonly read: (text: string) => string[];

  constructor(readonly model: LinearModel) {
    model.features.forEach((text, j) => this.index.set(text, j));
    this.read = wordReader(model.reading);
  }

  get reading(): TextReading {
    return this.model.reading;
  }

  words(text: string): string[] {
    return this.read(text);
  }

  /** Feature ids of each word's unigram and of each bigram ending at that word (-1: not in the dictionary). */
  private lookup(words: readonly string[]): { unigrams: Int32Array; bigrams: Int32Array } {
    const unigrams = new Int32Array(words.length);
    const bigrams = new Int32Array(words.length).fill(-1);
    for (let k = 0; k < words.length; k++) {
      unigrams[k] = this.index.get(words[k]!) ?? -1;
      if (k > 0) bigrams[k] = this.index.get(bigramText(words[k - 1]!, words[k]!, this.model.reading)) ?? -1;
    }
    return { unigrams, bigrams };
  }

  logitOfWords(words: readonly string[]): number {
    const { unigrams, bigrams } = this.lookup(words);
    const present = new Set<number>();
    for (let k = 0; k < words.length; k++) {
      if (unigrams[k]! >= 0) present.add(unigrams[k]!);
      if (bigrams[k]! >= 0) present.add(bigrams[k]!);
    }
    let z = this.model.bias;
    for (const j of present) z += this.model.weights[j]!;
    return z;
  }

  probability(text: string): number {
    return 1 / (1 + Math.exp(-this.logitOfWords(this.read(text))));
  }

  /** The text's logit and its first `explainLimit` words as read (see the module comment). */
  score(words: readonly string[], explainLimit: number): ScoredText {
    const { unigrams, bigrams } = this.lookup(words);
    const { weights, features } = this.model;
    const present = new Set<number>();
    let z = this.model.bias;
    let unigramCount = 0;
    let unknownWords = 0;
    const readings: WordReading[] = [];
    for (let k = 0; k < words.length; k++) {
      const added: AddedFeature[] = [];
      for (const j of [unigrams[k]!, bigrams[k]!]) {
        if (j < 0 || present.has(j)) continue;
        present.add(j);
        z += weights[j]!;
        if (j < this.model.unigrams) unigramCount++;
        if (k < explainLimit) added.push({ text: features[j]!, weight: weights[j]! });
      }
      if (unigrams[k]! < 0) unknownWords++;
      if (k < explainLimit)
        readings.push({ word: words[k]!, unigram: unigrams[k]! < 0 ? null : unigrams[k]!, logit: z, added });
    }
    return {
      logit: z,
      words: words.length,
      unigrams: unigramCount,
      bigrams: present.size - unigramCount,
      unknownWords,
      readings,
    };
  }

  /** The logit of the text without word k, for each k below `limit`. */
  leaveOneOut(words: readonly string[], limit: number): number[] {
    const { unigrams, bigrams } = this.lookup(words);
    const counts = new Map<number, number>();
    const count = (j: number) => counts.get(j) ?? 0;
    for (let k = 0; k < words.length; k++) {
      for (const j of [unigrams[k]!, bigrams[k]!]) if (j >= 0) counts.set(j, count(j) + 1);
    }
    let full = this.model.bias;
    for (const j of counts.keys()) full += this.model.weights[j]!;
    const out: number[] = [];
    for (let k = 0; k < Math.min(limit, words.length); k++) {
      const delta = new Map<number, number>();
      const change = (j: number, by: number) => {
        if (j >= 0) delta.set(j, (delta.get(j) ?? 0) + by);
      };
      change(unigrams[k]!, -1);
      change(bigrams[k]!, -1);
      if (k + 1 < words.length) change(bigrams[k + 1]!, -1);
      if (k > 0 && k + 1 < words.length)
        change(this.index.get(bigramText(words[k - 1]!, words[k + 1]!, this.model.reading)) ?? -1, +1);
      let z = full;
      for (const [j, by] of delta) {
        const before = count(j) > 0 ? 1 : 0;
        const after = count(j) + by > 0 ? 1 : 0;
        z += (after - before) * this.model.weights[j]!;
      }
      out.push(z);
    }
    return out;
  }
}
