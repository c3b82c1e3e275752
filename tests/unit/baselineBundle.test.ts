import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { baselineBundle, validateBaseline, type BaselineBundle } from '../../src/baseline/bundle';
import { baselineToFiles, baselineToZip, modelFromFiles } from '../../src/baseline/bundleFiles';
import { BaselineScorer } from '../../src/baseline/scorer';
import { BASELINE_DEFAULTS, trainBaseline, type LinearModel } from '../../src/baseline/train';
import type { NamedBytes } from '../../src/bundle/files';
import { KERAS_DEFAULT_FILTERS } from '../../src/text/tokenizer';

const READING = { lower: true, filters: KERAS_DEFAULT_FILTERS, split: ' ' };

/** A hand-made model: every weight chosen so the figures below can be worked out by hand. */
const HAND: LinearModel = {
  reading: READING,
  features: ['not', 'good', 'very', 'bad', 'not good', 'not bad'],
  unigrams: 4,
  weights: Float32Array.from([-1, 2, 0.25, -2, -3, 3]),
  bias: 0.5,
};

const story = {
  name: 'hand-made',
  appVersion: '0.1.0',
  createdAt: '2026-12-01T10:00:00.000Z',
  training: null,
  dataset: null,
  metrics: { validation: null, test: { loss: 0.3, accuracy: 0.9, count: 10 }, auc: null },
};

const zipOf = (bundle: BaselineBundle): NamedBytes => ({ name: 'baseline.zip', bytes: baselineToZip(bundle) });
/** The bundle's files with one of them replaced (or removed, with null). */
function zipWith(bundle: BaselineBundle, name: string, bytes: Uint8Array | null): NamedBytes {
  const files: Record<string, Uint8Array> = unzipSync(baselineToZip(bundle));
  if (bytes) files[name] = bytes;
  else delete files[name];
  return { name: 'broken.zip', bytes: zipSync(files) };
}
const load = (file: NamedBytes) => validateBaseline(modelFromFiles([file]) as BaselineBundle);

describe('the baseline scorer on a hand-made model', () => {
  const scorer = new BaselineScorer(HAND);
  const logit = (text: string) => Math.log(scorer.probability(text) / (1 - scorer.probability(text)));

  it('sums the weights of the n-grams present, each once, with the bias', () => {
    expect(logit('not good')).toBeCloseTo(0.5 - 1 + 2 - 3, 6);
    expect(logit('Good, good, GOOD!')).toBeCloseTo(0.5 + 2, 6);
    expect(logit('not very bad')).toBeCloseTo(0.5 - 1 + 0.25 - 2, 6); // "not very", "very bad" are unknown
    expect(logit('')).toBeCloseTo(0.5, 6);
  });

  it('reads word by word: each word adds the n-grams it completes first', () => {
    const scored = scorer.score(scorer.words('not good, not good film'), 400);
    expect(scored.readings.map((r) => r.logit)).toEqual([-0.5, -1.5, -1.5, -1.5, -1.5]);
    expect(scored.readings[1]!.added).toEqual([
      { text: 'good', weight: 2 },
      { text: 'not good', weight: -3 },
    ]);
    expect(scored.readings[4]!.unigram).toBeNull();
    expect([scored.unigrams, scored.bigrams, scored.unknownWords]).toEqual([2, 1, 1]);
  });

  it('leaves one word out exactly, joining its neighbours into a new bigram', () => {
    // "not very bad": without "very" it is "not bad" (+3).
    expect(scorer.leaveOneOut(scorer.words('not very bad'), 400)).toEqual([
      0.5 + 0.25 - 2,
      0.5 - 1 - 2 + 3,
      0.5 - 1 + 0.25,
    ]);
    // A repeated bigram stays present when one of its occurrences goes.
    const words = scorer.words('not good not good');
    const out = scorer.leaveOneOut(words, 400);
    out.forEach((z, k) => expect(z).toBeCloseTo(scorer.logitOfWords([...words.slice(0, k), ...words.slice(k + 1)]), 6));
  });
});

describe('the baseline bundle', () => {
  const bundle = baselineBundle(HAND, story);

  it('round-trips through a zip and through separate files', () => {
    const fromZip = load(zipOf(bundle));
    const fromFiles = validateBaseline(modelFromFiles(baselineToFiles(bundle)) as BaselineBundle);
    for (const { model, bundle: read } of [fromZip, fromFiles]) {
      expect(model.features).toEqual(HAND.features);
      expect(Array.from(model.weights)).toEqual(Array.from(HAND.weights));
      expect(model.bias).toBe(0.5);
      expect(read.metadata).toEqual(bundle.metadata);
    }
    expect(Object.keys(unzipSync(baselineToZip(bundle))).sort()).toEqual([
      'baseline.json',
      'features.txt',
      'weights.bin',
    ]);
  });

  it('names each malformed file', () => {
    const json = JSON.parse(new TextDecoder().decode(baselineToFiles(bundle)[0]!.bytes)) as Record<string, unknown>;
    const withJson = (change: Record<string, unknown>) =>
      zipWith(bundle, 'baseline.json', strToU8(JSON.stringify({ ...json, ...change })));
    const cases: [NamedBytes, string][] = [
      [{ name: 'baseline.zip', bytes: strToU8('not a zip at all') }, 'baseline.zip is not a readable zip file'],
      [zipWith(bundle, 'baseline.json', strToU8('{"format": ')), 'baseline.json is not valid JSON'],
      [withJson({ formatVersion: 7 }), 'format version 7 is not supported'],
      [withJson({ model: { ...(json.model as object), kind: 'svm' } }), '"kind" must be "nbsvm"'],
      [withJson({ model: { ...(json.model as object), bias: 'x' } }), '"bias" must be a number'],
      [withJson({ reading: { lower: true, filters: '', split: ' ' } }), '"filters" must remove newlines'],
      [zipWith(bundle, 'features.txt', null), 'No features.txt was given'],
      [zipWith(bundle, 'weights.bin', null), 'No weights.bin was given'],
      [
        zipWith(bundle, 'weights.bin', new Uint8Array(20)),
        'weights.bin holds 20 bytes, but baseline.json says 6 features',
      ],
      [zipWith(bundle, 'features.txt', strToU8('not\ngood\nvery\nbad\nnot good')), 'features.txt has 5 lines'],
      [
        zipWith(bundle, 'features.txt', strToU8('not\ngood\nvery\nbad\nnot good\nbad')),
        'line 6 ("bad") is not a bigram',
      ],
      [zipWith(bundle, 'features.txt', strToU8('not\ngood\nvery\nbad\nnot good\nnot good')), 'lists "not good" twice'],
      [
        zipWith(bundle, 'weights.bin', new Uint8Array(Float32Array.from([1, 2, NaN, 0, 0, 0]).buffer)),
        'the weight of "very" is not a finite number',
      ],
      [zipWith(bundle, 'model.json', strToU8('{"modelTopology": {}}')), 'model.json is not part of a baseline'],
      [zipWith(bundle, 'notes.md', strToU8('hello')), 'notes.md is not part of a baseline'],
    ];
    for (const [file, message] of cases) expect(() => load(file), message).toThrow(message);
  });

  it('predicts, once loaded, what the trained model predicted', () => {
    const texts = [
      'A wonderful film, not boring at all. Great acting and a great story.',
      'Boring, dull and far too long; the acting is awful.',
      'Not great, not awful. A film.',
      'Great fun! The story is wonderful and the ending great.',
      'Awful. Just awful: a dull plot and boring, wooden acting.',
      'A dull film with a great cast.',
    ];
    const labels = [1, 0, 0, 1, 0, 1];
    const result = trainBaseline(
      {
        reading: READING,
        trainTexts: texts,
        trainLabels: labels,
        split: { train: [0, 1, 2, 3, 4], validation: [5] },
        testTexts: [...texts, 'never seen words only', 'great great great dull'],
      },
      { ...BASELINE_DEFAULTS, minCount: 1, epochs: 4, batchSize: 2 },
      () => {},
    );
    const { model } = load(zipOf(baselineBundle(result.model, story)));
    const scorer = new BaselineScorer(model);
    [...texts, 'never seen words only', 'great great great dull'].forEach((text, i) =>
      expect(scorer.probability(text)).toBeCloseTo(result.testProbabilities[i]!, 12),
    );
  });
});
