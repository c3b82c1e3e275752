import { useMemo, useState, type DragEvent } from 'react';
import { BASELINE_FILES, type AnyBundle } from '../../baseline/bundle';
import { FILE_NAMES } from '../../bundle/bundleError';
import type { SavedModel } from '../../storage/modelStore';
import { formatCount, formatMegabytes, formatPercent } from '../format';
import { COMPARE_MAX } from './comparison';
import { CompareRuns } from './CompareRuns';
import { ModelReportView, type ModelReportProps } from './ModelReportView';
import type { CurrentModel, ModelsState } from './useModels';

interface ModelsPanelProps {
  state: ModelsState;
  onDownload: (what: 'zip' | string) => void;
  onLoadFiles: (files: File[]) => void;
  onLoadSaved: (id: number) => void;
  onRename: (id: number, name: string) => void;
  onDelete: (id: number) => void;
  /** A saved model's bundle, read without making it current (reports and comparisons). */
  readSaved: (id: number) => Promise<AnyBundle>;
  /** The on-demand test report of a saved model. */
  report: ModelReportProps & { onRun: (id: number) => void };
}

const SOURCES: Record<CurrentModel['source'], string> = {
  trained: 'trained in this page',
  file: 'loaded from files',
  saved: 'loaded from this browser',
};

function DownloadButtons({
  names,
  onDownload,
}: {
  names: readonly string[];
  onDownload: ModelsPanelProps['onDownload'];
}) {
  return (
    <div className="actions wrap">
      <button type="button" onClick={() => onDownload('zip')}>
        Download zip
      </button>
      <span className="muted small">or separate files:</span>
      {names.map((name) => (
        <button key={name} type="button" className="secondary small-button" onClick={() => onDownload(name)}>
          {name}
        </button>
      ))}
    </div>
  );
}

/** The baseline in use: what it is, its dictionary and its figures. */
function CurrentBaselineView({
  current,
  onDownload,
}: {
  current: Extract<CurrentModel, { kind: 'baseline' }>;
  onDownload: ModelsPanelProps['onDownload'];
}) {
  const { metadata } = current;
  const test = metadata.metrics.test;
  const training = metadata.training;
  return (
    <div className="current-model" data-testid="current-model" data-kind="baseline">
      <p>
        Current model: <strong data-testid="current-model-name">{current.name}</strong>{' '}
        <span className="muted">({SOURCES[current.source]})</span>
      </p>
      <dl className="facts">
        <div>
          <dt>Model</dt>
          <dd>
            NBSVM baseline: logistic regression on naive-Bayes-weighted unigrams and bigrams,{' '}
            {formatCount(metadata.model.unigrams)} unigrams + {formatCount(metadata.model.bigrams)} bigrams
          </dd>
        </div>
        <div>
          <dt>Reading</dt>
          <dd>every word, {metadata.reading.lower ? 'lowercased' : 'case kept'}, the Keras tokenizer&apos;s filters</dd>
        </div>
        <div>
          <dt>Test accuracy</dt>
          <dd>{test ? `${formatPercent(test.accuracy, 2)} on ${test.count} reviews` : '–'}</dd>
        </div>
        {training && (
          <div>
            <dt>Trained</dt>
            <dd>
              in {training.trainingSeconds.toFixed(1)} s on {formatCount(training.trainExamples)} reviews,{' '}
              {training.epochsTrained} epochs
            </dd>
          </div>
        )}
        <div>
          <dt>Created</dt>
          <dd>
            {metadata.createdAt.slice(0, 19).replace('T', ' ')} · app {metadata.appVersion}
          </dd>
        </div>
      </dl>
      <DownloadButtons names={Object.values(BASELINE_FILES)} onDownload={onDownload} />
      <p className="muted small">
        <code>baseline.json</code> holds how text is read, the bias and the figures; <code>features.txt</code> one
        n-gram per line; <code>weights.bin</code> one float32 per n-gram (its change to the logit when present).
      </p>
    </div>
  );
}

function CurrentModelView({
  current,
  onDownload,
}: {
  current: CurrentModel;
  onDownload: ModelsPanelProps['onDownload'];
}) {
  if (current.kind === 'baseline') return <CurrentBaselineView current={current} onDownload={onDownload} />;
  const { metadata, architecture } = current;
  const test = metadata.metrics.test;
  const selfCheck = metadata.training?.selfCheck ?? null;
  return (
    <div className="current-model" data-testid="current-model" data-kind="lstm">
      <p>
        Current model: <strong data-testid="current-model-name">{current.name}</strong>{' '}
        <span className="muted">({SOURCES[current.source]})</span>
      </p>
      <dl className="facts">
        <div>
          <dt>Architecture</dt>
          <dd>
            Embedding({architecture.vocabularySize}, {architecture.embeddingDim}) → LSTM({architecture.lstmUnits}) →
            Dense(1)
          </dd>
        </div>
        <div>
          <dt>Preprocessing</dt>
          <dd>
            maxlen {metadata.maxlen}, {metadata.padding}-padding, {metadata.truncating}-truncating, numWords{' '}
            {metadata.numWords ?? 'all'}
          </dd>
        </div>
        <div>
          <dt>Test accuracy</dt>
          <dd>{test ? `${formatPercent(test.accuracy, 2)} on ${test.count} reviews` : '–'}</dd>
        </div>
        {selfCheck && (
          <div>
            <dt>Self-check</dt>
            <dd data-testid="current-self-check" className={selfCheck.passed ? undefined : 'error'}>
              {selfCheck.passed
                ? `passed: gives the training engine's probabilities (${selfCheck.reviews} test reviews)`
                : `FAILED: differs from what the training engine computed by up to ${selfCheck.maxDifference.toExponential(1)}`}
            </dd>
          </div>
        )}
        <div>
          <dt>Created</dt>
          <dd>
            {metadata.createdAt.slice(0, 19).replace('T', ' ')} · app {metadata.appVersion}
          </dd>
        </div>
      </dl>
      <DownloadButtons names={Object.values(FILE_NAMES)} onDownload={onDownload} />
      <p className="muted small">
        <code>model.json</code> + <code>model.weights.bin</code> load with plain <code>tf.loadLayersModel</code>;{' '}
        <code>tokenizer.json</code> with Keras’s <code>tokenizer_from_json</code>; <code>metadata.json</code> holds
        maxlen, padding, the training settings and metrics.
      </p>
    </div>
  );
}

function SavedRow({
  model,
  current,
  onLoad,
  onRename,
  onDelete,
  onReport,
  compared,
  compareFull,
  onCompare,
}: {
  model: SavedModel;
  current: boolean;
  onLoad: () => void;
  onRename: (name: string) => void;
  onDelete: () => void;
  onReport: () => void;
  compared: boolean;
  /** COMPARE_MAX runs are ticked already. */
  compareFull: boolean;
  onCompare: (on: boolean) => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <tr data-testid="saved-model" data-current={current} data-saved-id={model.id}>
      <td>
        <label
          className="compare-check"
          title={compareFull && !compared ? `At most ${COMPARE_MAX} runs at once` : undefined}
        >
          <input
            type="checkbox"
            aria-label={`Compare ${model.name}`}
            checked={compared}
            disabled={compareFull && !compared}
            onChange={(e) => onCompare(e.target.checked)}
          />{' '}
          <span className="small">compare</span>
        </label>
      </td>
      <td>
        {editing === null ? (
          <span data-testid="saved-model-name">{model.name}</span>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              onRename(editing);
              setEditing(null);
            }}
          >
            <input
              aria-label="New name"
              value={editing}
              autoFocus
              onChange={(e) => setEditing(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
            />{' '}
            <button type="submit" className="small-button">
              Save name
            </button>
          </form>
        )}
        <div className="muted small">
          {model.description} · {model.source === 'trained' ? 'trained here' : 'loaded from files'}
        </div>
      </td>
      <td>{model.testAccuracy === null ? '–' : formatPercent(model.testAccuracy, 2)}</td>
      <td>{model.savedAt.slice(0, 16).replace('T', ' ')}</td>
      <td>{formatMegabytes(model.bytes)}</td>
      <td className="row-actions">
        <button type="button" className="small-button" onClick={onLoad} disabled={current}>
          {current ? 'In use' : 'Load'}
        </button>
        <button type="button" className="secondary small-button" onClick={onReport}>
          Test report
        </button>
        <button type="button" className="secondary small-button" onClick={() => setEditing(model.name)}>
          Rename
        </button>
        <button type="button" className="secondary small-button danger" onClick={onDelete}>
          Delete
        </button>
      </td>
    </tr>
  );
}

export function ModelsPanel({
  state,
  onDownload,
  onLoadFiles,
  onLoadSaved,
  onRename,
  onDelete,
  readSaved,
  report,
}: ModelsPanelProps) {
  const [dragging, setDragging] = useState(false);
  const [ticked, setTicked] = useState<number[]>([]);
  // A deleted run leaves the comparison.
  const compared = ticked.filter((id) => state.saved.some((m) => m.id === id));
  const names = useMemo(() => new Map(state.saved.map((m) => [m.id, m.name])), [state.saved]);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    onLoadFiles(Array.from(event.dataTransfer.files));
  };
  return (
    <section className="card" aria-labelledby="models-title">
      <h2 id="models-title">4 · Models</h2>
      {state.current ? (
        <CurrentModelView current={state.current} onDownload={onDownload} />
      ) : (
        <p className="muted">No model loaded yet.</p>
      )}
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <p>
          <strong>Load a model:</strong> drop its zip here, or its <code>model.json</code>, weights <code>.bin</code>,{' '}
          <code>tokenizer.json</code> and <code>metadata.json</code> together; a baseline&apos;s zip, or its{' '}
          <code>baseline.json</code>, <code>features.txt</code> and <code>weights.bin</code>.
        </p>
        <label className="file-button">
          Choose files…
          <input
            type="file"
            multiple
            accept=".zip,.json,.bin,.txt"
            data-testid="model-file-input"
            onChange={(e) => {
              onLoadFiles(Array.from(e.target.files ?? []));
              e.target.value = '';
            }}
          />
        </label>
      </div>
      {state.busy && (
        <p className="muted" role="status">
          {state.busy}
        </p>
      )}
      {state.loadError && (
        <div className="error" role="alert" data-testid="model-load-error">
          {state.loadError}
        </div>
      )}
      {state.storageError && (
        <div className="error" role="alert" data-testid="storage-error">
          {state.storageError}
        </div>
      )}
      <h3>Saved in this browser</h3>
      {state.saved.length === 0 ? (
        <p className="muted" data-testid="no-saved-models">
          {state.storeReady ? 'None yet: every finished run and every loaded model is kept here.' : 'Opening…'}
        </p>
      ) : (
        <table className="counts saved-models">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">compare</span>
              </th>
              <th scope="col">name</th>
              <th scope="col">test accuracy</th>
              <th scope="col">saved</th>
              <th scope="col">size</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {state.saved.map((model) => (
              <SavedRow
                key={model.id}
                model={model}
                current={state.current?.savedId === model.id}
                onLoad={() => onLoadSaved(model.id)}
                onRename={(name) => onRename(model.id, name)}
                onDelete={() => onDelete(model.id)}
                onReport={() => report.onRun(model.id)}
                compared={compared.includes(model.id)}
                compareFull={compared.length >= COMPARE_MAX}
                onCompare={(on) => setTicked(on ? [...compared, model.id] : compared.filter((id) => id !== model.id))}
              />
            ))}
          </tbody>
        </table>
      )}
      <ModelReportView {...report} />
      {state.saved.length > 0 && <CompareRuns selected={compared} names={names} readSaved={readSaved} />}
    </section>
  );
}
