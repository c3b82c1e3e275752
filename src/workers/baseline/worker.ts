/// <reference lib="webworker" />
import { APP_VERSION } from '../../appVersion';
import { baselineBundle } from '../../baseline/bundle';
import { readingOf } from '../../baseline/reading';
import { BASELINE_DEFAULTS, trainBaseline } from '../../baseline/train';
import { unpackTexts } from '../../data/packedTexts';
import { Tokenizer } from '../../text/tokenizer';
import { epochRecord } from '../../bundle/history';
import { binaryMetrics } from '../../training/metrics';
import { testReport } from '../../training/report';
import { validationSplit } from '../../training/validationSplit';
import { release, serve, transfer } from '../rpc';
import type { BaselineEvent, BaselineWorkerApi, TrainedBaseline } from './api';

const api: BaselineWorkerApi = {
  async train(data, splitSettings, onEvent) {
    // Progress travels on the callback's own port; awaiting the last report before answering
    // keeps every report ahead of the answer.
    let lastReport: unknown = undefined;
    const send = (event: BaselineEvent) => {
      lastReport = onEvent(event);
    };
    try {
      const tokenizer = Tokenizer.fromJson(data.tokenizerJson);
      const trainTexts = unpackTexts(data.train);
      const testTexts = unpackTexts(data.test);
      const split = validationSplit(data.train.labels, splitSettings.validationShare, splitSettings.seed);
      const options = { ...BASELINE_DEFAULTS, seed: splitSettings.seed };
      const result = trainBaseline(
        { reading: readingOf(tokenizer), trainTexts, trainLabels: data.train.labels, split, testTexts },
        options,
        (progress) => send({ type: 'progress', progress }),
        (point) => send({ type: 'epoch', point }),
      );
      const validationLabels = Uint8Array.from(split.validation, (i) => data.train.labels[i]!);
      const validation =
        split.validation.length > 0 ? binaryMetrics(result.validationProbabilities, validationLabels) : null;
      const test = data.test.count > 0 ? binaryMetrics(result.testProbabilities, data.test.labels) : null;
      const finishedAt = new Date().toISOString();
      const record = (m: typeof test) => m && { loss: m.loss, accuracy: m.accuracy, count: m.count };
      // Kept for comparing runs; a test split of one class has no ROC curve, so no AUC.
      let auc: number | null = null;
      try {
        auc = data.test.count > 0 ? testReport(result.testProbabilities, data.test.labels).auc : null;
      } catch {
        auc = null;
      }
      const bundle = baselineBundle(result.model, {
        name: `NBSVM baseline · ${test ? `test ${(test.accuracy * 100).toFixed(1)}%` : 'no test'} · ${finishedAt.slice(0, 16).replace('T', ' ')}`,
        appVersion: APP_VERSION,
        createdAt: finishedAt,
        training: {
          options,
          trainExamples: split.train.length,
          validationExamples: split.validation.length,
          epochsTrained: result.history.length,
          trainingSeconds: result.trainingSeconds,
          validationShare: splitSettings.validationShare,
          history: result.history.map((e) =>
            epochRecord({
              epoch: e.epoch,
              loss: e.loss,
              valLoss: e.validationLoss,
              valAccuracy: e.validationAccuracy,
              seconds: e.seconds,
            }),
          ),
        },
        dataset: {
          sourceSha256: data.sourceSha256,
          trainReviews: data.options.trainReviews,
          testReviews: data.options.testReviews,
        },
        metrics: { validation: record(validation), test: record(test), auc },
      });
      const trained: TrainedBaseline = {
        summary: {
          datasetKey: data.datasetKey,
          options,
          trainExamples: split.train.length,
          validationExamples: split.validation.length,
          unigrams: bundle.metadata.model.unigrams,
          bigrams: bundle.metadata.model.bigrams,
          history: result.history,
          validation,
          test,
          testPredictions: {
            reviewIds: data.test.reviewIds,
            labels: data.test.labels,
            probabilities: Float32Array.from(result.testProbabilities),
          },
          trainingSeconds: result.trainingSeconds,
          testSeconds: result.testSeconds,
          finishedAt,
        },
        bundle,
      };
      await lastReport;
      const { testPredictions } = trained.summary;
      return transfer(trained, [
        bundle.weights,
        testPredictions.reviewIds.buffer as ArrayBuffer,
        testPredictions.labels.buffer as ArrayBuffer,
        testPredictions.probabilities.buffer as ArrayBuffer,
      ]);
    } finally {
      release(onEvent);
    }
  },
};
serve(api);
