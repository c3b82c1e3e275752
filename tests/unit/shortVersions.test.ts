import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { encodeShortVersions, paddedRows, SHORT_VERSION_WORDS } from '../../src/data/shortVersionSequences';
import { padSequences } from '../../src/text/pad';
import { lastSentence, lastWords, withoutMarkup } from '../../src/text/shortVersions';
import { Tokenizer } from '../../src/text/tokenizer';
import { shortVersionAccuracy } from '../../src/training/shortVersionAccuracy';
import { TEXTS, tinyModel } from './bundleHelpers';

describe('short versions of a review', () => {
  it('turns IMDB line breaks into spaces', () => {
    expect(withoutMarkup('Good.<br /><br />Bad<br/>ugly')).toBe('Good.  Bad ugly');
  });

  it('takes the last sentence with a word in it, keeping its punctuation', () => {
    expect(lastSentence('I liked it. The end was weak! Still, 8/10.')).toBe('Still, 8/10.');
    expect(lastSentence('Great cast.<br /><br />Awful script?! ...')).toBe('Awful script?! ...');
    expect(lastSentence('No sentence end here')).toBe('No sentence end here');
    expect(lastSentence('Fine. :-)')).toBe('Fine. :-)');
  });

  it('takes the last n words', () => {
    const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    expect(lastWords(text, 20).split(' ')).toEqual(Array.from({ length: 20 }, (_, i) => `w${i + 10}`));
    expect(lastWords('only three words', 20)).toBe('only three words');
    expect(lastWords('a<br />b', 1)).toBe('b');
  });
});

describe('the test reviews short versions, as the data worker sends them and the training worker scores them', () => {
  const texts = [
    'A slow start. But the last act is wonderful and moving!',
    'Great cast.<br /><br />Terrible, boring script; I walked out.',
    Array.from({ length: 40 }, (_, i) => (i % 2 ? 'great' : 'film')).join(' '),
  ];
  const tokenizer = new Tokenizer({ numWords: 50, oovToken: null });
  tokenizer.fitOnTexts(texts);
  const encode = (text: string) => tokenizer.textsToSequences([text])[0]!;

  it('are the tokenizer reading of each rule, packed and padded as pad_sequences pads', () => {
    const short = encodeShortVersions(texts, encode);
    const maxlen = 8;
    const labels = Uint8Array.from([1, 0, 1]);
    for (const [kind, rule] of [
      ['lastSentence', lastSentence],
      ['lastWords', (t: string) => lastWords(t, SHORT_VERSION_WORDS)],
    ] as const) {
      const expected = padSequences(
        texts.map((t) => encode(rule(t))),
        { maxlen, padding: 'pre', truncating: 'pre' },
      );
      const rows = paddedRows(short[kind], labels, 0, texts.length, maxlen, 'pre', 'pre');
      expect(Array.from(rows.ids)).toEqual(Array.from(expected.data));
      // A chunk from the middle is the same rows.
      const tail = paddedRows(short[kind], labels, 1, 3, maxlen, 'pre', 'pre');
      expect(Array.from(tail.ids)).toEqual(Array.from(expected.data.subarray(maxlen)));
      expect(Array.from(tail.labels)).toEqual([0, 1]);
    }
    expect(Array.from(short.lastWords.offsets)).toEqual([0, 11, 19, 39]);
  });

  it('score a real tfjs model: the accuracy of its own predictions on each short text against the labels', async () => {
    await tf.setBackend('cpu');
    const { model, tokenizer: fitted, maxlen } = await tinyModel({ scale: 2 });
    const reviews = [...TEXTS, ...TEXTS.map((t) => `${t} ${TEXTS[0]}`)];
    const labels = Uint8Array.from(reviews, (_, i) => i % 2);
    const read = (text: string) => fitted.textsToSequences([text])[0]!;
    const short = encodeShortVersions(reviews, read);
    const predictTexts = (shortTexts: string[]) =>
      tf.tidy(() => {
        const padded = padSequences(shortTexts.map(read), { maxlen });
        const input = tf.tensor2d(padded.data, [padded.rows, maxlen], 'int32');
        return Array.from((model.predict(input) as tf.Tensor).dataSync());
      });
    const accuracyOf = (p: number[]) => p.filter((v, i) => (v > 0.5 ? 1 : 0) === labels[i]).length / labels.length;
    const result = await shortVersionAccuracy({
      short,
      labels,
      maxlen,
      padding: 'pre',
      truncating: 'pre',
      predict: async (rows) =>
        tf.tidy(() =>
          Float32Array.from(
            (model.predict(tf.tensor2d(rows.ids, [rows.count, rows.maxlen], 'int32')) as tf.Tensor).dataSync(),
          ),
        ),
    });
    expect(result).toEqual({
      lastSentence: accuracyOf(predictTexts(reviews.map((r) => lastSentence(r)))),
      lastWords: accuracyOf(predictTexts(reviews.map((r) => lastWords(r, 20)))),
      words: 20,
      count: reviews.length,
    });
    model.dispose();
  });
});
