import * as tf from '@tensorflow/tfjs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFromFiles, bundleToFiles, bundleToZip, type NamedBytes } from '../../src/bundle/files';
import { parseMetadata, validateMetadata } from '../../src/bundle/metadata';
import { FILE_NAMES } from '../../src/bundle/bundleError';
import { type ModelBundle } from '../../src/bundle/types';
import { validateBundle } from '../../src/bundle/validate';
import { ReviewClassifier } from '../../src/inference/reviewClassifier';
import { makeMetadata, TEXTS, tinyBundle } from './bundleHelpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const files = (bundle: ModelBundle) => bundleToFiles(bundle);
const without = (list: NamedBytes[], name: string) => list.filter((f) => f.name !== name);
const replace = (list: NamedBytes[], name: string, bytes: Uint8Array) =>
  list.map((f) => (f.name === name ? { name, bytes } : f));
const json = (value: unknown) => strToU8(JSON.stringify(value));

function loadError(list: NamedBytes[]): string {
  try {
    validateBundle(bundleFromFiles(list));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the files to be rejected');
}

describe('model bundle: write then read', () => {
  it('a zip round trip gives identical weights, tokenizer, metadata and predictions', async () => {
    const { bundle, model } = await tinyBundle();
    const zip = bundleToZip(bundle);
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(Object.values(FILE_NAMES).sort());
    const back = bundleFromFiles([{ name: 'sentiment-model.zip', bytes: zip }]);
    expect(new Uint8Array(back.weightData)).toEqual(new Uint8Array(bundle.weightData));
    expect(back.tokenizerJson).toBe(bundle.tokenizerJson);
    expect(back.metadata).toEqual(bundle.metadata);
    expect(back.modelJson).toEqual(bundle.modelJson);
    // The weights equal the model's own, tensor by tensor.
    const validated = validateBundle(back);
    const flat = new Float32Array(back.weightData);
    model.getWeights().forEach((w, i) => {
      const offset = validated.weightOffsets[i]!;
      expect(flat.subarray(offset, offset + w.size)).toEqual(w.dataSync());
    });
    const a = new ReviewClassifier(validateBundle(bundle));
    const b = new ReviewClassifier(validated);
    for (const text of TEXTS) expect(b.classify(text).probability).toBe(a.classify(text).probability);
    model.dispose();
  });

  it('separate files (in any order, renamed weights) read back the same bundle', async () => {
    const { bundle, model } = await tinyBundle();
    const list = files(bundle).reverse();
    const renamed = list.map((f) => (f.name.endsWith('.bin') ? { ...f, name: 'model.weights (1).bin' } : f));
    const back = bundleFromFiles(renamed);
    expect(new Uint8Array(back.weightData)).toEqual(new Uint8Array(bundle.weightData));
    expect(back.tokenizerJson).toBe(bundle.tokenizerJson);
    model.dispose();
  });

  it('reads sharded weights in manifest order into one weights file', async () => {
    const { bundle, model } = await tinyBundle();
    const bytes = new Uint8Array(bundle.weightData);
    const cut = 400;
    const sharded = {
      ...bundle.modelJson,
      weightsManifest: [
        {
          paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
          weights: bundle.modelJson.weightsManifest[0]!.weights,
        },
      ],
    };
    const list: NamedBytes[] = [
      { name: 'group1-shard2of2.bin', bytes: bytes.slice(cut) },
      { name: 'model.json', bytes: json(sharded) },
      { name: 'group1-shard1of2.bin', bytes: bytes.slice(0, cut) },
      ...files(bundle).filter((f) => f.name === FILE_NAMES.tokenizer || f.name === FILE_NAMES.metadata),
    ];
    const back = bundleFromFiles(list);
    expect(new Uint8Array(back.weightData)).toEqual(bytes);
    expect(back.modelJson.weightsManifest).toEqual([
      { paths: [FILE_NAMES.weights], weights: sharded.weightsManifest[0]!.weights },
    ]);
    model.dispose();
  });
});

describe('metadata validation', () => {
  it('accepts what the app writes, and survives a JSON round trip', () => {
    const metadata = makeMetadata({
      training: {
        settings: { epochs: 2, optimizer: 'rmsprop' },
        backend: 'webgl',
        engine: 'stock',
        stopReason: 'completed',
        epochsTrained: 2,
        restoredEpoch: null,
        trainExamples: 90,
        validationExamples: 10,
        selfCheck: { passed: true, maxDifference: 3e-8, reviews: 256 },
        history: [{ epoch: 1, loss: 0.6, accuracy: 0.7, valLoss: 0.62, valAccuracy: null, seconds: 3 }],
        trainingSeconds: 6.5,
      },
      dataset: { sourceSha256: 'a'.repeat(64), trainReviews: 100, testReviews: 100 },
    });
    expect(parseMetadata(JSON.stringify(metadata))).toEqual(metadata);
  });

  it('keeps a failed self-check through JSON (an infinite difference is written as null)', () => {
    const training = {
      settings: {},
      backend: 'webgl',
      engine: 'fused',
      stopReason: 'completed',
      epochsTrained: 1,
      restoredEpoch: null,
      trainExamples: 9,
      validationExamples: 1,
      selfCheck: { passed: false, maxDifference: Number.POSITIVE_INFINITY, reviews: 256 },
      history: null,
      trainingSeconds: null,
    };
    const read = validateMetadata(JSON.parse(JSON.stringify(makeMetadata({ training }))));
    expect(read.training?.selfCheck).toEqual({ passed: false, maxDifference: Number.POSITIVE_INFINITY, reviews: 256 });
    // Bundles written before the self-check existed still load.
    const older: Record<string, unknown> = { ...training };
    delete older.selfCheck;
    const readOlder = validateMetadata(
      JSON.parse(JSON.stringify(makeMetadata({ training: older as typeof training }))),
    );
    expect(readOlder.training?.selfCheck).toBeNull();
  });

  it.each([
    [{ format: 'other' }, '"format" must be "sentiment-lab-model"'],
    [{ formatVersion: 2 }, 'format version 2 is not supported'],
    [{ maxlen: 0 }, '"maxlen" must be a whole number of at least 1, got 0'],
    [{ maxlen: '200' }, '"maxlen" must be a whole number'],
    [{ padding: 'middle' }, '"padding" must be one of "pre", "post", got "middle"'],
    [{ numWords: 1.5 }, '"numWords" must be a whole number'],
    [{ createdAt: 'yesterday' }, '"createdAt" must be an ISO date'],
    [
      { metrics: { test: { loss: 1, accuracy: 2, count: 1 } } },
      'metrics.test needs a "loss" and an "accuracy" between 0 and 1',
    ],
    [
      { metrics: { shortVersions: { lastSentence: 1.2, lastWords: 0.7, words: 20, count: 10 } } },
      'metrics.shortVersions: "lastSentence" must be an accuracy between 0 and 1',
    ],
    [{ dataset: { sourceSha256: 'xyz', trainReviews: 1, testReviews: 1 } }, '"sourceSha256" must be 64 hex digits'],
    [{ training: { settings: { epochs: [1] } } }, 'training.settings: "epochs" must be a number or a string'],
  ])('rejects %j with a message naming the field', (patch, message) => {
    expect(() => validateMetadata({ ...makeMetadata(), ...patch })).toThrow(message);
  });

  it('rejects non-objects and bad JSON', () => {
    expect(() => validateMetadata([1])).toThrow('metadata.json must be a JSON object');
    expect(() => parseMetadata('{"format":')).toThrow('metadata.json is not valid JSON');
  });
});

describe('malformed input gets a clear message', () => {
  it('a corrupt zip', async () => {
    const { bundle, model } = await tinyBundle();
    const zip = bundleToZip(bundle);
    const corrupt = zip.slice(0, zip.length >> 1);
    expect(loadError([{ name: 'model.zip', bytes: corrupt }])).toMatch(/^model\.zip is not a readable zip file/);
    expect(loadError([{ name: 'notes.zip', bytes: strToU8('hello, not a zip') }])).toMatch(
      /notes\.zip is not a readable zip file/,
    );
    expect(loadError([{ name: 'empty.zip', bytes: zipSync({}) }])).toBe('empty.zip holds no files.');
    model.dispose();
  });

  it('malformed JSON, unknown files and unknown JSON', async () => {
    const { bundle, model } = await tinyBundle();
    const list = files(bundle);
    expect(loadError(replace(list, 'model.json', strToU8('{"modelTopology": ')))).toMatch(
      /^model\.json is not valid JSON/,
    );
    expect(loadError([...list, { name: 'notes.txt', bytes: strToU8('hi') }])).toMatch(
      /^notes\.txt is not part of a model/,
    );
    expect(loadError([...list, { name: 'other.json', bytes: json({ hello: 1 }) }])).toMatch(
      /^other\.json is JSON but none of/,
    );
    expect(loadError([])).toBe('No files were given.');
    model.dispose();
  });

  it('a missing tokenizer, metadata, model.json or weights file', async () => {
    const { bundle, model } = await tinyBundle();
    const list = files(bundle);
    expect(loadError(without(list, 'tokenizer.json'))).toMatch(
      /No tokenizer\.json was given: the model cannot read text without/,
    );
    expect(loadError(without(list, 'metadata.json'))).toMatch(/No metadata\.json was given/);
    expect(loadError(without(list, 'model.json'))).toMatch(/No model\.json was given/);
    expect(loadError(without(list, 'model.weights.bin'))).toBe(
      'The weights file model.weights.bin that model.json names was not given.',
    );
    const zipWithoutTokenizer = zipSync(
      Object.fromEntries(without(list, 'tokenizer.json').map((f) => [f.name, f.bytes])),
    );
    expect(loadError([{ name: 'a.zip', bytes: zipWithoutTokenizer }])).toMatch(/No tokenizer\.json was given/);
    model.dispose();
  });

  it('weights that do not match model.json', async () => {
    const { bundle, model } = await tinyBundle();
    const other = await tinyBundle({ lstmUnits: 7 });
    const list = replace(files(bundle), 'model.weights.bin', new Uint8Array(other.bundle.weightData));
    expect(loadError(list)).toMatch(
      /^The weights file holds [\d,]+ bytes, but model\.json describes 6 float32 weights of [\d,]+ bytes: the weights do not belong to this model\.json\.$/,
    );
    const truncated = replace(files(bundle), 'model.weights.bin', new Uint8Array(bundle.weightData).slice(0, 100));
    expect(loadError(truncated)).toMatch(/holds 100 bytes/);
    model.dispose();
    other.model.dispose();
  });

  it('a model of another shape or kind', async () => {
    const { bundle, model } = await tinyBundle();
    const topology = bundle.modelJson.modelTopology as {
      config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> };
    };
    const withLayers = (edit: (layers: typeof topology.config.layers) => void) => {
      const copy = structuredClone(bundle.modelJson);
      edit((copy.modelTopology as typeof topology).config.layers);
      return replace(files(bundle), 'model.json', json(copy));
    };
    expect(loadError(withLayers((l) => (l[1]!.class_name = 'GRU')))).toBe(
      'model.json: expected a Sequential Embedding → LSTM → Dense(1, sigmoid) model, found Embedding → GRU → Dense.',
    );
    expect(loadError(withLayers((l) => (l[2]!.config.units = 3)))).toMatch(/it has Dense with 3 units \(needs 1\)/);
    expect(loadError(withLayers((l) => (l[2]!.config.activation = 'softmax')))).toMatch(
      /Dense activation softmax \(needs sigmoid\)/,
    );
    expect(loadError(withLayers((l) => (l[1]!.config.units = 9)))).toMatch(
      /weight "lstm\/kernel" has shape \[6, 20\], but the LSTM\(9\) kernel needs \[6, 36\]/,
    );
    expect(loadError(withLayers((l) => (l[0]!.config.batch_input_shape = [null, 50])))).toBe(
      'model.json takes sequences of length 50, but metadata.json says maxlen 12.',
    );
    const functional = structuredClone(bundle.modelJson);
    functional.modelTopology = { class_name: 'Functional', config: {} };
    expect(loadError(replace(files(bundle), 'model.json', json(functional)))).toMatch(/found a "Functional" model/);
    const graph = { ...bundle.modelJson, format: 'graph-model' };
    expect(loadError(replace(files(bundle), 'model.json', json(graph)))).toMatch(/graph models cannot be loaded here/);
    model.dispose();
  });

  it('a tokenizer that belongs to another model', async () => {
    const { bundle, model } = await tinyBundle({ numWords: 30 });
    const big = await tinyBundle({ numWords: 60 });
    const list = replace(files(bundle), 'tokenizer.json', strToU8(big.bundle.tokenizerJson));
    expect(loadError(list)).toBe('tokenizer.json has num_words 60, but metadata.json says numWords 30.');
    const badJson = replace(
      files(bundle),
      'tokenizer.json',
      json({ class_name: 'Tokenizer', config: { word_index: 5 } }),
    );
    expect(loadError(badJson)).toMatch(/^tokenizer\.json is not a Keras tokenizer JSON/);
    // A tokenizer producing ids beyond the Embedding: numWords larger than the model's input_dim.
    const wide = structuredClone(bundle.metadata);
    wide.numWords = 60;
    const mismatched = replace(
      replace(files(bundle), 'tokenizer.json', strToU8(big.bundle.tokenizerJson)),
      'metadata.json',
      json(wide),
    );
    expect(loadError(mismatched)).toMatch(
      /tokenizer\.json produces word ids up to \d+, but the model's Embedding only takes ids below 30/,
    );
    model.dispose();
    big.model.dispose();
  });
});
