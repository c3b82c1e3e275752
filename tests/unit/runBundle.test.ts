import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFromFiles, bundleToZip } from '../../src/bundle/files';
import { validateMetadata } from '../../src/bundle/metadata';
import { validateBundle } from '../../src/bundle/validate';
import { saveModelArtifacts } from '../../src/model/exportModel';
import { describeStorageError } from '../../src/storage/modelStore';
import { DEFAULT_SETTINGS } from '../../src/training/settings';
import { bundleFromRun, runMetadata, type RunContext } from '../../src/bundle/runBundle';
import type { RunSummary } from '../../src/workers/train/api';
import { tinyModel } from './bundleHelpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHA = 'ab'.repeat(32);

function runSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 3,
    settings: { ...DEFAULT_SETTINGS, maxlen: 12, numWords: 30, embeddingDim: 6, lstmUnits: 5, epochs: 2 },
    datasetKey: 'key',
    backend: { name: 'webgl', renderer: 'SwiftShader', softwareRendered: true, fallbackNote: null },
    engine: 'stock',
    engineNote: null,
    engineThreads: null,
    history: [
      { epoch: 1, loss: 0.69, accuracy: 0.55, valLoss: 0.68, valAccuracy: 0.6, seconds: 3 },
      { epoch: 2, loss: 0.6, accuracy: 0.7, valLoss: 0.62, valAccuracy: 0.68, seconds: 3 },
    ],
    stopReason: 'completed',
    restoredEpoch: null,
    message: null,
    test: {
      loss: 0.63,
      accuracy: 0.66,
      count: 200,
      confusion: { truePositives: 70, falsePositives: 38, trueNegatives: 62, falseNegatives: 30 },
    },
    selfCheck: { reviews: 200, maxDifference: 2e-8, tolerance: 1e-4, passed: true },
    testPredictions: null,
    report: null,
    shortVersions: null,
    trainExamples: 90,
    validationExamples: 10,
    buildSeconds: 0.1,
    trainingSeconds: 6,
    examplesPerSecond: 30,
    numTensors: 6,
    finishedAt: '2025-05-06T07:08:09.000Z',
    ...overrides,
  };
}

describe('a finished run as a bundle', () => {
  it('writes metadata that validates: preprocessing, settings, dataset hash, metrics of the kept epoch', async () => {
    const { model, tokenizer } = await tinyModel();
    const context: RunContext = {
      tokenizerJson: tokenizer.toJson(),
      sourceSha256: SHA,
      options: {
        baseUrl: 'x',
        trainReviews: 100,
        testReviews: 200,
        numWords: 30,
        maxlen: 12,
        padding: 'pre',
        truncating: 'pre',
        oovToken: null,
      },
    };
    const summary = runSummary({
      restoredEpoch: 1,
      stopReason: 'early-stopping',
      shortVersions: { lastSentence: 0.61, lastWords: 0.64, words: 20, count: 200 },
    });
    const metadata = runMetadata(summary, context);
    expect(validateMetadata(JSON.parse(JSON.stringify(metadata)))).toEqual(metadata);
    expect(metadata).toMatchObject({
      maxlen: 12,
      padding: 'pre',
      truncating: 'pre',
      numWords: 30,
      dataset: { sourceSha256: SHA, trainReviews: 100, testReviews: 200 },
      metrics: {
        validation: { loss: 0.68, accuracy: 0.6, count: 10 },
        test: { accuracy: 0.66, count: 200 },
        shortVersions: { lastSentence: 0.61, lastWords: 0.64, words: 20, count: 200 },
      },
      training: { backend: 'webgl', engine: 'stock', stopReason: 'early-stopping', epochsTrained: 2, restoredEpoch: 1 },
    });
    expect(metadata.name).toBe('LSTM(5) · test 66.0% · 2025-05-06 07:08');
    const bundle = bundleFromRun(summary, await saveModelArtifacts(model), context);
    const back = validateBundle(bundleFromFiles([{ name: 'run.zip', bytes: bundleToZip(bundle) }]));
    expect(back.bundle.metadata).toEqual(metadata);
    model.dispose();
  });
});

describe('storage errors', () => {
  it('a full quota says so, with the size needed and what to do', () => {
    const error = describeStorageError(new DOMException('quota', 'QuotaExceededError'), 'save the model', 12_300_000);
    expect(error.message).toBe(
      "Could not save the model: the browser's storage quota for this site is full (this model needs 12.3 MB). " +
        'Delete saved models you no longer need, or download this one as a zip to keep it.',
    );
    expect(describeStorageError(new Error('blocked'), 'open the database').message).toBe(
      'Could not open the database: blocked.',
    );
  });
});
