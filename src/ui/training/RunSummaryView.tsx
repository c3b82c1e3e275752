import type { SelfCheckResult } from '../../training/selfCheck';
import type { RunSummary } from '../../workers/train/api';
import { formatCount, formatPercent, formatThreads } from '../format';
import { Deferred } from '../Deferred';
import { MisclassifiedBrowser, type ReviewTools } from './MisclassifiedBrowser';
import { ReviewSearch } from './ReviewSearch';
import { TestReportView } from './TestReportView';

/** How a run's training reviews were windowed (training/windows.ts), for the run's one-line shape. */
function windowingText(settings: RunSummary['settings']): string {
  const replaced = settings.windowShare > 0;
  const added = (settings.windowExtra ?? 0) > 0;
  if (!replaced && !added) return '';
  const parts = [
    replaced
      ? `${formatPercent(settings.windowShare, 0)} of the training reviews read as random windows each epoch`
      : '',
    added ? `${formatPercent(settings.windowExtra, 0)} also read as a window besides whole` : '',
  ].filter(Boolean);
  const atEnd =
    (settings.windowEndShare ?? 0) > 0
      ? ` (${formatPercent(settings.windowEndShare, 0)} of them a review's last words)`
      : '';
  const longest = (settings.windowMaxWords ?? 0) > 0 ? `, at most ${settings.windowMaxWords} words long` : '';
  return ` · ${parts.join(', ')}${atEnd}${longest}`;
}

const STOP_REASONS: Record<RunSummary['stopReason'], string> = {
  completed: 'completed all epochs',
  stopped: 'stopped by you',
  'early-stopping': 'stopped early (validation loss stopped improving)',
  'nan-loss': 'stopped: the loss became NaN',
  'engine-fault': 'stopped: part of the training engine failed',
};

/**
 * Whether the downloadable model is the one the engine trained and evaluated: the engine's
 * probabilities against the saved bundle's plain forward pass on a few hundred test reviews.
 */
function SelfCheckLine({ check, engine }: { check: SelfCheckResult; engine: string }) {
  const difference = Number.isFinite(check.maxDifference) ? check.maxDifference.toExponential(1) : 'not a number';
  if (check.passed)
    return (
      <p className="muted small" data-testid="self-check" data-passed="true">
        Self-check passed: the saved model gives the {engine} engine&apos;s probabilities on{' '}
        {formatCount(check.reviews)} test reviews (largest difference {difference}).
      </p>
    );
  return (
    <p className="error" role="alert" data-testid="self-check" data-passed="false">
      Self-check failed: on {formatCount(check.reviews)} test reviews the saved model&apos;s probabilities differ from
      the {engine} engine&apos;s by up to {difference}. The {engine} engine computed something other than the model you
      can download, so its figures were discarded: the test accuracy below is the saved model&apos;s own. Please report
      this with the run&apos;s settings; training with <code>?engine=stock</code> avoids the engine.
    </p>
  );
}

export function RunSummaryView({ summary, reviewTools }: { summary: RunSummary; reviewTools: ReviewTools }) {
  const { test, history } = summary;
  return (
    <div className="run-summary" data-testid="run-summary">
      <h3>
        Run {summary.runId} · {STOP_REASONS[summary.stopReason]}
      </h3>
      {summary.message && <p className="hint">{summary.message}</p>}
      {summary.restoredEpoch !== null && (
        <p className="muted">The model holds the weights of epoch {summary.restoredEpoch}.</p>
      )}
      {summary.selfCheck && <SelfCheckLine check={summary.selfCheck} engine={summary.engine} />}
      {test ? (
        <div className="test-result">
          <div className="big-number">
            <span className="muted">Test accuracy</span>
            <strong data-testid="test-accuracy">{formatPercent(test.accuracy, 2)}</strong>
          </div>
          <div className="big-number">
            <span className="muted">Test loss</span>
            <strong data-testid="test-loss">{test.loss.toFixed(4)}</strong>
          </div>
          <table className="confusion" data-testid="confusion-matrix">
            <caption>Confusion matrix on {formatCount(test.count)} test reviews</caption>
            <thead>
              <tr>
                <th />
                <th scope="col">predicted positive</th>
                <th scope="col">predicted negative</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">actually positive</th>
                <td className="good">{formatCount(test.confusion.truePositives)}</td>
                <td className="bad">{formatCount(test.confusion.falseNegatives)}</td>
              </tr>
              <tr>
                <th scope="row">actually negative</th>
                <td className="bad">{formatCount(test.confusion.falsePositives)}</td>
                <td className="good">{formatCount(test.confusion.trueNegatives)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No test evaluation: the run was stopped before it.</p>
      )}
      {/* Each in a task of its own: the summary first, then the charts, then the reviews. */}
      {test && summary.report && (
        <Deferred>
          <TestReportView report={summary.report} accuracy={test.accuracy} shortVersions={summary.shortVersions} />
          {summary.testPredictions && (
            <Deferred>
              <MisclassifiedBrowser predictions={summary.testPredictions} tools={reviewTools} />
              <ReviewSearch predictions={summary.testPredictions} tools={reviewTools} />
            </Deferred>
          )}
        </Deferred>
      )}
      {history.length > 0 && (
        <table className="counts epochs" data-testid="epoch-table">
          <caption>Per epoch</caption>
          <thead>
            <tr>
              <th scope="col">epoch</th>
              <th scope="col">loss</th>
              <th scope="col">accuracy</th>
              <th scope="col">val loss</th>
              <th scope="col">val accuracy</th>
              <th scope="col">time</th>
            </tr>
          </thead>
          <tbody>
            {history.map((e) => (
              <tr key={e.epoch}>
                <th scope="row">{e.epoch}</th>
                <td>{e.loss.toFixed(4)}</td>
                <td>{formatPercent(e.accuracy, 2)}</td>
                <td>{e.valLoss === null ? '–' : e.valLoss.toFixed(4)}</td>
                <td>{e.valAccuracy === null ? '–' : formatPercent(e.valAccuracy, 2)}</td>
                <td>{e.seconds.toFixed(1)} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small" data-testid="run-shape">
        maxlen {summary.settings.maxlen} · padding {summary.settings.maskZero === 'on' ? 'masked' : 'read as a token'} ·{' '}
        {summary.settings.batchOrder === 'bucketed' ? 'length-bucketed' : 'shuffled'} batches of{' '}
        {summary.settings.batchSize}
        {windowingText(summary.settings)}
        {summary.settings.learningRateDecay !== 1
          ? ` · learning rate ${summary.settings.learningRate} × ${summary.settings.learningRateDecay} per epoch`
          : ''}
      </p>
      <p className="muted small">
        {summary.backend.name}
        {summary.backend.renderer ? ` (${summary.backend.renderer})` : ''} · engine {summary.engine}
        {summary.engineNote ? ` (${summary.engineNote})` : ''}
        {summary.engineThreads !== null ? ` on ${formatThreads(summary.engineThreads)}` : ''} ·{' '}
        {summary.examplesPerSecond.toFixed(1)} examples/s · model built in {summary.buildSeconds.toFixed(2)} s · trained
        in {summary.trainingSeconds.toFixed(1)} s · numTensors {summary.numTensors}
      </p>
    </div>
  );
}
