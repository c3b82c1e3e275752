/** Turns a finished training run into a model bundle: its artifacts, its tokenizer and its story. */
import { APP_VERSION } from '../appVersion';
import type { TrainingSettings } from '../training/settings';
import type { EpochPoint } from '../training/trainer';
import type { DatasetRequestOptions } from '../data/dataset';
import { bundleFromArtifacts, type CapturedArtifacts } from './artifacts';
import { epochRecord, finiteOrNull } from './history';
import { METADATA_FORMAT, METADATA_VERSION, type BundleMetadata, type ShortVersionRecord } from './metadata';
import type { ModelBundle } from './types';

/** The data a run trained on: the ids were made with this tokenizer and these options. */
export interface RunContext {
  tokenizerJson: string;
  options: DatasetRequestOptions;
  sourceSha256: string;
}

/** What a bundle records of a finished run (the training worker's RunSummary has all of it). */
export interface FinishedRun {
  settings: TrainingSettings;
  backend: { name: string };
  engine: string;
  history: ReadonlyArray<EpochPoint>;
  stopReason: string;
  restoredEpoch: number | null;
  test: { loss: number; accuracy: number; count: number } | null;
  selfCheck: { passed: boolean; maxDifference: number; reviews: number } | null;
  shortVersions?: ShortVersionRecord | null;
  trainExamples: number;
  validationExamples: number;
  trainingSeconds: number;
  /** The run's test report: its AUC is kept for comparing runs. */
  report: { test: { auc: number } | null } | null;
  finishedAt: string;
}

function defaultName(summary: FinishedRun): string {
  const date = summary.finishedAt.slice(0, 16).replace('T', ' ');
  const accuracy = summary.test ? `test ${(summary.test.accuracy * 100).toFixed(1)}%` : summary.stopReason;
  return `LSTM(${summary.settings.lstmUnits}) · ${accuracy} · ${date}`;
}

export function runMetadata(summary: FinishedRun, context: RunContext): BundleMetadata {
  const { options } = context;
  const kept = summary.restoredEpoch ?? summary.history.at(-1)?.epoch ?? null;
  const epoch = summary.history.find((e) => e.epoch === kept) ?? null;
  const validation =
    epoch && epoch.valLoss !== null && epoch.valAccuracy !== null
      ? { loss: epoch.valLoss, accuracy: epoch.valAccuracy, count: summary.validationExamples }
      : null;
  return {
    format: METADATA_FORMAT,
    formatVersion: METADATA_VERSION,
    name: defaultName(summary),
    appVersion: APP_VERSION,
    createdAt: summary.finishedAt,
    maxlen: options.maxlen,
    padding: options.padding,
    truncating: options.truncating,
    numWords: options.numWords,
    oovToken: options.oovToken,
    training: {
      settings: { ...summary.settings },
      backend: summary.backend.name,
      engine: summary.engine,
      stopReason: summary.stopReason,
      epochsTrained: summary.history.length,
      restoredEpoch: summary.restoredEpoch,
      trainExamples: summary.trainExamples,
      validationExamples: summary.validationExamples,
      selfCheck: summary.selfCheck
        ? {
            passed: summary.selfCheck.passed,
            maxDifference: summary.selfCheck.maxDifference,
            reviews: summary.selfCheck.reviews,
          }
        : null,
      history: summary.history.map(epochRecord),
      trainingSeconds: finiteOrNull(summary.trainingSeconds),
    },
    dataset: {
      sourceSha256: context.sourceSha256,
      trainReviews: options.trainReviews,
      testReviews: options.testReviews,
    },
    metrics: {
      validation,
      test: summary.test
        ? { loss: summary.test.loss, accuracy: summary.test.accuracy, count: summary.test.count }
        : null,
      shortVersions: summary.shortVersions ?? null,
      auc: finiteOrNull(summary.report?.test?.auc),
    },
  };
}

export function bundleFromRun(summary: FinishedRun, artifacts: CapturedArtifacts, context: RunContext): ModelBundle {
  return bundleFromArtifacts(artifacts, context.tokenizerJson, runMetadata(summary, context));
}
