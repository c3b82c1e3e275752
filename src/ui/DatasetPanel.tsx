import type { FormEvent } from 'react';
import type { SettingsErrors, TrainingSettings } from '../training/settings';
import { DatasetStats } from './DatasetStats';
import { LoadProgress } from './LoadProgress';
import { NumberField } from './NumberField';
import type { DatasetState } from './useDataset';

interface DatasetPanelProps {
  settings: TrainingSettings;
  errors: SettingsErrors;
  onChange: (patch: Partial<TrainingSettings>) => void;
  data: DatasetState;
  onLoad: () => void;
  busy: boolean;
}

const DATA_FIELDS = ['trainReviews', 'testReviews', 'numWords', 'maxlen'] as const;

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
        <datalist id="review-counts">
          <option value="5000" />
          <option value="10000" />
          <option value="25000" />
        </datalist>
        <NumberField
          name="trainReviews"
          label="Training reviews"
          list="review-counts"
          value={settings.trainReviews}
          error={errors.trainReviews}
          onChange={(trainReviews) => onChange({ trainReviews })}
        />
        <NumberField
          name="testReviews"
          label="Test reviews"
          list="review-counts"
          value={settings.testReviews}
          error={errors.testReviews}
          onChange={(testReviews) => onChange({ testReviews })}
        />
        <NumberField
          name="numWords"
          label="numWords"
          value={settings.numWords}
          error={errors.numWords}
          onChange={(numWords) => onChange({ numWords })}
        />
        <NumberField
          name="maxlen"
          label="maxlen"
          value={settings.maxlen}
          error={errors.maxlen}
          onChange={(maxlen) => onChange({ maxlen })}
        />
        <button type="submit" disabled={loading || busy || invalid}>
          {loading ? 'Loading…' : dataset ? 'Reload dataset' : 'Load dataset'}
        </button>
      </form>
      {error && (
        <div className="error" role="alert" data-testid="dataset-error">
          <strong>Could not load the dataset.</strong> {error}
          {dataset && <span> The previously loaded dataset is still available.</span>}
        </div>
      )}
      {(loading || Object.keys(progress).length > 0) && <LoadProgress progress={progress} />}
      {dataset && <DatasetStats dataset={dataset} />}
    </section>
  );
}
