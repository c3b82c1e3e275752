import { describe, expect, it } from 'vitest';
import { fitFeatures } from '../../src/baseline/features';
import { logCountRatio } from '../../src/baseline/naiveBayes';
import { PairTable } from '../../src/baseline/pairTable';
import { wordReader } from '../../src/baseline/reading';
import { rowOf, sparseRowsFrom } from '../../src/baseline/sparseRows';
import { seededRandom } from '../../src/data/random';
import { packTexts, unpackTexts } from '../../src/data/packedTexts';
import { KERAS_DEFAULT_FILTERS } from '../../src/text/tokenizer';

const READING = { lower: true, filters: KERAS_DEFAULT_FILTERS, split: ' ' };
const read = wordReader(READING);
const texts = (rows: ReturnType<typeof fitFeatures>, i: number) =>
  Array.from(rowOf(rows.rows, i), (j) => rows.texts[j]).sort();

describe('the baseline reads text as the Keras tokenizer does, before any numWords cut', () => {
  it('lowercases, drops the filter characters and keeps apostrophes', () => {
    expect(read("The film's END, it's <b>great</b>!!")).toEqual(['the', "film's", 'end', "it's", 'b', 'great', 'b']);
  });
});

describe('n-gram features (unigrams + bigrams, binarized)', () => {
  const docs = ['The film, the FILM!', 'a good film', 'not a good film'].map(read);

  it('lists each distinct unigram and bigram of a review once (min count 1)', () => {
    const fitted = fitFeatures(docs, READING, { minCount: 1 });
    // Unigrams first in first-seen order, then bigrams in first-seen order.
    expect(fitted.texts).toEqual([
      'the',
      'film',
      'a',
      'good',
      'not',
      'the film',
      'film the',
      'a good',
      'good film',
      'not a',
    ]);
    expect([fitted.unigrams, fitted.bigrams]).toEqual([5, 5]);
    expect(texts(fitted, 0)).toEqual(['film', 'film the', 'the', 'the film']);
    expect(texts(fitted, 2)).toEqual(['a', 'a good', 'film', 'good', 'good film', 'not', 'not a']);
  });

  it('keeps only n-grams found in at least minCount reviews, counting a review once', () => {
    const fitted = fitFeatures(docs, READING, { minCount: 2 });
    // "the" occurs twice but in one review; "film" is in all three.
    expect(fitted.texts).toEqual(['film', 'a', 'good', 'a good', 'good film']);
    expect(texts(fitted, 0)).toEqual(['film']);
  });

  it('encodes other reviews over the same dictionary; an unknown word forms nothing and breaks its bigrams', () => {
    const fitted = fitFeatures(docs, READING, { minCount: 1 });
    const row = fitted.encodeOne(read('a truly good film, a good film'));
    expect(Array.from(row, (j) => fitted.texts[j]).sort()).toEqual(['a', 'film', 'good', 'good film', 'a good'].sort());
    expect(fitted.encodeOne([])).toHaveLength(0);
    expect(() => fitFeatures(docs, READING, { minCount: 0 })).toThrow('minCount must be a whole number');
  });
});

describe('the naive-Bayes log-count ratio', () => {
  it('matches a hand-computed toy corpus (alpha 1), leaving out rows not in use', () => {
    // Features 0..2; positives {0,1} and {0}; negative {1,2}; row 3 is validation and must not count.
    const rows = sparseRowsFrom([[0, 1], [0], [1, 2], [2, 2 - 2]]);
    const labels = [1, 1, 0, 1];
    const r = logCountRatio(rows, labels, [0, 1, 2], 3, 1);
    // p = 1 + [2, 1, 0] = [3, 2, 1] (sum 6); q = 1 + [0, 1, 1] = [1, 2, 2] (sum 5).
    const expected = [Math.log(3 / 6 / (1 / 5)), Math.log(2 / 6 / (2 / 5)), Math.log(1 / 6 / (2 / 5))];
    expected.forEach((e, j) => expect(r[j]).toBeCloseTo(e, 12));
    expect(() => logCountRatio(rows, labels, [0], 3, 0)).toThrow('alpha must be above 0');
  });
});

describe('the pair table', () => {
  it('gives the same slots as a Map through many growths', () => {
    const random = seededRandom(3);
    const table = new PairTable(4);
    const reference = new Map<string, number>();
    for (let n = 0; n < 50_000; n++) {
      const a = Math.floor(random() * 400);
      const b = Math.floor(random() * 400);
      const key = `${a},${b}`;
      if (!reference.has(key)) reference.set(key, reference.size);
      expect(table.add(a, b)).toBe(reference.get(key));
    }
    expect(table.length).toBe(reference.size);
    for (const [key, slot] of reference) {
      const [a, b] = key.split(',').map(Number);
      expect(table.get(a!, b!)).toBe(slot);
    }
    expect(table.get(401, 0)).toBe(-1);
  });
});

describe('packed texts', () => {
  it('cross as UTF-8 and come back the same, emoji and other scripts included', () => {
    const reviews = [
      { id: 3, rating: 9, label: 1 as const, text: 'Loved it 😍 — 素晴らしい映画！' },
      { id: 8, rating: 2, label: 0 as const, text: '' },
      { id: 1, rating: 1, label: 0 as const, text: 'Фильм ужасный.' },
    ];
    const packed = packTexts(reviews);
    expect(unpackTexts(packed)).toEqual(reviews.map((r) => r.text));
    expect(Array.from(packed.labels)).toEqual([1, 0, 0]);
    expect(Array.from(packed.reviewIds)).toEqual([3, 8, 1]);
  });
});
