import { describe, expect, it } from 'vitest';
import { KERAS_DEFAULT_FILTERS, Tokenizer } from '../../src/text/tokenizer';

const CORPUS = ['The cat sat on the mat.', 'The dog ate my homework!'];

describe('Tokenizer (Keras semantics)', () => {
  it('lowercases, removes the default filters and splits on spaces', () => {
    const t = new Tokenizer();
    expect(t.textToWords('Hello, World!  "Quoted"\tTab\nLine (paren) a-b c.d e/f')).toEqual([
      'hello',
      'world',
      'quoted',
      'tab',
      'line',
      'paren',
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
  });

  it("keeps apostrophes, which Keras's default filters do not remove", () => {
    expect(new Tokenizer().textToWords("Don't stop, it's GREAT")).toEqual(["don't", 'stop', "it's", 'great']);
  });

  it('filters every one of the default characters', () => {
    expect(new Tokenizer().textToWords(`x${KERAS_DEFAULT_FILTERS}y`)).toEqual(['x', 'y']);
  });

  it('respects lower=false and custom filters', () => {
    const t = new Tokenizer({ lower: false, filters: '!' });
    expect(t.textToWords('Hi, There!')).toEqual(['Hi,', 'There']);
  });

  it('indexes words from 1 by descending frequency', () => {
    const t = new Tokenizer();
    t.fitOnTexts(CORPUS);
    expect(t.indexOf('the')).toBe(1);
    expect(t.textsToSequences(['the cat ate the homework'])).toEqual([[1, 2, 7, 1, 9]]);
    expect(t.documentsFitted).toBe(2);
    expect(t.distinctWords).toBe(9);
  });

  it("breaks frequency ties by first appearance, as Python's stable sort does", () => {
    const t = new Tokenizer();
    t.fitOnTexts(['b a', 'c a b', 'd']);
    // a:2 b:2 (b seen first), c:1, d:1
    expect(['b', 'a', 'c', 'd'].map((w) => t.indexOf(w))).toEqual([1, 2, 3, 4]);
  });

  it('keeps only indices below numWords, dropping the rest without an OOV token', () => {
    const t = new Tokenizer({ numWords: 3 });
    t.fitOnTexts(['a a a b b c']);
    expect(t.textsToSequences(['a b c d'])).toEqual([[1, 2]]);
    expect(t.vocabularySize).toBe(3);
  });

  it('maps unknown and cut-off words to the OOV token, which takes index 1', () => {
    const t = new Tokenizer({ numWords: 3, oovToken: '<OOV>' });
    t.fitOnTexts(['a a a b b c']);
    expect(t.indexOf('<OOV>')).toBe(1);
    expect(t.indexOf('a')).toBe(2);
    // b has index 3 >= numWords: OOV, as Keras does.
    expect(t.textsToSequences(['a b zebra'])).toEqual([[2, 1, 1]]);
  });

  it('gives an empty sequence for empty or filter-only text', () => {
    const t = new Tokenizer();
    t.fitOnTexts(CORPUS);
    expect(t.textsToSequences(['', '   ', '!!! ...'])).toEqual([[], [], []]);
  });

  it('keeps emoji and non-Latin scripts as words', () => {
    const t = new Tokenizer();
    expect(t.textToWords('Отличный ФИЛЬМ 😀 映画 は 最高!')).toEqual(['отличный', 'фильм', '😀', '映画', 'は', '最高']);
    t.fitOnTexts(['映画 映画 😀']);
    expect(t.textsToSequences(['😀 映画'])).toEqual([[2, 1]]);
  });

  it('handles a review of 1 MB', () => {
    const t = new Tokenizer({ numWords: 100 });
    t.fitOnTexts(CORPUS);
    const huge = 'the cat sat. '.repeat(Math.ceil(1_000_000 / 13));
    expect(huge.length).toBeGreaterThanOrEqual(1_000_000);
    const [sequence] = t.textsToSequences([huge]);
    expect(sequence).toHaveLength(3 * Math.ceil(1_000_000 / 13));
    expect(sequence!.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('fitOnTextsAndEncode equals fitOnTexts followed by textsToSequences', () => {
    const texts = ['b a b', 'c a b! d', '', 'e e e e a', 'Zebra? zebra.'];
    for (const options of [{}, { numWords: 3 }, { numWords: 3, oovToken: '<OOV>' }]) {
      const oneStep = new Tokenizer(options);
      const encoded = oneStep.fitOnTextsAndEncode(texts).map((s) => Array.from(s));
      const twoSteps = new Tokenizer(options);
      twoSteps.fitOnTexts(texts);
      expect(encoded).toEqual(twoSteps.textsToSequences(texts));
      expect(oneStep.toJson()).toBe(twoSteps.toJson());
    }
  });

  it('splits on a multi-character split string as Keras does', () => {
    expect(new Tokenizer({ split: '||', filters: '' }).textToWords('a||b c||||d')).toEqual(['a', 'b c', 'd']);
  });

  it('round-trips through the Keras tokenizer_from_json format', () => {
    const t = new Tokenizer({ numWords: 5, oovToken: '[UNK]' });
    t.fitOnTexts([...CORPUS, 'numbers 1984 and 10 keep 10 their order 2', 'émoji 😀 stay']);
    const json = t.toJson();
    const back = Tokenizer.fromJson(json);
    expect(back.toJson()).toBe(json);
    expect(back.textsToSequences(CORPUS)).toEqual(t.textsToSequences(CORPUS));
    expect(back.numWords).toBe(5);
    expect(back.oovToken).toBe('[UNK]');
  });

  it('writes the layout Keras writes: class_name, config and JSON-encoded maps', () => {
    const t = new Tokenizer();
    t.fitOnTexts(CORPUS);
    const parsed = JSON.parse(t.toJson()) as { class_name: string; config: Record<string, unknown> };
    expect(parsed.class_name).toBe('Tokenizer');
    expect(parsed.config).toMatchObject({
      num_words: null,
      lower: true,
      split: ' ',
      char_level: false,
      oov_token: null,
      document_count: 2,
    });
    expect(parsed.config.filters).toBe(KERAS_DEFAULT_FILTERS);
    expect(parsed.config.word_counts).toBe(
      '{"the": 3, "cat": 1, "sat": 1, "on": 1, "mat": 1, "dog": 1, "ate": 1, "my": 1, "homework": 1}',
    );
    expect(JSON.parse(parsed.config.index_word as string)).toMatchObject({ '1': 'the', '9': 'homework' });
    expect(JSON.parse(parsed.config.index_docs as string)).toMatchObject({ '1': 2, '2': 1 });
  });

  it('reads JSON written by Keras (Python escapes non-ASCII as \\u sequences)', () => {
    const keras =
      '{"class_name": "Tokenizer", "config": {"num_words": 10, "filters": "!\\"#$%&()*+,-./:;<=>?@[\\\\]^_`{|}~\\t\\n", ' +
      '"lower": true, "split": " ", "char_level": false, "oov_token": "<OOV>", "document_count": 2, ' +
      '"word_counts": "{\\"caf\\\\u00e9\\": 2, \\"good\\": 1}", "word_docs": "{\\"caf\\\\u00e9\\": 2, \\"good\\": 1}", ' +
      '"index_docs": "{\\"2\\": 2, \\"3\\": 1}", "index_word": "{\\"1\\": \\"<OOV>\\", \\"2\\": \\"caf\\\\u00e9\\", \\"3\\": \\"good\\"}", ' +
      '"word_index": "{\\"<OOV>\\": 1, \\"caf\\\\u00e9\\": 2, \\"good\\": 3}"}}';
    const t = Tokenizer.fromJson(keras);
    expect(t.textsToSequences(['Café GOOD bad'])).toEqual([[2, 3, 1]]);
    expect(t.wordAt(2)).toBe('café');
  });

  it('rejects malformed tokenizer JSON with a message naming the problem', () => {
    expect(() => Tokenizer.fromJson('not json')).toThrow(/not valid JSON/);
    expect(() => Tokenizer.fromJson('{"class_name": "Other", "config": {}}')).toThrow(/class_name/);
    const t = new Tokenizer();
    t.fitOnTexts(CORPUS);
    const parsed = JSON.parse(t.toJson()) as { config: Record<string, unknown> };
    parsed.config.word_index = '{"the": "one"}';
    expect(() => Tokenizer.fromJson(JSON.stringify(parsed))).toThrow(/word_index/);
  });
});
