import type { FormEvent } from 'react';
import type { SettingsErrors, TrainingSettings } from '../training/settings';
import { DatasetStats } from './DatasetStats';
import { LoadProgress } from './LoadProgress';
import { SettingField } from './SettingField';
import type { OfflineCopy } from '../workers/data/api';
import { formatMegabytes } from './format';
import type { DatasetState } from './useDataset';

interface DatasetPanelProps {
  settings: TrainingSettings;
  errors: SettingsErrors;
  onChange: (patch: Partial<TrainingSettings>) => void;
  data: DatasetState & { offlineCopy: OfflineCopy | null; clearOfflineCopy: () => void };
  onLoad: () => void;
  busy: boolean;
}

const DATA_FIELDS = ['trainReviews', 'testReviews', 'numWords', 'maxlen'] as const;

/** What the browser keeps for offline use, and a way to free it. */
function OfflineCopyLine({ copy, onClear, busy }: { copy: OfflineCopy | null; onClear: () => void; busy: boolean }) {
  if (!copy) return null;
  if (!copy.available)
    return (
      <p className="hint small">
        This browser gives the page no Cache API, so the dataset is downloaded on every visit.
      </p>
    );
  return (
    <p className="muted small" data-testid="offline-copy" data-shards={copy.shards}>
      Offline copy: {copy.shards === 0 ? 'none yet' : `${copy.shards} verified shards, ${formatMegabytes(copy.bytes)}`}{' '}
      (kept by this browser, so the app and the shards it loaded work without a network; re-checked by sha256 before
      use).{' '}
      {copy.shards > 0 && (
        <button type="button" className="secondary" onClick={onClear} disabled={busy}>
          Clear offline copy
        </button>
      )}
    </p>
  );
}

export function DatasetPanel({ settings, errors, onChange, data, onLoad, busy }: DatasetPanelProps) {
  const { loading, progress, dataset, error } = data;
  const invalid = DATA_FIELDS.some((field) => errors[field]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!invalid && !loading && !busy) onLoad();
  };
  return (
    <section className="card" aria-labelledby="dataset-title">
      <h2 id="dataset-title">1 · Dataset</h2>
      <p className="muted">
        IMDB Large Movie Review Dataset v1.0: fetched as verified shards, then tokenized and padded in a Web Worker with
        Keras <code>Tokenizer</code> and <code>pad_sequences</code> semantics.
      </p>
      <form className="settings-form" onSubmit={submit}>
        {DATA_FIELDS.map((name) => (
          <SettingField key={name} name={name} settings={settings} errors={errors} onChange={onChange} />
        ))}
        <button type="submit" disabled={loading || busy || invalid}>
          {loading ? 'Loading…' : dataset ? 'Reload dataset' : 'Load dataset'}
        </button>
      </form>
      {error && (
        <div className="error" role="alert" data-testid="dataset-error">
          <strong>Could not load the dataset.</strong> {error}
          {dataset && <span> The previously loaded dataset is still available.</span>}{' '}
          <button type="button" onClick={onLoad} disabled={loading || busy || invalid}>
            Retry
          </button>
        </div>
      )}
      <OfflineCopyLine copy={data.offlineCopy} onClear={data.clearOfflineCopy} busy={loading} />
      {(loading || Object.keys(progress).length > 0) && <LoadProgress progress={progress} />}
      {dataset && <DatasetStats dataset={dataset} />}
    </section>
  );
}
