import { memo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { BatchPoint, EpochPoint } from '../../training/trainer';
import { smoothSeries } from '../../training/metrics';

/** A horizontal line on the accuracy chart: a figure to compare the run with. */
export interface Reference {
  id: string;
  label: string;
  value: number;
  color: string;
}

/** The Keras example's reported test accuracy, the figure the app set out to reproduce. */
export const ARTICLE_REFERENCE: Reference = {
  id: 'article',
  label: 'Keras article 84%',
  value: 0.84,
  color: '#8b93a6',
};

interface ChartsProps {
  batches: readonly BatchPoint[];
  epochs: readonly EpochPoint[];
  /** Planned epochs: the x axis spans the whole run from its start. */
  plannedEpochs: number;
  /** Drawn across the accuracy chart (the article's 84%, the baseline's test accuracy). */
  references: readonly Reference[];
}

interface XY {
  x: number;
  y: number;
}

const SMOOTHING = 0.8;
/** Long runs have thousands of batches; the chart draws at most this many (means of neighbours). */
const MAX_POINTS = 300;

function downsample(points: XY[]): XY[] {
  if (points.length <= MAX_POINTS) return points;
  const size = Math.ceil(points.length / MAX_POINTS);
  const out: XY[] = [];
  for (let i = 0; i < points.length; i += size) {
    const group = points.slice(i, i + size);
    out.push({ x: group.at(-1)!.x, y: group.reduce((sum, p) => sum + p.y, 0) / group.length });
  }
  return out;
}

/**
 * The accuracy axis: the data and every reference line in view, on 5-point steps (recharts
 * draws no reference line on an axis without data, as before the first batch or with only the
 * baseline trained).
 */
export function accuracyDomain(series: readonly XY[][], references: readonly Reference[]): [number, number] {
  const values = [...series.flatMap((points) => points.map((p) => p.y)), ...references.map((r) => r.value)];
  if (values.length === 0) return [0.5, 1];
  const low = Math.max(0, Math.floor(Math.min(...values) * 20) / 20);
  const high = Math.min(1, Math.ceil(Math.max(...values) * 20) / 20);
  return high > low ? [low, high] : [Math.max(0, low - 0.05), Math.min(1, high + 0.05)];
}

function MetricChart({
  title,
  batchSeries,
  batchCount,
  trainEpochs,
  valEpochs,
  testId,
  percent,
  plannedEpochs,
  references = [],
}: {
  references?: readonly Reference[];
  title: string;
  plannedEpochs: number;
  batchSeries: XY[];
  batchCount: number;
  trainEpochs: XY[];
  valEpochs: XY[];
  testId: string;
  percent: boolean;
}) {
  const format = (v: number) => (percent ? `${(v * 100).toFixed(1)}%` : v.toFixed(3));
  const domain = percent
    ? accuracyDomain([batchSeries, trainEpochs, valEpochs], references)
    : (['auto', 'auto'] as const);
  return (
    <figure
      className="chart"
      data-testid={testId}
      data-points={batchCount}
      data-references={references.map((r) => `${r.id}:${r.value}`).join(' ')}
    >
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={[0, plannedEpochs]}
            allowDataOverflow
            ticks={Array.from({ length: plannedEpochs + 1 }, (_, i) => i)}
            tick={{ fontSize: 11 }}
            label={{ value: 'epoch', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
          />
          <YAxis
            dataKey="y"
            type="number"
            domain={domain}
            allowDataOverflow={percent}
            tickFormatter={format}
            tick={{ fontSize: 11 }}
            width={54}
          />
          <Tooltip
            formatter={(value) => format(Number(value))}
            labelFormatter={(label) => `epoch ${Number(label).toFixed(2)}`}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {references.map((r) => (
            <ReferenceLine
              key={r.id}
              y={r.value}
              stroke={r.color}
              strokeDasharray="6 4"
              strokeWidth={1.5}
              ifOverflow="extendDomain"
              label={{ value: `${r.label}`, position: 'insideBottomLeft', fontSize: 11, fill: r.color }}
            />
          ))}
          <Line
            name="train (per batch, smoothed)"
            data={batchSeries}
            dataKey="y"
            stroke="#9db0e6"
            dot={false}
            isAnimationActive={false}
            strokeWidth={1.5}
          />
          <Line
            name="train (epoch)"
            data={trainEpochs}
            dataKey="y"
            stroke="#3f63cf"
            isAnimationActive={false}
            strokeWidth={2}
          />
          <Line
            name="validation (epoch)"
            data={valEpochs}
            dataKey="y"
            stroke="#d9822b"
            isAnimationActive={false}
            strokeWidth={2}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Live loss and accuracy: per batch (smoothed) and per epoch, x in fractional epochs. */
export const TrainingCharts = memo(function TrainingCharts({
  batches,
  epochs,
  plannedEpochs,
  references,
}: ChartsProps) {
  const x = batches.map((b) => b.epoch - 1 + b.batch / b.batchesPerEpoch);
  const smoothedLoss = smoothSeries(
    batches.map((b) => b.loss),
    SMOOTHING,
  );
  const smoothedAccuracy = smoothSeries(
    batches.map((b) => b.accuracy),
    SMOOTHING,
  );
  const epochSeries = (pick: (e: EpochPoint) => number | null): XY[] =>
    epochs.flatMap((e) => {
      const y = pick(e);
      return y === null ? [] : [{ x: e.epoch, y }];
    });
  return (
    <div className="charts">
      <MetricChart
        title="Loss (binary cross-entropy)"
        testId="loss-chart"
        plannedEpochs={plannedEpochs}
        percent={false}
        batchSeries={downsample(x.map((xi, i) => ({ x: xi, y: smoothedLoss[i]! })))}
        batchCount={batches.length}
        trainEpochs={epochSeries((e) => e.loss)}
        valEpochs={epochSeries((e) => e.valLoss)}
      />
      <MetricChart
        title="Accuracy"
        testId="accuracy-chart"
        plannedEpochs={plannedEpochs}
        references={references}
        percent
        batchSeries={downsample(x.map((xi, i) => ({ x: xi, y: smoothedAccuracy[i]! })))}
        batchCount={batches.length}
        trainEpochs={epochSeries((e) => e.accuracy)}
        valEpochs={epochSeries((e) => e.valAccuracy)}
      />
    </div>
  );
});
