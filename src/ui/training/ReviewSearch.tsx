import { useEffect, useMemo, useState } from 'react';
import type { Review } from '../../data/review';
import type { RunSummary } from '../../workers/train/api';
import { formatCount, formatPercent } from '../format';
import type { ReviewTools } from './MisclassifiedBrowser';

const LIMIT = 10;
const DEBOUNCE_MS = 250;

/** The text around the first match, so each result shows why it matched. */
function snippet(text: string, query: string): { before: string; match: string; after: string } {
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  const from = Math.max(0, at - 120);
  return {
    before: (from > 0 ? '…' : '') + text.slice(from, at),
    match: text.slice(at, at + query.length),
    after: text.slice(at + query.length, at + query.length + 200) + (at + query.length + 200 < text.length ? '…' : ''),
  };
}

/** Searches the loaded test reviews (in the data worker) and shows the run's (or model's) probability for each match. */
export function ReviewSearch({
  predictions,
  tools,
}: {
  predictions: NonNullable<RunSummary['testPredictions']>;
  tools: ReviewTools;
}) {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<{ query: string; matches: Review[]; total: number } | null>(null);
  const probabilityOf = useMemo(() => {
    const map = new Map<string, number>();
    for (let i = 0; i < predictions.labels.length; i++)
      map.set(`${predictions.labels[i]}:${predictions.reviewIds[i]}`, predictions.probabilities[i]!);
    return map;
  }, [predictions]);
  const { searchReviews } = tools;

  useEffect(() => {
    const wanted = query.trim();
    if (wanted.length < 2) return;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      searchReviews('test', wanted, LIMIT).then(
        (found) => !cancelled && setResult({ query: wanted, ...found }),
        () => !cancelled && setResult({ query: wanted, matches: [], total: 0 }),
      );
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [query, searchReviews]);

  const shown = result && result.query === query.trim() ? result : null;
  return (
    <div className="review-search" data-testid="review-search">
      <label className="field">
        Search the test reviews
        <input
          type="search"
          name="review-search"
          value={query}
          placeholder="a word or phrase, e.g. “waste of time”"
          onChange={(event) => setQuery(event.target.value)}
        />
      </label>
      {shown && (
        <p className="muted small" data-testid="search-count">
          {formatCount(shown.total)} test reviews contain “{shown.query}”
          {shown.total > shown.matches.length && ` (the first ${shown.matches.length} shown)`}.
        </p>
      )}
      {shown?.matches.map((review) => {
        const probability = probabilityOf.get(`${review.label}:${review.id}`);
        const part = snippet(review.text, shown.query);
        const wrong = probability !== undefined && (probability > 0.5 ? 1 : 0) !== review.label;
        return (
          <article key={`${review.label}:${review.id}`} className="mistake" data-testid="search-result">
            <p className="small">
              <strong>{review.rating}/10 stars</strong> · actually {review.label === 1 ? 'positive' : 'negative'} ·{' '}
              {probability === undefined
                ? `not among ${tools.sayer === undefined ? 'this run’s' : 'the reported'} test reviews`
                : `${tools.sayer ?? 'the run'} said P(positive) ${formatPercent(probability, 1)}${wrong ? ' (wrong)' : ''}`}
            </p>
            <p className="review-text small">
              {part.before}
              <mark>{part.match}</mark>
              {part.after}
            </p>
          </article>
        );
      })}
    </div>
  );
}
