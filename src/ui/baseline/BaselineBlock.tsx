import type { BaselinePhase } from '../../baseline/train';
import type { RunSummary } from '../../workers/train/api';
import { formatCount, formatDuration, formatPercent } from '../format';
import { ProgressBar } from '../ProgressBar';
import { baselineRunning, type BaselineState } from './useBaseline';

const PHASES: Record<BaselinePhase, { label: string; unit: string }> = {
  reading: { label: 'reading the training reviews', unit: 'reviews' },
  features: { label: 'counting unigrams and bigrams (two passes)', unit: 'reviews' },
  training: { label: 'logistic regression', unit: 'epochs' },
  testing: { label: 'reading the test reviews', unit: 'reviews' },
};
/** Each phase's share of the bar, roughly its share of the time. */
const SPANS: Record<BaselinePhase, [number, number]> = {
  reading: [0, 0.1],
  features: [0.1, 0.45],
  training: [0.45, 0.8],
  testing: [0.8, 1],
};

function Progress({ state }: { state: BaselineState }) {
  const { progress } = state;
  if (!progress) return <ProgressBar label="Baseline" done={0} total={1} detail="loading the reviews…" />;
  const [from, to] = SPANS[progress.phase];
  const fraction = from + (to - from) * (progress.total > 0 ? progress.done / progress.total : 1);
  const { label, unit } = PHASES[progress.phase];
  return (
    <ProgressBar
      label="Baseline"
      done={Math.round(fraction * 1000)}
      total={1000}
      detail={`${label}: ${formatCount(progress.done)} / ${formatCount(progress.total)} ${unit}`}
    />
  );
}

/** The baseline beside the LSTM's last run: test accuracy and training time. */
function Comparison({ state, lstm }: { state: BaselineState; lstm: RunSummary | null }) {
  const { summary } = state;
  if (!summary) return null;
  return (
    <table className="counts baseline-comparison" data-testid="baseline-comparison">
      <thead>
        <tr>
          <th scope="col">model</th>
          <th scope="col">test accuracy</th>
          <th scope="col">training time</th>
          <th scope="col">trained on</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Baseline (NBSVM)</th>
          <td data-testid="baseline-accuracy">{summary.test ? formatPercent(summary.test.accuracy, 2) : '–'}</td>
          <td data-testid="baseline-seconds">{summary.trainingSeconds.toFixed(1)} s</td>
          <td>
            {formatCount(summary.trainExamples)} reviews, {formatCount(summary.unigrams)} unigrams +{' '}
            {formatCount(summary.bigrams)} bigrams
          </td>
        </tr>
        <tr>
          <th scope="row">LSTM</th>
          <td data-testid="lstm-accuracy">{lstm?.test ? formatPercent(lstm.test.accuracy, 2) : 'not trained yet'}</td>
          <td>{lstm ? formatDuration(lstm.trainingSeconds) : '–'}</td>
          <td>{lstm ? `${formatCount(lstm.trainExamples)} reviews, ${lstm.history.length} epochs` : '–'}</td>
        </tr>
        <tr>
          <th scope="row">The Keras article&apos;s LSTM</th>
          <td>~84%</td>
          <td>–</td>
          <td>as reported in the article</td>
        </tr>
      </tbody>
    </table>
  );
}

/**
 * The one-click baseline: NB-weighted logistic regression on unigrams and bigrams (Wang & Manning
 * 2012), trained in its own worker on the same training reviews, split and tokenizer as the LSTM.
 */
export function BaselineBlock({
  state,
  lstm,
  onTrain,
  onCancel,
  disabled,
}: {
  state: BaselineState;
  lstm: RunSummary | null;
  onTrain: () => void;
  onCancel: () => void;
  /** The settings are invalid (the dataset's come from them). */
  disabled: boolean;
}) {
  const running = baselineRunning(state.status);
  const { summary } = state;
  return (
    <div className="baseline" data-testid="baseline" data-status={state.status}>
      <h3>Baseline (NBSVM)</h3>
      <p className="muted small">
        A linear model that trains in seconds: logistic regression on each review&apos;s unigrams and bigrams (present
        or not), weighted by their naive-Bayes log-count ratios (Wang &amp; Manning 2012, NBSVM). Same training reviews,
        validation split and tokenizer as the LSTM; every word is read (no numWords, no maxlen).
      </p>
      <div className="actions">
        <button type="button" onClick={onTrain} disabled={running || disabled}>
          {summary ? 'Train the baseline again' : 'Train the baseline'}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={!running}>
          Cancel
        </button>
      </div>
      {running && <Progress state={state} />}
      {state.status === 'cancelled' && <p className="muted small">Cancelled.</p>}
      {state.error && (
        <div className="error" role="alert" data-testid="baseline-error">
          {state.error}
        </div>
      )}
      {summary && (
        <p className="muted small" data-testid="baseline-summary">
          Trained in {summary.trainingSeconds.toFixed(1)} s (test evaluation {summary.testSeconds.toFixed(1)} s) on{' '}
          {formatCount(summary.trainExamples)} reviews; validation accuracy{' '}
          {summary.validation ? formatPercent(summary.validation.accuracy, 2) : '–'} on{' '}
          {formatCount(summary.validationExamples)}; test{' '}
          {summary.test ? `${formatPercent(summary.test.accuracy, 2)} (loss ${summary.test.loss.toFixed(4)})` : '–'} on{' '}
          {formatCount(summary.test?.count ?? 0)}. It is the current model in Classify, and saved in this browser.
        </p>
      )}
      <Comparison state={state} lstm={lstm} />
    </div>
  );
}
