/**
 * Saved runs side by side: what the Models panel's comparison shows of each (from its bundle's
 * metadata, LSTM or baseline), the per-epoch rows its overlaid curves and their table draw, and
 * the metrics table. Pure, so the assembly is unit-tested; the components only draw it.
 */
import type { BaselineMetadata } from '../../baseline/bundle';
import type { EpochRecord } from '../../bundle/history';
import type { BundleMetadata } from '../../bundle/metadata';
import type { ModelKind } from '../../storage/modelStore';
import { formatCount, formatDuration, formatPercent } from '../format';

/** The fewest and most runs compared at once: more than four lines per chart stop being readable. */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

export interface ComparedRun {
  savedId: number;
  name: string;
  kind: ModelKind;
  /** Null when the bundle was saved before runs kept their history. */
  history: EpochRecord[] | null;
  test: { accuracy: number; count: number } | null;
  auc: number | null;
  shortVersions: { lastSentence: number; lastWords: number; words: number } | null;
  trainingSeconds: number | null;
  epochs: number | null;
  engine: string;
  settings: string;
}

const SETTING_ORDER: readonly [key: string, label: string][] = [
  ['trainReviews', 'train reviews'],
  ['maxlen', 'maxlen'],
  ['numWords', 'numWords'],
  ['embeddingDim', 'embedding'],
  ['lstmUnits', 'LSTM units'],
  ['optimizer', 'optimizer'],
  ['learningRate', 'learning rate'],
  ['learningRateDecay', 'decay'],
  ['batchSize', 'batch'],
  ['validationShare', 'validation'],
  ['maskZero', 'masked padding'],
  ['batchOrder', 'batches'],
  ['windowShare', 'windows'],
  ['seed', 'seed'],
];

/** Values that mean "this option is off": left out, so the line names what a run did. */
const OFF: Readonly<Record<string, string | number>> = {
  learningRateDecay: 1,
  maskZero: 'off',
  batchOrder: 'shuffled',
  windowShare: 0,
};

function lstmSettings(settings: Record<string, string | number>): string {
  return SETTING_ORDER.filter(([key]) => settings[key] !== undefined && settings[key] !== OFF[key])
    .map(([key, label]) => `${label} ${settings[key]}`)
    .join(' · ');
}

export function comparedRun(savedId: number, name: string, metadata: BundleMetadata | BaselineMetadata): ComparedRun {
  const test = metadata.metrics.test
    ? { accuracy: metadata.metrics.test.accuracy, count: metadata.metrics.test.count }
    : null;
  const auc = metadata.metrics.auc ?? null;
  if (metadata.format === 'sentiment-lab-baseline') {
    const training = metadata.training;
    const options = training?.options;
    return {
      savedId,
      name,
      kind: 'baseline',
      history: training?.history ?? null,
      test,
      auc,
      shortVersions: null,
      trainingSeconds: training?.trainingSeconds ?? null,
      epochs: training?.epochsTrained ?? null,
      engine: 'NBSVM: logistic regression (baseline worker, CPU)',
      settings: options
        ? [
            metadata.dataset ? `train reviews ${metadata.dataset.trainReviews}` : null,
            `unigrams + bigrams in ≥ ${options.minCount} reviews`,
            `Adam ${options.learningRate}`,
            `batch ${options.batchSize}`,
            `L2 ${options.l2}`,
            training?.validationShare === null || training?.validationShare === undefined
              ? null
              : `validation ${training.validationShare}`,
            `seed ${options.seed}`,
          ]
            .filter((part) => part !== null)
            .join(' · ')
        : 'not recorded',
    };
  }
  const training = metadata.training;
  const short = metadata.metrics.shortVersions ?? null;
  return {
    savedId,
    name,
    kind: 'lstm',
    history: training?.history ?? null,
    test,
    auc,
    shortVersions: short && { lastSentence: short.lastSentence, lastWords: short.lastWords, words: short.words },
    trainingSeconds: training?.trainingSeconds ?? null,
    epochs: training?.epochsTrained ?? null,
    engine: training ? `${training.engine} engine on ${training.backend}` : 'not recorded',
    settings: training ? lstmSettings(training.settings) : 'not recorded',
  };
}

/** One row per epoch (1 … the longest run's), one value per run (null where a run has none). */
export interface OverlayRow {
  epoch: number;
  valLoss: (number | null)[];
  valAccuracy: (number | null)[];
}

export function overlayRows(runs: readonly ComparedRun[]): OverlayRow[] {
  const epochs = Math.max(0, ...runs.map((run) => run.history?.length ?? 0));
  return Array.from({ length: epochs }, (_, e) => ({
    epoch: e + 1,
    valLoss: runs.map((run) => run.history?.[e]?.valLoss ?? null),
    valAccuracy: runs.map((run) => run.history?.[e]?.valAccuracy ?? null),
  }));
}

/** recharts reads one object per x value: `{ epoch, run0: …, run1: … }` for the series `which`. */
export function chartData(
  rows: readonly OverlayRow[],
  which: 'valLoss' | 'valAccuracy',
): Record<string, number | null>[] {
  return rows.map((row) => {
    const point: Record<string, number | null> = { epoch: row.epoch };
    row[which].forEach((value, i) => (point[`run${i}`] = value));
    return point;
  });
}

export interface MetricRow {
  label: string;
  cells: string[];
}

const orDash = <T>(value: T | null, show: (v: T) => string): string => (value === null ? '–' : show(value));

/** The side-by-side table: one row per figure, one cell per run ('–' where it is unknown). */
export function metricRows(runs: readonly ComparedRun[]): MetricRow[] {
  const row = (label: string, cell: (run: ComparedRun) => string): MetricRow => ({ label, cells: runs.map(cell) });
  return [
    row('model', (r) => (r.kind === 'baseline' ? 'NBSVM baseline' : 'LSTM')),
    row('test accuracy', (r) =>
      orDash(r.test, (t) => `${formatPercent(t.accuracy, 2)} (${formatCount(t.count)} reviews)`),
    ),
    row('AUC', (r) => orDash(r.auc, (auc) => auc.toFixed(4))),
    row('last sentence', (r) => orDash(r.shortVersions, (s) => formatPercent(s.lastSentence, 2))),
    row('last 20 words', (r) => orDash(r.shortVersions, (s) => formatPercent(s.lastWords, 2))),
    // A baseline trains in about a second: tenths matter there.
    row('training time', (r) => orDash(r.trainingSeconds, (s) => (s < 60 ? `${s.toFixed(1)} s` : formatDuration(s)))),
    row('epochs', (r) => orDash(r.epochs, String)),
    row('per-epoch history', (r) =>
      r.history ? `${r.history.length} epochs kept` : 'not kept (saved before this version)',
    ),
    row('engine', (r) => r.engine),
    row('settings', (r) => r.settings),
  ];
}
