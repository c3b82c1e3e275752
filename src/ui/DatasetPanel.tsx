import { useState, type FormEvent } from 'react';
import type { DatasetRequestOptions } from '../worker/protocol';
import { DatasetStats } from './DatasetStats';
import { LoadProgress } from './LoadProgress';
import { useDataset } from './useDataset';
import { formatCount } from './format';

const REVIEW_CHOICES = [5000, 10000, 25000];
/** Absolute, because the worker resolves relative URLs against its own script, not the page. */
export const DATA_BASE_URL = new URL(`${import.meta.env.BASE_URL}data/imdb`, document.baseURI).href;

interface DatasetForm {
  trainReviews: number;
  testReviews: number;
  numWords: number;
  maxlen: number;
}

function validate(form: DatasetForm): string | null {
  if (!Number.isInteger(form.numWords) || form.numWords < 2 || form.numWords > 200000) {
    return 'numWords must be a whole number between 2 and 200,000.';
  }
  if (!Number.isInteger(form.maxlen) || form.maxlen < 1 || form.maxlen > 2000) {
    return 'maxlen must be a whole number between 1 and 2,000.';
  }
  return null;
}

export function DatasetPanel() {
  const { loading, progress, dataset, error, load } = useDataset();
  const [form, setForm] = useState<DatasetForm>({
    trainReviews: 25000,
    testReviews: 25000,
    numWords: 20000,
    maxlen: 200,
  });
  const invalid = validate(form);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid || loading) return;
    const options: DatasetRequestOptions = {
      baseUrl: DATA_BASE_URL,
      ...form,
      padding: 'pre',
      truncating: 'pre',
      oovToken: null,
    };
    void load(options);
  };

  const set = (key: keyof DatasetForm) => (value: string) => setForm((f) => ({ ...f, [key]: Number(value) }));

  return (
    <section className="card" aria-labelledby="dataset-title">
      <h2 id="dataset-title">1 · Dataset</h2>
      <p className="muted">
        IMDB Large Movie Review Dataset v1.0: fetched as verified shards, then tokenized and padded in a Web Worker with
        Keras <code>Tokenizer</code> and <code>pad_sequences</code> semantics.
      </p>
      <form className="dataset-form" onSubmit={submit}>
        <label>
          Training reviews
          <select value={form.trainReviews} onChange={(e) => set('trainReviews')(e.target.value)} name="trainReviews">
            {REVIEW_CHOICES.map((n) => (
              <option key={n} value={n}>
                {formatCount(n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Test reviews
          <select value={form.testReviews} onChange={(e) => set('testReviews')(e.target.value)} name="testReviews">
            {REVIEW_CHOICES.map((n) => (
              <option key={n} value={n}>
                {formatCount(n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          numWords
          <input
            type="number"
            name="numWords"
            value={form.numWords}
            min={2}
            onChange={(e) => set('numWords')(e.target.value)}
          />
        </label>
        <label>
          maxlen
          <input
            type="number"
            name="maxlen"
            value={form.maxlen}
            min={1}
            onChange={(e) => set('maxlen')(e.target.value)}
          />
        </label>
        <button type="submit" disabled={loading || invalid !== null}>
          {loading ? 'Loading…' : dataset ? 'Reload dataset' : 'Load dataset'}
        </button>
      </form>
      {invalid && (
        <p className="hint" role="status">
          {invalid}
        </p>
      )}
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
