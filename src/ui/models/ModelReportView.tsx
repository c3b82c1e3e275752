import { useMemo } from 'react';
import type { ReportPhase } from '../../report/modelTestReport';
import { Deferred } from '../Deferred';
import { formatCount, formatPercent } from '../format';
import { ProgressBar } from '../ProgressBar';
import { MisclassifiedBrowser, type ReviewTools } from '../training/MisclassifiedBrowser';
import { ReviewSearch } from '../training/ReviewSearch';
import { TestReportView } from '../training/TestReportView';
import type { ModelReportState } from './useModelReport';

const PHASES: Record<ReportPhase, string> = {
  test: 'reading the test reviews',
  'short-versions': 'reading their last sentences and last 20 words',
  validation: 'reading the validation split (for the threshold)',
};

export interface ModelReportProps {
  state: ModelReportState;
  /** Texts and search of the loaded test reviews (the data worker's). */
  tools: Pick<ReviewTools, 'fetchReviews' | 'searchReviews'>;
  datasetLoading: boolean;
  /** Loads the dataset the dataset panel's settings describe. */
  onLoadDataset: () => void;
  onClose: () => void;
}

/**
 * A saved model's test report, computed on demand over the loaded test reviews: the same view a
 * finished run shows (TestReportView, the mistakes browser, the search), with the model's accuracy
 * beside the one its run reported.
 */
export function ModelReportView({ state, tools, datasetLoading, onLoadDataset, onClose }: ModelReportProps) {
  const { fetchReviews, searchReviews } = tools;
  const done = state.status === 'done' ? state : null;
  const reviewTools = useMemo<ReviewTools | null>(
    () =>
      done && {
        fetchReviews,
        searchReviews,
        classify: (text) => done.client.classify(text),
        modelName: done.model.name,
        sayer: 'the model',
        colouredBy: `this model, ${done.model.name}`,
      },
    [done, fetchReviews, searchReviews],
  );
  if (state.status === 'idle') return null;
  const model = state.model;
  const savedId = state.status === 'running' ? state.savedId : model?.savedId;
  return (
    <section
      className="model-report"
      data-testid="model-report"
      data-status={state.status}
      data-saved-id={savedId}
      aria-label="Test report on demand"
    >
      {/* What screen readers hear as it changes: one short line, not the whole report. */}
      <p className="sr-only" role="status">
        {state.status === 'running'
          ? 'Computing the test report…'
          : done
            ? `Test report ready: accuracy ${formatPercent(done.result.test.accuracy, 2)}.`
            : ''}
      </p>
      <div className="report-heading">
        <h3>
          <span className="muted">On demand · </span>
          {model ? model.name : 'Test report'}
        </h3>
        <button type="button" className="secondary small-button" onClick={onClose}>
          {state.status === 'running' ? 'Cancel' : 'Close'}
        </button>
      </div>
      {state.status === 'needs-data' && (
        <div className="hint" data-testid="report-needs-data">
          <p>
            No test reviews are loaded: the report reads the dataset panel&apos;s loaded test split. Load it, and the
            report runs.
          </p>
          <button type="button" onClick={onLoadDataset} disabled={datasetLoading}>
            {datasetLoading ? 'Loading the dataset…' : 'Load the dataset'}
          </button>
        </div>
      )}
      {state.status === 'running' && (
        <ProgressBar
          label="Report"
          done={state.progress?.done ?? 0}
          total={state.progress?.total ?? 1}
          detail={
            state.progress
              ? `${PHASES[state.progress.phase]}: ${formatCount(state.progress.done)} / ${formatCount(state.progress.total)} texts`
              : 'loading the model and the reviews…'
          }
        />
      )}
      {state.status === 'error' && (
        <div className="error" role="alert" data-testid="report-error">
          {state.message}
        </div>
      )}
      {done && reviewTools && (
        <>
          <div className="test-result">
            <div className="big-number">
              <span className="muted">Test accuracy</span>
              <strong data-testid="report-accuracy" data-accuracy={String(done.result.test.accuracy)}>
                {formatPercent(done.result.test.accuracy, 2)}
              </strong>
            </div>
            <div className="big-number">
              <span className="muted">Test loss</span>
              <strong>{done.result.test.loss.toFixed(4)}</strong>
            </div>
          </div>
          <p className="muted small" data-testid="report-basis">
            On the {formatCount(done.result.test.count)} loaded test reviews, read by the model itself (its own{' '}
            {done.model.kind === 'baseline' ? 'reading of every word' : 'tokenizer, maxlen and padding'}), in{' '}
            {done.result.seconds.toFixed(1)} s
            {done.result.validationReviews > 0 &&
              `; threshold chosen on the ${formatCount(done.result.validationReviews)} reviews of its validation split`}
            .{' '}
            {done.model.runTest
              ? `Its run reported ${formatPercent(done.model.runTest.accuracy, 2)} on ${formatCount(done.model.runTest.count)} test reviews.`
              : 'Its run reported no test accuracy.'}
          </p>
          <TestReportView
            report={done.result.report}
            accuracy={done.result.test.accuracy}
            shortVersions={done.result.shortVersions}
          />
          <Deferred>
            <MisclassifiedBrowser predictions={done.result.predictions} tools={reviewTools} />
            <ReviewSearch predictions={done.result.predictions} tools={reviewTools} />
          </Deferred>
        </>
      )}
    </section>
  );
}
