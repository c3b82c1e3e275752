import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BatchPoint, EpochPoint } from '../../training/trainer';
import { smoothSeries } from '../../training/metrics';

interface ChartsProps {
  batches: readonly BatchPoint[];
  epochs: readonly EpochPoint[];
  /** Planned epochs: the x axis spans the whole run from its start. */
  plannedEpochs: number;
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

function MetricChart({
  title,
  batchSeries,
  batchCount,
  trainEpochs,
  valEpochs,
  testId,
  percent,
  plannedEpochs,
}: {
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
  return (
    <figure className="chart" data-testid={testId} data-points={batchCount}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={[0, plannedEpochs]}
            ticks={Array.from({ length: plannedEpochs + 1 }, (_, i) => i)}
            tick={{ fontSize: 11 }}
            label={{ value: 'epoch', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
          />
          <YAxis
            dataKey="y"
            type="number"
            domain={['auto', 'auto']}
            tickFormatter={format}
            tick={{ fontSize: 11 }}
            width={54}
          />
          <Tooltip
            formatter={(value) => format(Number(value))}
            labelFormatter={(label) => `epoch ${Number(label).toFixed(2)}`}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
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
export const TrainingCharts = memo(function TrainingCharts({ batches, epochs, plannedEpochs }: ChartsProps) {
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
        percent
        batchSeries={downsample(x.map((xi, i) => ({ x: xi, y: smoothedAccuracy[i]! })))}
        batchCount={batches.length}
        trainEpochs={epochSeries((e) => e.accuracy)}
        valEpochs={epochSeries((e) => e.valAccuracy)}
      />
    </div>
  );
});
