import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateBundle } from '../../src/bundle/validate';
import { readReview } from '../../src/inference/readReview';
import { ReviewClassifier } from '../../src/inference/reviewClassifier';
import { padSequences } from '../../src/text/pad';
import { Tokenizer } from '../../src/text/tokenizer';
import { tinyBundle } from './bundleHelpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tokenizer(numWords: number | null, oovToken: string | null = null): Tokenizer {
  const t = new Tokenizer({ numWords, oovToken });
  // Frequencies: the (3) > good (2) > film, bad (1).
  t.fitOnTexts(['the good film', 'the good the bad']);
  return t;
}

describe('readReview: the ids the model reads, and how it read them', () => {
  it('gives exactly texts_to_sequences + pad_sequences', () => {
    const t = tokenizer(4);
    for (const [padding, truncating] of [
      ['pre', 'pre'],
      ['post', 'post'],
      ['pre', 'post'],
    ] as const) {
      for (const text of ['The good film!', 'bad bad bad the the good good film', 'unknown words', '']) {
        const reading = readReview(t, text, { maxlen: 5, padding, truncating });
        const expected = padSequences(t.textsToSequences([text]), { maxlen: 5, padding, truncating });
        expect(reading.ids).toEqual(expected.data);
      }
    }
  });

  it('marks out-of-vocabulary words (unknown or not below numWords) and truncation', () => {
    const t = tokenizer(3); // keeps ids 1 (the) and 2 (good)
    const reading = readReview(t, 'Zebra film the GOOD', { maxlen: 1, padding: 'pre', truncating: 'pre' });
    expect(reading.tokens).toEqual([
      { word: 'zebra', id: null, oov: true, status: 'oov', step: null },
      { word: 'film', id: null, oov: true, status: 'oov', step: null },
      { word: 'the', id: 1, oov: false, status: 'truncated', step: null },
      { word: 'good', id: 2, oov: false, status: 'kept', step: 0 },
    ]);
    expect(reading).toMatchObject({ words: 4, oovWords: 2, sequenceLength: 2, truncated: true, truncatedIds: 1 });
  });

  it('maps unknown words to the OOV token when the tokenizer has one', () => {
    const t = tokenizer(null, '<OOV>');
    const reading = readReview(t, 'zebra good', { maxlen: 3, padding: 'pre', truncating: 'pre' });
    expect(Array.from(reading.ids)).toEqual([0, 1, t.indexOf('good')!]);
    expect(reading.tokens[0]).toEqual({ word: 'zebra', id: 1, oov: true, status: 'oov', step: 0 });
  });

  it('keeps emoji and non-Latin scripts inside words, and markup as plain words', () => {
    const t = tokenizer(null);
    const reading = readReview(t, '<b>good</b> 😀 素晴らしい Фильм', { maxlen: 8, padding: 'pre', truncating: 'pre' });
    expect(reading.tokens.map((w) => w.word)).toEqual(['b', 'good', 'b', '😀', '素晴らしい', 'фильм']);
  });

  it('a 1 MB paste is truncated as trained and only a window of words is returned for display', () => {
    const t = tokenizer(null);
    const text = 'the good film '.repeat(75_000); // ~1 MB
    const started = performance.now();
    const reading = readReview(t, text, { maxlen: 200, padding: 'pre', truncating: 'pre', displayLimit: 300 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(reading.words).toBe(225_000);
    expect(reading.truncated).toBe(true);
    expect(reading.truncatedIds).toBe(225_000 - 200);
    expect(reading.tokens).toHaveLength(300);
    expect(reading.tokensFrom).toBe(225_000 - 300);
    expect(reading.tokens.filter((w) => w.status === 'kept')).toHaveLength(200);
    expect(reading.tokens.at(-1)!.status).toBe('kept');
  });
});

describe('ReviewClassifier: bad input gets an answer', () => {
  it('empty text and punctuation only: no prediction', async () => {
    const { bundle, model } = await tinyBundle();
    const classifier = new ReviewClassifier(validateBundle(bundle));
    for (const text of ['', '   ', '!!! ... ???']) {
      const result = classifier.classify(text);
      expect(result.probability).toBeNull();
      expect(result.reading.words).toBe(0);
    }
    model.dispose();
  });

  it('only out-of-vocabulary words: a prediction (on padding alone) and the count to note', async () => {
    const { bundle, model } = await tinyBundle();
    const classifier = new ReviewClassifier(validateBundle(bundle));
    const result = classifier.classify('zebra quantum xylophone');
    expect(result.probability).toBeGreaterThan(0);
    expect(result.probability).toBeLessThan(1);
    expect(result.reading.oovWords).toBe(3);
    expect(result.reading.sequenceLength).toBe(0);
    model.dispose();
  });
});
