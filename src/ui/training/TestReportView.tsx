import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  ZAxis,
} from 'recharts';
import type { CurvePoint } from '../../training/report';
import type { ShortVersionAccuracy } from '../../training/shortVersionAccuracy';
import type { RunReport } from '../../workers/train/api';
import { formatCount, formatPercent } from '../format';

const axis = { type: 'number' as const, domain: [0, 1] as [number, number], tick: { fontSize: 11 }, tickCount: 6 };
const percentTick = (v: number) => `${Math.round(v * 100)}%`;
const DIAGONAL = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];

function Curve({
  title,
  testId,
  points,
  xLabel,
  yLabel,
  diagonal,
}: {
  title: string;
  testId: string;
  points: CurvePoint[];
  xLabel: string;
  yLabel: string;
  diagonal: boolean;
}) {
  return (
    <figure className="chart report-chart" data-testid={testId} data-points={points.length}>
      <figcaption className="small">{title}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart margin={{ top: 6, right: 10, bottom: 14, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            {...axis}
            tickFormatter={percentTick}
            label={{ value: xLabel, position: 'insideBottom', offset: -8, fontSize: 11 }}
          />
          <YAxis dataKey="y" {...axis} tickFormatter={percentTick} width={42} label={undefined} />
          <Tooltip
            formatter={(value) => formatPercent(Number(value), 1)}
            labelFormatter={(label) => `${xLabel} ${formatPercent(Number(label), 1)}`}
          />
          {diagonal && (
            <Line
              data={DIAGONAL}
              dataKey="y"
              stroke="#b8bfcc"
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
          )}
          <Line
            data={points}
            dataKey="y"
            name={yLabel}
            stroke="#3f63cf"
            dot={false}
            isAnimationActive={false}
            strokeWidth={2}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/**
 * The run's test report: ROC with AUC, precision-recall with average precision, a reliability
 * chart (mean prediction against the share of positives per bin; on the diagonal = calibrated),
 * and accuracy at 0.5 beside accuracy at the threshold chosen on the validation split.
 */
export function TestReportView({
  report,
  accuracy,
  shortVersions,
}: {
  report: RunReport;
  accuracy: number;
  shortVersions: ShortVersionAccuracy | null;
}) {
  const { test, threshold, notes } = report;
  return (
    <div className="test-report" data-testid="test-report">
      <h4>Test report</h4>
      {test && (
        <p className="small">
          <span data-testid="auc">AUC {test.auc.toFixed(4)}</span> · average precision{' '}
          {test.averagePrecision.toFixed(4)} · {formatCount(test.count)} test reviews, {formatCount(test.positives)}{' '}
          positive · accuracy at 0.5: {formatPercent(accuracy, 2)}
          {threshold && (
            <span data-testid="threshold">
              {' '}
              · at {threshold.value.toFixed(3)} (best on the validation split,{' '}
              {formatPercent(threshold.validationAccuracy, 2)} there): {formatPercent(threshold.testAccuracy, 2)}
            </span>
          )}
        </p>
      )}
      {shortVersions && (
        <p
          className="small"
          data-testid="short-versions"
          data-last-sentence={shortVersions.lastSentence}
          data-last-words={shortVersions.lastWords}
        >
          Short versions of the same {formatCount(shortVersions.count)} test reviews, as people type them: accuracy on
          each review&apos;s <strong>last sentence {formatPercent(shortVersions.lastSentence, 2)}</strong>, on its{' '}
          <strong>
            last {shortVersions.words} words {formatPercent(shortVersions.lastWords, 2)}
          </strong>{' '}
          (whole reviews: {formatPercent(accuracy, 2)}).
        </p>
      )}
      {notes.map((note) => (
        <p key={note} className="hint small">
          {note}
        </p>
      ))}
      {test && (
        <div className="report-charts">
          <Curve
            title={`ROC curve (AUC ${test.auc.toFixed(3)})`}
            testId="roc-chart"
            points={test.roc}
            xLabel="false-positive rate"
            yLabel="true-positive rate"
            diagonal
          />
          <Curve
            title={`Precision-recall (AP ${test.averagePrecision.toFixed(3)})`}
            testId="pr-chart"
            points={test.pr}
            xLabel="recall"
            yLabel="precision"
            diagonal={false}
          />
          <figure className="chart report-chart" data-testid="calibration-chart">
            <figcaption className="small">Reliability: predicted vs observed share of positives</figcaption>
            <ResponsiveContainer width="100%" height={200}>
              <ScatterChart margin={{ top: 6, right: 10, bottom: 14, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="meanProbability"
                  {...axis}
                  tickFormatter={percentTick}
                  label={{ value: 'mean P(positive) in the bin', position: 'insideBottom', offset: -8, fontSize: 11 }}
                />
                <YAxis dataKey="positiveRate" {...axis} tickFormatter={percentTick} width={42} />
                <ZAxis dataKey="count" range={[30, 260]} name="reviews" />
                <Tooltip
                  formatter={(value, name) => (name === 'reviews' ? String(value) : formatPercent(Number(value), 1))}
                />
                <Scatter
                  data={DIAGONAL.map((d) => ({ meanProbability: d.x, positiveRate: d.y, count: 0 }))}
                  line={{ stroke: '#b8bfcc', strokeDasharray: '4 3' }}
                  shape={() => null}
                  isAnimationActive={false}
                />
                <Scatter data={test.calibration} fill="#d9822b" isAnimationActive={false} />
              </ScatterChart>
            </ResponsiveContainer>
          </figure>
        </div>
      )}
    </div>
  );
}
