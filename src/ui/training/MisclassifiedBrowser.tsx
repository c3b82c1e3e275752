import { useEffect, useMemo, useState } from 'react';
import type { Review } from '../../data/review';
import type { Classification } from '../../inference/reviewClassifier';
import { mostConfidentMistakes, type MistakeKind as Kind } from '../../training/report';
import type { RunSummary } from '../../workers/train/api';
import type { ReviewKey } from '../../workers/data/api';
import { Token } from '../classify/Token';
import { wordShares } from '../classify/WordByWord';
import { formatCount, formatPercent } from '../format';
import { RadioGroup } from '../RadioGroup';

/** What the browser needs from the rest of the page: the reviews' texts, and the model to read them with. */
export interface ReviewTools {
  fetchReviews: (split: 'test', keys: ReviewKey[]) => Promise<(Review | null)[]>;
  searchReviews: (split: 'test', query: string, limit: number) => Promise<{ matches: Review[]; total: number }>;
  /** The current model's reading of a text (null when no model is loaded). */
  classify: ((text: string) => Promise<Classification>) | null;
  /** The current model's name: the words are coloured by it. */
  modelName: string | null;
  /** Who made the probabilities shown ("the run" unless said): a saved model's report says "the model". */
  sayer?: string;
  /** Set when `classify` is not the current model's: what the words are coloured by. */
  colouredBy?: string;
}

const PAGE = 3;
/** Words shown per review (its last ones, which a pre-truncating model reads): a page stays a few hundred chips. */
const WORDS_SHOWN = 120;

interface Shown {
  key: ReviewKey;
  probability: number;
  review: Review | null;
  reading: Classification | null;
}

/**
 * The test reviews the run got most confidently wrong, both kinds, a page at a time: each with its
 * star rating, true label, the run's probability and its words coloured as the model read them.
 */
export function MisclassifiedBrowser({
  predictions,
  tools,
}: {
  predictions: NonNullable<RunSummary['testPredictions']>;
  tools: ReviewTools;
}) {
  const [kind, setKind] = useState<Kind>('false-positive');
  const [page, setPage] = useState(0);
  const rows = useMemo(
    () => mostConfidentMistakes(predictions.labels, predictions.probabilities, kind),
    [predictions, kind],
  );
  const pageRows = rows.slice(page * PAGE, (page + 1) * PAGE);
  const [shown, setShown] = useState<{ for: string; items: Shown[] } | null>(null);
  const pageKey = `${kind}:${page}:${rows.length}`;
  const { fetchReviews, classify } = tools;

  useEffect(() => {
    let cancelled = false;
    const keys = pageRows.map((row) => ({ id: predictions.reviewIds[row]!, label: predictions.labels[row]! }));
    (async () => {
      const reviews = await fetchReviews('test', keys);
      const items: Shown[] = [];
      for (const [i, row] of pageRows.entries()) {
        const review = reviews[i] ?? null;
        const reading = review && classify ? await classify(review.text).catch(() => null) : null;
        items.push({ key: keys[i]!, probability: predictions.probabilities[row]!, review, reading });
      }
      if (!cancelled) setShown({ for: pageKey, items });
    })().catch(() => {
      if (!cancelled) setShown({ for: pageKey, items: [] });
    });
    return () => {
      cancelled = true;
    };
    // pageRows follows from pageKey and predictions.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pageKey, predictions, fetchReviews, classify]);

  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const items = shown?.for === pageKey ? shown.items : null;
  return (
    <div className="misclassified" data-testid="misclassified">
      <h4>Most confidently wrong</h4>
      <RadioGroup
        name="mistake-kind"
        label="Which mistakes"
        options={[
          ['false-positive', 'Said positive, actually negative'],
          ['false-negative', 'Said negative, actually positive'],
        ]}
        value={kind}
        onChange={(value) => {
          setKind(value);
          setPage(0);
        }}
      />
      <p className="muted small">
        {formatCount(rows.length)} such test reviews · page {page + 1} of {pages}
        {tools.colouredBy
          ? ` · words coloured by ${tools.colouredBy}, as it read them`
          : tools.modelName && ` · words coloured by the current model, ${tools.modelName}, as it read them`}{' '}
        <button
          type="button"
          className="secondary small-button"
          disabled={page === 0}
          onClick={() => setPage(page - 1)}
        >
          Previous
        </button>{' '}
        <button
          type="button"
          className="secondary small-button"
          disabled={page + 1 >= pages}
          onClick={() => setPage(page + 1)}
        >
          Next
        </button>
      </p>
      {!items && <p className="muted small">Reading the reviews…</p>}
      {items?.map((item) => (
        <article
          key={`${item.key.label}:${item.key.id}`}
          className="mistake"
          data-testid="mistake"
          data-review={`${item.key.label}:${item.key.id}`}
          data-probability={String(item.probability)}
        >
          <p className="small">
            <strong>{item.review ? `${item.review.rating}/10 stars` : `review ${item.key.id}`}</strong> · actually{' '}
            {item.key.label === 1 ? 'positive' : 'negative'} · {tools.sayer ?? 'the run'} said P(positive){' '}
            {formatPercent(item.probability, 1)}
          </p>
          {!item.review ? (
            <p className="hint small">This review is not in the dataset loaded now (load the run&apos;s data again).</p>
          ) : item.reading ? (
            <ColoredReading reading={item.reading} />
          ) : (
            <p className="review-text small">{item.review.text}</p>
          )}
        </article>
      ))}
    </div>
  );
}

function ColoredReading({ reading }: { reading: Classification }) {
  const shares = wordShares(reading, 'as-read', null);
  const largest = Math.max(0, ...[...shares.values()].map((s) => Math.abs(s.effect)));
  const { tokens: all, tokensFrom: allFrom, words } = reading.reading;
  const tokens = all.slice(-WORDS_SHOWN);
  const tokensFrom = allFrom + all.length - tokens.length;
  return (
    <div className="tokens small">
      {tokensFrom > 0 && <span className="muted">… {formatCount(tokensFrom)} earlier words </span>}
      {tokens.map((token, i) => (
        <Token
          key={tokensFrom + i}
          token={token}
          share={token.step === null ? undefined : shares.get(token.step)}
          largest={largest}
        />
      ))}
      {tokensFrom + tokens.length < words && <span className="muted"> …</span>}
    </div>
  );
}
